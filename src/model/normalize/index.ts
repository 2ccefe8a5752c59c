export * from './person-name.js';
export * from './us-address.js';
