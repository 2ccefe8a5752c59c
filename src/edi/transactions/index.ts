/** Typed readers for 867 (sales), 852 (inventory) and 844 (chargebacks), over the envelope reader's events. */
export * from './types.js';
export { parseDate, parseNumber, makeIdentifier } from './common.js';
export { Reader867, type TransactionReader } from './reader-867.js';
export { Reader852 } from './reader-852.js';
export { Reader844 } from './reader-844.js';
export { readX12Transactions, SUPPORTED_TRANSACTION_SETS, TransactionDispatcher, type TransactionItem } from './dispatcher.js';
