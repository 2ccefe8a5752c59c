import { ConfigError } from '../../errors.js';
import type { Database } from '../../store/database.js';
import { appendAudit, getGoldenRecord, resolveMasterId } from '../../store/master.repository.js';
import { recomputeGolden, type GoldenRules } from '../../survivorship/merge.js';
import { validateStewardPin } from '../../survivorship/pins.js';

export type Pin = { attribute: string; value: unknown; pinnedBy: string; reason: string; pinnedAt: string };

export async function listPins(db: Pick<Database, 'query'>, masterId: string): Promise<Pin[]> {
  const { rows } = await db.query<{ attribute: string; value: unknown; pinned_by: string; reason: string; pinned_at: Date }>(
    'SELECT attribute, value, pinned_by, reason, pinned_at FROM attribute_pin WHERE master_id = $1 ORDER BY attribute',
    [masterId],
  );
  return rows.map((r) => ({ attribute: r.attribute, value: r.value, pinnedBy: r.pinned_by, reason: r.reason, pinnedAt: r.pinned_at.toISOString() }));
}

async function activeMaster(db: Database, id: string) {
  const golden = await getGoldenRecord(db, id);
  if (!golden) throw new ConfigError('master.not_found', `No master record ${id}.`);
  if (golden.status !== 'active') {
    const resolved = await resolveMasterId(db, id);
    throw new ConfigError('master.retired', `${id} is retired into ${resolved?.id ?? golden.replacedBy}: pin values on that one.`);
  }
  return golden;
}

/**
 * A steward's chosen values: each pin overrides survivorship for its attribute until removed. Pins are checked
 * against the attribute's schema first (a bad pin is refused, not stored), then the golden record is recomputed
 * and every pin is in the audit log with the value before and after, all in one transaction.
 */
export async function pinAttributes(db: Database, rules: GoldenRules, input: { masterId: string; values: Record<string, unknown>; actor: string; reason?: string }): Promise<void> {
  const golden = await activeMaster(db, input.masterId);
  const at = new Date().toISOString();
  const problems = Object.entries(input.values)
    .map(([attribute, value]) => [attribute, validateStewardPin(golden.entityType, { attribute, value, by: input.actor, at })] as const)
    .filter(([, problem]) => problem !== undefined);
  if (problems.length > 0) throw new ConfigError('pin.invalid', `Pin refused: ${problems.map(([a, p]) => `${a}: ${p}`).join('; ')}.`);
  await db.transaction(async (tx) => {
    for (const [attribute, value] of Object.entries(input.values)) {
      await tx.query(
        `INSERT INTO attribute_pin (master_id, attribute, value, pinned_by, reason) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (master_id, attribute) DO UPDATE SET value = excluded.value, pinned_by = excluded.pinned_by, reason = excluded.reason, pinned_at = now()`,
        [golden.masterId, attribute, JSON.stringify(value), input.actor, input.reason ?? ''],
      );
    }
    const after = await recomputeGolden(tx, rules[golden.entityType], golden.entityType, golden.masterId, `pinned ${Object.keys(input.values).join(', ')} by ${input.actor}`, rules.referenceOnly);
    for (const attribute of Object.keys(input.values)) {
      await appendAudit(tx, {
        actor: input.actor,
        action: 'master.pin',
        entityType: golden.entityType,
        entityId: golden.masterId,
        reason: input.reason,
        before: { attribute, value: golden.attributes[attribute]?.value ?? null, rule: golden.attributes[attribute]?.lineage.rule ?? null },
        after: { attribute, value: after[attribute]?.value ?? null, rule: after[attribute]?.lineage.rule ?? null },
      });
    }
  });
}

/** Removes a pin: survivorship chooses the attribute again. */
export async function unpinAttribute(db: Database, rules: GoldenRules, input: { masterId: string; attribute: string; actor: string; reason?: string }): Promise<void> {
  const golden = await activeMaster(db, input.masterId);
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ value: unknown }>('DELETE FROM attribute_pin WHERE master_id = $1 AND attribute = $2 RETURNING value', [golden.masterId, input.attribute]);
    if (!rows[0]) throw new ConfigError('pin.not_found', `${golden.masterId} has no pin on ${input.attribute}.`);
    const after = await recomputeGolden(tx, rules[golden.entityType], golden.entityType, golden.masterId, `unpinned ${input.attribute} by ${input.actor}`, rules.referenceOnly);
    await appendAudit(tx, {
      actor: input.actor,
      action: 'master.unpin',
      entityType: golden.entityType,
      entityId: golden.masterId,
      reason: input.reason,
      before: { attribute: input.attribute, value: rows[0].value, rule: 'steward_pin' },
      after: { attribute: input.attribute, value: after[input.attribute]?.value ?? null, rule: after[input.attribute]?.lineage.rule ?? null },
    });
  });
}
