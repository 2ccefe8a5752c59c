/**
 * The in-memory matching engine: a model (YAML, validated) -> blocking -> comparisons -> Fellegi-Sunter scoring
 * (trained unsupervised or from steward labels) -> constrained clustering; batch (dedupeRecords) and incremental
 * (createMatcher) share one Scorer. See mappings/matching/README.md for the model format.
 */
export { jaro, jaroWinkler, jaroWinklerUpperBound } from './comparators/jaro-winkler.js';
export { levenshtein, levenshteinWithin, hamming } from './comparators/levenshtein.js';
export { doubleMetaphone, type DoubleMetaphoneCodes } from './comparators/double-metaphone.js';
export { soundex } from './comparators/soundex.js';
export { loadNicknames, parseNicknames, nicknameEqual, type NicknameTable } from './nicknames.js';
export {
  MatchModelSchema,
  MatchModelError,
  loadModel,
  parseModel,
  validateModel,
  stringifyModel,
  modelFields,
  type MatchModel,
  type MatchModelInput,
  type BlockingRule,
  type Comparison,
  type Level,
  type IdentifierRule,
  type Thresholds,
} from './model-schema.js';
export { RecordStore, type RawRecord } from './record-store.js';
export { generateCandidatePairs, describeRule, type BlockingResult, type BlockingStats } from './blocking.js';
export { compileComparison, levelLabel, type CompiledComparison } from './comparisons.js';
export { Scorer, weightToProbability, probabilityToWeight, type Decision } from './scoring.js';
export {
  trainModel,
  trainFromLabels,
  expectationMaximisation,
  estimateU,
  type LabelledPair,
  type TrainingReport,
} from './em-training.js';
export { clusterRecords, type ClusterEdge, type ClusterConstraints, type ClusteringResult } from './clustering.js';
export { explainPair, formatExplanation, type PairExplanation, type ComparisonStep } from './explain.js';
export { inferModel, profileColumns, toFieldName, type ColumnRole, type InferredModel } from './infer-model.js';
export { dedupeRecords, type DedupeOptions, type DedupeResult, type SourceRecords } from './dedupe.js';
export { createMatcher, type Matcher, type MatchCandidate, type MatchRecordOptions } from './matcher.js';
export { readCsv, parseCsv, writeCsv, toCsv, type CsvTable } from './csv-io.js';
export { isValidIdentifier, npiValid, deaValid, hinValid } from './identifier-validators.js';
