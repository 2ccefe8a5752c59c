import type { ConnectorDefinition } from '../sdk/index.js';
import { delimitedFileConnector } from '../../connectors/delimited-file/connector.js';
import { salesforceConnector } from '../../connectors/salesforce/connector.js';
import { simulatedSalesforceConnector } from '../../connectors/salesforce/simulated.js';
import { distributorEdiConnector } from '../../connectors/distributor-edi/connector.js';
import { rxFileConnector } from '../../connectors/rx-file/connector.js';
import { erpConnector } from '../../connectors/erp/connector.js';

/** Connector types by name. A new connector adds one line here. */
const CONNECTOR_TYPES: ReadonlyMap<string, ConnectorDefinition> = new Map<string, ConnectorDefinition>([
  [delimitedFileConnector.type, delimitedFileConnector as ConnectorDefinition],
  [salesforceConnector.type, salesforceConnector as ConnectorDefinition],
  [simulatedSalesforceConnector.type, simulatedSalesforceConnector as ConnectorDefinition],
  [distributorEdiConnector.type, distributorEdiConnector as ConnectorDefinition],
  [rxFileConnector.type, rxFileConnector as ConnectorDefinition],
  [erpConnector.type, erpConnector as ConnectorDefinition],
]);

export function listConnectorTypes(): string[] {
  return [...CONNECTOR_TYPES.keys()];
}

export function findConnectorType(type: string): ConnectorDefinition | undefined {
  return CONNECTOR_TYPES.get(type);
}
