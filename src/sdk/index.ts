export * from './connector.js';
export { ConfigError, TransientError, CrosswalkError } from '../errors.js';
