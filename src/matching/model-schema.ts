/**
 * The matching model as data (mappings/matching/*.yaml): blocking rules decide WHICH pairs are compared,
 * comparisons with ordered levels decide HOW a pair scores, thresholds turn a score into a decision.
 * The format is documented for users in mappings/matching/README.md; keep the two in step.
 */
import { readFileSync } from 'node:fs';
import { Document, isPair, isScalar, isSeq, parse, visit } from 'yaml';
import { z } from 'zod';
import { formatDocumentPath } from '../diagnostics/yaml-location.js';

const probability = z.number().gt(0).lt(1);
const fieldName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'field names are snake_case (lower case, digits, _)');

export const KeyFunctionSchema = z.enum([
  'exact',
  'lower',
  'first_chars',
  'last_chars',
  'soundex',
  'double_metaphone',
  'year',
  'digits',
  'sorted_tokens',
]);
export type KeyFunction = z.infer<typeof KeyFunctionSchema>;

export const BlockingKeySchema = z.strictObject({
  field: fieldName,
  fn: KeyFunctionSchema.default('exact'),
  /** Character count for first_chars / last_chars. */
  n: z.number().int().positive().optional(),
});
export type BlockingKey = z.infer<typeof BlockingKeySchema>;

export const BlockingRuleSchema = z.strictObject({
  name: z.string().optional(),
  /** All keys must agree (AND); rules are united (OR), each pair compared once. */
  keys: z.array(BlockingKeySchema).min(1),
  /** Blocks larger than this are skipped (and reported) rather than exploding into n^2 pairs. */
  max_block_size: z.number().int().positive().optional(),
});
export type BlockingRule = z.infer<typeof BlockingRuleSchema>;

export const LevelTypeSchema = z.enum([
  'null',
  'exact',
  'nickname',
  'jaro_winkler',
  'jaro',
  'levenshtein',
  'double_metaphone',
  'soundex',
  'first_chars',
  'swapped',
  'date_typo',
  'date_day_month_swap',
  'date_year_month',
  'date_year',
  'numeric',
  'token_overlap',
  'different',
  'else',
]);
export type LevelType = z.infer<typeof LevelTypeSchema>;

export const LevelSchema = z.strictObject({
  /** `type: null` (YAML null) and `type: "null"` both mean the null level. */
  type: z.preprocess((v) => (v === null ? 'null' : v), LevelTypeSchema),
  label: z.string().optional(),
  /** jaro_winkler / jaro: similarity at least this; token_overlap: Jaccard at least this. */
  threshold: z.number().min(0).max(1).optional(),
  /** levenshtein: distance at most this; numeric: absolute difference at most this; date_year: years apart at most this. */
  max: z.number().min(0).optional(),
  /** first_chars: how many leading characters must agree (1 = initial). */
  n: z.number().int().positive().optional(),
  /** swapped: the other field (given name <-> surname). */
  with: fieldName.optional(),
  m: probability.optional(),
  u: probability.optional(),
  /** A fixed Bayes factor (m/u). A level with one is never re-estimated by training. */
  bayes_factor: z.number().positive().optional(),
  /** Term-frequency adjustment: agreement on a rare value counts more than on a common one. */
  tf_adjust: z.boolean().optional(),
  /** How much of the tf adjustment applies (Splink's tf_adjustment_weight), 0..1. */
  tf_weight: z.number().min(0).max(1).optional(),
});
export type Level = z.infer<typeof LevelSchema>;

export const ComparisonSchema = z.strictObject({
  name: z.string().min(1),
  field: fieldName,
  description: z.string().optional(),
  levels: z.array(LevelSchema).min(2),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

export const IdentifierRuleSchema = z.strictObject({
  field: fieldName,
  /** Check the value before trusting it: an invalid NPI is just a string. */
  validator: z.enum(['none', 'npi', 'dea', 'hin', 'luhn']).default('none'),
  /** The same valid value on both records => match (unless a cannot-link says otherwise). */
  same: z.enum(['match', 'evidence']).default('match'),
  /** Two different valid values => never the same entity ('distinct'), or only the comparison's evidence. */
  different: z.enum(['distinct', 'evidence']).default('evidence'),
});
export type IdentifierRule = z.infer<typeof IdentifierRuleSchema>;

export const NormalizerSchema = z.enum(['lower', 'trim', 'digits', 'alnum', 'letters', 'collapse_spaces', 'strip_punctuation']);
export type Normalizer = z.infer<typeof NormalizerSchema>;

export const ThresholdsSchema = z
  .strictObject({
    unit: z.enum(['probability', 'weight']).default('probability'),
    match: z.number(),
    review: z.number(),
  })
  .superRefine((t, ctx) => {
    if (t.review > t.match) ctx.addIssue({ code: 'custom', message: 'review must not exceed match', path: ['review'] });
    if (t.unit === 'probability') {
      for (const k of ['match', 'review'] as const) {
        if (t[k] < 0 || t[k] > 1) ctx.addIssue({ code: 'custom', message: 'a probability is within 0..1', path: [k] });
      }
    }
  });
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export const ClusteringSchema = z.strictObject({
  /** A merge of two clusters is refused when the mean match probability across them falls below this. */
  min_average_probability: z.number().min(0).max(1).default(0.5),
  /** ... or when any cross pair scores at or below this match weight (they clearly disagree). */
  veto_weight: z.number().default(-8),
  /** Cross pairs checked per merge; larger clusters are sampled (deterministically). */
  max_cross_pairs: z.number().int().positive().default(400),
});
export type ClusteringOptions = z.infer<typeof ClusteringSchema>;

export const TrainingSchema = z.strictObject({
  seed: z.number().int().default(42),
  random_pairs: z.number().int().positive().default(200_000),
  max_iterations: z.number().int().positive().default(30),
  tolerance: z.number().positive().default(1e-4),
  /** EM and the prior use at most this many candidate pairs (a seeded uniform sample): more cost time, not accuracy. */
  max_pairs: z.number().int().positive().default(2_000_000),
  /** Blocking rules used for EM sessions; the prediction rules when absent. */
  blocking: z.array(BlockingRuleSchema).optional(),
  /** Whether the prior was estimated (written back by training; informative only). */
  trained_at: z.string().optional(),
});
export type TrainingOptions = z.infer<typeof TrainingSchema>;

export const MatchModelSchema = z.strictObject({
  version: z.literal(1).default(1),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Column holding the record id (not compared). */
  id_column: z.string().optional(),
  /** Probability that two records drawn at random are the same entity (lambda). */
  prior: probability,
  thresholds: ThresholdsSchema,
  /** Per-field normalization applied before blocking and comparison (after trim + lower case + collapse spaces). */
  normalize: z.record(z.string(), z.array(NormalizerSchema)).optional(),
  blocking: z.array(BlockingRuleSchema).min(1),
  comparisons: z.array(ComparisonSchema).min(1),
  identifier_rules: z.array(IdentifierRuleSchema).optional(),
  clustering: ClusteringSchema.optional(),
  training: TrainingSchema.optional(),
});
export type MatchModel = z.infer<typeof MatchModelSchema>;
export type MatchModelInput = z.input<typeof MatchModelSchema>;

export interface ModelIssue {
  path: string;
  message: string;
}

/** A model failed validation: every problem at once, each with its path (`comparisons[2].levels[0].threshold`). */
export class MatchModelError extends Error {
  readonly code = 'MATCH_MODEL_INVALID';
  readonly failureType = 'config' as const;
  constructor(
    readonly issues: ModelIssue[],
    readonly source?: string,
  ) {
    super(
      `${source ? `${source}: ` : ''}the matching model has ${issues.length} problem(s); fix them and retry:\n` +
        issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n'),
    );
  }
}


/** Checks that reach across sections (a comparison names a field a level swaps with, ordering of levels...). */
function checkSemantics(model: MatchModel): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const names = new Set<string>();
  model.comparisons.forEach((c, ci) => {
    if (names.has(c.name)) issues.push({ path: `comparisons[${ci}].name`, message: `duplicate comparison name "${c.name}"` });
    names.add(c.name);
    const first = c.levels[0];
    if (first?.type !== 'null') {
      issues.push({ path: `comparisons[${ci}].levels[0]`, message: 'the first level must be the explicit null level (type: null)' });
    }
    c.levels.forEach((l, li) => {
      const path = `comparisons[${ci}].levels[${li}]`;
      if (li > 0 && l.type === 'null') issues.push({ path: `${path}.type`, message: 'only the first level may be type null' });
      if (l.type === 'else' && li !== c.levels.length - 1) {
        issues.push({ path: `${path}.type`, message: 'the else level must be the last one' });
      }
      if (li === c.levels.length - 1 && l.type !== 'else' && l.type !== 'different') {
        issues.push({ path: `${path}.type`, message: 'the last level must be the catch-all (type: else or different)' });
      }
      if ((l.type === 'jaro_winkler' || l.type === 'jaro' || l.type === 'token_overlap') && l.threshold === undefined) {
        issues.push({ path: `${path}.threshold`, message: `${l.type} needs a threshold between 0 and 1` });
      }
      if ((l.type === 'levenshtein' || l.type === 'numeric') && l.max === undefined) {
        issues.push({ path: `${path}.max`, message: `${l.type} needs max (the largest distance that still counts)` });
      }
      if (l.type === 'swapped' && !l.with) issues.push({ path: `${path}.with`, message: 'swapped needs with: <other field>' });
      if (l.type === 'first_chars' && l.n === undefined) issues.push({ path: `${path}.n`, message: 'first_chars needs n' });
      if (l.type !== 'null' && l.bayes_factor !== undefined && (l.m !== undefined || l.u !== undefined)) {
        issues.push({ path, message: 'give either bayes_factor or m and u, not both' });
      }
      if (l.type === 'null' && (l.m !== undefined || l.u !== undefined || l.bayes_factor !== undefined)) {
        issues.push({ path, message: 'the null level carries no evidence (no m, u or bayes_factor)' });
      }
    });
  });
  model.blocking.forEach((r, ri) =>
    r.keys.forEach((k, ki) => {
      if ((k.fn === 'first_chars' || k.fn === 'last_chars') && k.n === undefined) {
        issues.push({ path: `blocking[${ri}].keys[${ki}].n`, message: `${k.fn} needs n` });
      }
    }),
  );
  return issues;
}

/** Validates a parsed document; throws MatchModelError listing every issue. */
export function validateModel(doc: unknown, source?: string): MatchModel {
  const result = MatchModelSchema.safeParse(doc);
  if (!result.success) {
    throw new MatchModelError(
      result.error.issues.map((i) => ({ path: formatDocumentPath(i.path), message: i.message })),
      source,
    );
  }
  const semantic = checkSemantics(result.data);
  if (semantic.length > 0) throw new MatchModelError(semantic, source);
  return result.data;
}

export function parseModel(yamlText: string, source?: string): MatchModel {
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (e) {
    throw new MatchModelError([{ path: '', message: `not valid YAML: ${(e as Error).message}` }], source);
  }
  return validateModel(doc, source);
}

export function loadModel(file: string): MatchModel {
  return parseModel(readFileSync(file, 'utf8'), file);
}

/** Serialises a model back to YAML (the same document shape a person edits), dropping undefined keys. */
export function stringifyModel(model: MatchModel): string {
  const clean = JSON.parse(JSON.stringify(model, (_k, v: unknown) => (typeof v === 'number' ? roundForYaml(v) : v))) as unknown;
  const doc = new Document(clean);
  // One line per level and per blocking key: the ordering is the point, so keep each step on its own line.
  visit(doc, {
    Map(_key, node, path) {
      const seq = path[path.length - 1];
      const pair = path[path.length - 2];
      if (isSeq(seq) && isPair(pair) && isScalar(pair.key) && FLOW_KEYS.has(String(pair.key.value))) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 140, flowCollectionPadding: true });
}

const FLOW_KEYS = new Set(['levels', 'keys']);

function roundForYaml(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return v;
  return Number(v.toPrecision(6));
}

/** Every field the model reads (blocking keys, comparisons and their swapped partners, identifier rules), in order. */
export function modelFields(model: MatchModel): string[] {
  const out = new Set<string>();
  for (const c of model.comparisons) {
    out.add(c.field);
    for (const l of c.levels) if (l.with) out.add(l.with);
  }
  for (const r of model.blocking) for (const k of r.keys) out.add(k.field);
  for (const r of model.training?.blocking ?? []) for (const k of r.keys) out.add(k.field);
  for (const r of model.identifier_rules ?? []) out.add(r.field);
  return [...out];
}
