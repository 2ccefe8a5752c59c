/**
 * Distributor EDI (ASC X12): a streaming reader with envelope validation (`x12/`), typed readers for 867, 852 and
 * 844 (`transactions/`) and 997/999 acknowledgements (`ack/`). The connector in connectors/distributor-edi and the
 * `crosswalk edi` command are built on these; nothing here touches the store.
 */
export * from './x12/index.js';
export * from './transactions/index.js';
export * from './ack/index.js';
