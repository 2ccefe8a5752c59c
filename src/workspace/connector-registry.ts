import type { ConnectorDefinition } from '../sdk/index.js';
import { delimitedFileConnector } from '../../connectors/delimited-file/connector.js';
import { salesforceConnector } from '../../connectors/salesforce/connector.js';
import { distributorEdiConnector } from '../../connectors/distributor-edi/connector.js';

/** Connector types by name. A new connector adds one line here. */
const CONNECTOR_TYPES: ReadonlyMap<string, ConnectorDefinition> = new Map<string, ConnectorDefinition>([
  [delimitedFileConnector.type, delimitedFileConnector as ConnectorDefinition],
  [salesforceConnector.type, salesforceConnector as ConnectorDefinition],
  [distributorEdiConnector.type, distributorEdiConnector as ConnectorDefinition],
]);

export function listConnectorTypes(): string[] {
  return [...CONNECTOR_TYPES.keys()];
}

export function findConnectorType(type: string): ConnectorDefinition | undefined {
  return CONNECTOR_TYPES.get(type);
}
