import type { Logger } from 'pino';
import { runWriteBack, type WriteBackReport } from '../../connectors/salesforce/write-back.js';
import type { SalesforceConfig } from '../../connectors/salesforce/connector.js';
import { describeError } from '../errors.js';
import type { Database } from '../store/database.js';
import type { Workspace } from '../workspace/workspace.js';

export type PublishReport = { connector: string; report?: WriteBackReport; error?: ReturnType<typeof describeError> };

/**
 * The publish stage: after the master changed, every connector that writes back (a CRM with `writeBack`
 * configured) reads the outbox after its own cursor and sends the golden values and merge notices out. A failing
 * write-back never fails the master: its cursor stays where it was and the next pass repeats it.
 */
export async function publishChanges(db: Database, workspace: Workspace, logger: Logger): Promise<PublishReport[]> {
  const reports: PublishReport[] = [];
  for (const connector of workspace.connectors) {
    if (!connector.enabled || connector.type !== 'salesforce') continue;
    const config = connector.config as SalesforceConfig;
    if (!config.writeBack) continue;
    try {
      const report = await runWriteBack(db, { connectorId: connector.id, config, logger: logger.child({ connector: connector.id }) });
      reports.push({ connector: connector.id, report });
    } catch (error) {
      const described = describeError(error);
      logger.warn({ connector: connector.id, error: described }, 'write-back failed; it is retried after the next change');
      reports.push({ connector: connector.id, error: described });
    }
  }
  return reports;
}
