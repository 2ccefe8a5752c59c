// The file inbox is shared by every file-fed connector: it lives in src/sdk/file-inbox.ts.
export * from '../../src/sdk/file-inbox.js';
