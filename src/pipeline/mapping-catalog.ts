import type { Draft, FieldIssue } from '../model/index.js';

/** What the pipeline needs of a source mapping. */
export type MappedRecord = { sourceId?: string; sourceUpdatedAt?: string; drafts: Draft[]; issues: FieldIssue[] };

export type StreamMapping = {
  connector: string;
  stream: string;
  /** Changes whenever the mapping file changes, so records mapped by an older version can be found. */
  checksum: string;
  file: string;
  apply(payload: Record<string, unknown>): MappedRecord;
};

export type MappingCatalog = {
  find(connector: string, stream: string): StreamMapping | undefined;
  all(): StreamMapping[];
};
