/**
 * ASC X12 reading: `tokenizeX12` (segments), `parseX12` (envelope events, validated), `summarizeX12` (structure
 * and issues). Transaction contents (867/852/844) are read by `src/edi/transactions`.
 */
export * from './types.js';
export { createIssue, formatIssue, formatPosition, hasErrors } from './errors.js';
export { detectSeparators, ISA_LENGTH } from './separators.js';
export { DEFAULT_MAX_SEGMENT_LENGTH, SegmentTokenizer, tokenizeX12 } from './segment-reader.js';
export { EnvelopeValidator, refreshGroupStatus, refreshInterchangeStatus, refreshSetStatus, statusOf } from './envelope.js';
export { parseX12, summarizeX12, type X12Source, type X12Summary } from './parse.js';
