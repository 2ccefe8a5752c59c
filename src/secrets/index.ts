export * from './secret-box.js';
export * from './config-secrets.js';
