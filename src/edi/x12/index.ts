/**
 * ASC X12 reading: `tokenizeX12` (segments), `parseX12` (envelope events, validated), `summarizeX12` (structure
 * and issues), each fed a file by `readFileChunks` or any stream of chunks. Transaction contents (867/852/844) are
 * read by `src/edi/transactions`. `EnvelopeReader` gives the same reading as synchronous calls per segment (a reused
 * `SegmentView`), for readers that must not build an object per segment.
 */
export * from './types.js';
export { createIssue, formatIssue, formatPosition, hasErrors } from './errors.js';
export { detectSeparators, ISA_LENGTH } from './separators.js';
export { DEFAULT_MAX_SEGMENT_LENGTH, SegmentTokenizer, SegmentView, segmentCode, tokenizeX12, type SegmentSink } from './segment-reader.js';
export { EnvelopeValidator, refreshGroupStatus, refreshInterchangeStatus, refreshSetStatus, statusOf, type EnvelopeSink } from './envelope.js';
export { EnvelopeReader, parseX12, summarizeX12, type X12Source, type X12Summary } from './parse.js';
export { readFileChunks, type FileChunkOptions } from './file-chunks.js';
