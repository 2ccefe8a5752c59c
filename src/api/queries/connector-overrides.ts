import type { Queryable } from '../../store/database.js';
import { appendAudit } from '../../store/master.repository.js';
import type { Workspace } from '../../workspace/workspace.js';

export type ConnectorOverride = { connectorId: string; enabled: boolean; updatedBy: string; updatedAt: string };

export async function loadConnectorOverrides(db: Queryable): Promise<Map<string, ConnectorOverride>> {
  const { rows } = await db.query<{ connector_id: string; enabled: boolean; updated_by: string; updated_at: Date }>('SELECT * FROM connector_override');
  return new Map(rows.map((r) => [r.connector_id, { connectorId: r.connector_id, enabled: r.enabled, updatedBy: r.updated_by, updatedAt: r.updated_at.toISOString() }]));
}

/**
 * Applies the stored switches to the loaded workspace, so schedules and "sync everything" see them. The
 * workspace file's `enabled:` is the default; an administrator's switch in the console wins until changed.
 */
export async function applyConnectorOverrides(db: Queryable, workspace: Workspace): Promise<void> {
  const overrides = await loadConnectorOverrides(db);
  for (const connector of workspace.connectors) {
    const o = overrides.get(connector.id);
    if (o) connector.enabled = o.enabled;
  }
}

export async function setConnectorEnabled(db: Queryable, connectorId: string, enabled: boolean, actor: string, before: boolean, reason?: string): Promise<void> {
  await db.query(
    `INSERT INTO connector_override (connector_id, enabled, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (connector_id) DO UPDATE SET enabled = excluded.enabled, updated_by = excluded.updated_by, updated_at = now()`,
    [connectorId, enabled, actor],
  );
  await appendAudit(db, { actor, action: enabled ? 'connector.enable' : 'connector.disable', entityType: 'connector', entityId: connectorId, reason, before: { enabled: before }, after: { enabled } });
}
