import type { Hub } from '../hub.js';
import { listQuarantine, markReplayed } from '../store/quarantine.repository.js';
import { EMPTY_COUNTS } from '../store/sync-run.repository.js';
import { ingestBatch } from './sync-stream.js';

export type ReplayReport = { replayed: number; stored: number; stillFailing: number; notReplayable: number; notes: string[] };

/**
 * Sends quarantined records down the same path a fresh batch takes. The old quarantine entry is marked
 * replayed; a record that fails again gets a new entry with its new reason, so nothing is lost either way.
 * A line that never parsed (a malformed CSV line) has no record to replay: its file must be fixed and re-sent.
 */
export async function replayQuarantine(hub: Hub, filter: { connector?: string; ids?: number[] }): Promise<ReplayReport> {
  const items = (await listQuarantine(hub.db, { connector: filter.connector, limit: 100_000 })).filter((q) => !filter.ids || filter.ids.includes(q.id));
  const report: ReplayReport = { replayed: 0, stored: 0, stillFailing: 0, notReplayable: 0, notes: [] };
  const groups = new Map<string, typeof items>();
  for (const item of items) {
    const isRecord = item.payload !== null && typeof item.payload === 'object' && !Array.isArray(item.payload);
    if (!isRecord) {
      report.notReplayable += 1;
      continue;
    }
    const key = `${item.connector}\u0000${item.stream}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  for (const group of groups.values()) {
    const { connector, stream } = group[0]!;
    const mapping = hub.mappings.find(connector, stream);
    if (!mapping) {
      report.notes.push(`${connector}.${stream}: no mapping, ${group.length} record(s) left in quarantine`);
      report.notReplayable += group.length;
      continue;
    }
    const counts = { ...EMPTY_COUNTS };
    await hub.db.transaction(async (tx) => {
      await ingestBatch(tx, mapping, { connector, stream }, { records: group.map((q) => ({ sourceId: q.sourceId, payload: q.payload as Record<string, unknown> })) }, counts);
      await markReplayed(tx, group.map((q) => q.id));
    });
    report.replayed += group.length;
    report.stillFailing += counts.quarantined;
    report.stored += group.length - counts.quarantined;
  }
  if (report.notReplayable > 0) report.notes.push(`${report.notReplayable} entr(ies) hold unparsed lines: fix the source file and sync it again.`);
  return report;
}
