/**
 * Declarative mappings: source rows to canonical drafts. Load with `loadMappings()`, apply with
 * `applyMapping(mapping, row)`, extend with `registerTransform(name, fn, argsSchema)`.
 * The YAML format is documented in mappings/sources/README.md.
 */
export { applyMapping, applyMappingToRows } from './apply-mapping.js';
export { compileMappingDocument, type CompiledMapping, type CompileError, type MappedRecord } from './compile-mapping.js';
export {
  createTransformEnv,
  DEFAULT_MAPPINGS_DIR,
  formatMappingErrors,
  loadMappingFile,
  loadMappings,
  parseMappingText,
  type LoadedMapping,
  type LoadMappingsOptions,
  type LoadMappingsResult,
  type MappingLoadError,
} from './load-mappings.js';
export { createLookupTable, LookupTableDirectory, type LookupTable } from './lookup-tables.js';
export {
  ConditionSchema,
  ENTITY_KINDS,
  EntitySchema,
  MappingDocumentSchema,
  ValueSpecSchema,
  type Condition,
  type EntityKind,
  type FieldNode,
  type MappingDocument,
  type ValueSpec,
} from './mapping-schema.js';
export * from './transforms/index.js';
