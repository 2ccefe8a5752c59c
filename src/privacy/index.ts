export * from './consent-write-back.js';
export * from './erase.js';
export * from './erasure-screen.js';
export * from './export.js';
export * from './footprint.js';
export * from './privacy-key.js';
export * from './rx-for-reps.js';
export * from './subject-keys.js';
