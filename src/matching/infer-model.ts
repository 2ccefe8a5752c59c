/**
 * Zero-config: infer a matching model from column names and a look at the values. Each column gets a role
 * (given name, surname, date, postcode, identifier...), each role a comparison template with ordered levels and a
 * few blocking rules; the result is an ordinary model document (untrained: training fills m, u and the prior),
 * which `crosswalk dedupe --print-config` shows so a person can copy and edit it.
 */
import type { BlockingRule, Comparison, Level, MatchModel, Normalizer } from './model-schema.js';
import { validateModel } from './model-schema.js';
import { parseDate, type RawRecord } from './record-store.js';

export type ColumnRole =
  | 'id'
  | 'given_name'
  | 'middle_name'
  | 'surname'
  | 'full_name'
  | 'suffix'
  | 'date'
  | 'email'
  | 'postcode'
  | 'city'
  | 'state'
  | 'phone'
  | 'street_number'
  | 'address'
  | 'identifier'
  | 'category'
  | 'text'
  | 'ignore';

export interface ColumnProfile {
  column: string;
  role: ColumnRole;
  distinct: number;
  filled: number;
  unique: boolean;
}

/** snake_case a column header ("Given Name" -> given_name). */
export function toFieldName(header: string): string {
  const s = header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(s) ? s : `f_${s}`;
}

const NAME_RULES: [RegExp, ColumnRole][] = [
  [/^(rec(ord)?_?id|id|uid|unique_id|row_?id|key|pk)$/, 'id'],
  [/(^|_)(given|first|fore|christian)(_?name)?$|^f_?name$/, 'given_name'],
  [/middle(_?name|_?initial)?$|^mi$/, 'middle_name'],
  [/(^|_)(sur|last|family)(_?name)?$|^l_?name$/, 'surname'],
  [/suffix|generation/, 'suffix'],
  [/^(full_?)?name$|_name$/, 'full_name'],
  [/e_?mail/, 'email'],
  [/dob|birth|_date$|^date/, 'date'],
  [/post_?code|zip|postal/, 'postcode'],
  [/phone|^tel|mobile|fax|cell/, 'phone'],
  [/street_?(num|no)|house_?(num|no)|^number$|building_?number/, 'street_number'],
  [/city|suburb|town|locality|municipality/, 'city'],
  [/^state$|province|region|county|_state$/, 'state'],
  [/address|addr|street|line_?\d|^line/, 'address'],
  [/npi|ssn|soc_?sec|social|^dea|hin|gln|me_?num|licen[cs]e|passport|identifier|_id$|_no$|_number$|_code$/, 'identifier'],
];

export function profileColumns(columns: readonly string[], rows: readonly RawRecord[], idColumn?: string): ColumnProfile[] {
  return columns.map((column) => {
    const values = new Set<string>();
    let filled = 0;
    let digitsOnly = 0;
    let dates = 0;
    let emails = 0;
    let totalLength = 0;
    for (const row of rows) {
      const raw = row[column];
      const v = raw === null || raw === undefined ? '' : String(raw as string).trim().toLowerCase();
      if (v === '') continue;
      filled++;
      values.add(v);
      totalLength += v.length;
      if (/^[\d\s\-().+]+$/.test(v)) digitsOnly++;
      if (parseDate(v) >= 0) dates++;
      if (v.includes('@')) emails++;
    }
    const unique = filled > 0 && values.size === filled && filled === rows.length;
    let role: ColumnRole = 'text';
    if (idColumn !== undefined) {
      if (column === idColumn) role = 'id';
    }
    if (role !== 'id') {
      const byName = NAME_RULES.find(([re]) => re.test(column))?.[1];
      if (byName === 'id' && idColumn !== undefined) role = 'identifier';
      else if (byName) role = byName;
      else if (filled > 0 && emails / filled > 0.8) role = 'email';
      else if (filled > 0 && dates / filled > 0.8) role = 'date';
      else if (filled > 0 && digitsOnly / filled > 0.9) role = values.size > rows.length / 4 ? 'identifier' : 'category';
      else if (values.size <= Math.max(20, rows.length / 100)) role = 'category';
      else role = totalLength / Math.max(1, filled) > 12 ? 'address' : 'text';
    }
    return { column, role, distinct: values.size, filled, unique };
  });
}

const lv = (type: Level['type'], extra: Partial<Level> = {}): Level => ({ type, ...extra }) as Level;

function nameLevels(other: string | undefined, nickname: boolean): Level[] {
  const levels: Level[] = [lv('null'), lv('exact', { tf_adjust: true })];
  if (other) levels.push(lv('swapped', { with: other }));
  if (nickname) levels.push(lv('nickname'));
  levels.push(
    lv('levenshtein', { max: 1 }),
    lv('jaro_winkler', { threshold: 0.9 }),
    lv('double_metaphone'),
    lv('jaro_winkler', { threshold: 0.8 }),
    lv('else'),
  );
  return levels;
}

function comparisonFor(p: ColumnProfile, profiles: readonly ColumnProfile[]): Comparison | undefined {
  const other = (role: ColumnRole): string | undefined => profiles.find((q) => q.role === role)?.column;
  const c = (levels: Level[]): Comparison => ({ name: p.column, field: p.column, levels });
  switch (p.role) {
    case 'given_name':
      return c(nameLevels(other('surname'), true));
    case 'surname':
      return c(nameLevels(other('given_name'), false));
    case 'middle_name':
      return c([lv('null'), lv('exact'), lv('first_chars', { n: 1 }), lv('else')]);
    case 'full_name':
      return c([
        lv('null'),
        lv('exact', { tf_adjust: true }),
        lv('token_overlap', { threshold: 0.99 }),
        lv('jaro_winkler', { threshold: 0.92 }),
        lv('token_overlap', { threshold: 0.5 }),
        lv('jaro_winkler', { threshold: 0.8 }),
        lv('else'),
      ]);
    case 'suffix':
      return c([lv('null'), lv('exact'), lv('different', { bayes_factor: 0.05 })]);
    case 'date':
      return c([
        lv('null'),
        lv('exact'),
        lv('date_typo'),
        lv('date_day_month_swap'),
        lv('date_year_month'),
        lv('levenshtein', { max: 2 }),
        lv('date_year', { max: 1 }),
        lv('else'),
      ]);
    case 'email':
      return c([lv('null'), lv('exact'), lv('levenshtein', { max: 2 }), lv('jaro_winkler', { threshold: 0.88 }), lv('else')]);
    case 'postcode':
      return c([lv('null'), lv('exact', { tf_adjust: true }), lv('levenshtein', { max: 1 }), lv('else')]);
    case 'phone':
      return c([lv('null'), lv('exact'), lv('levenshtein', { max: 1 }), lv('levenshtein', { max: 2 }), lv('else')]);
    case 'street_number':
      return c([lv('null'), lv('exact'), lv('levenshtein', { max: 1 }), lv('else')]);
    case 'city':
      return c([lv('null'), lv('exact', { tf_adjust: true }), lv('jaro_winkler', { threshold: 0.9 }), lv('jaro_winkler', { threshold: 0.75 }), lv('else')]);
    case 'state':
    case 'category':
      return c([lv('null'), lv('exact'), lv('else')]);
    case 'address': {
      const partner = profiles.find((q) => q.role === 'address' && q.column !== p.column)?.column;
      const levels: Level[] = [lv('null'), lv('exact', { tf_adjust: true })];
      if (partner) levels.push(lv('swapped', { with: partner }));
      levels.push(
        lv('jaro_winkler', { threshold: 0.9 }),
        lv('token_overlap', { threshold: 0.5 }),
        lv('jaro_winkler', { threshold: 0.75 }),
        lv('else'),
      );
      return c(levels);
    }
    case 'identifier':
      return c([lv('null'), lv('exact'), lv('levenshtein', { max: 1 }), lv('levenshtein', { max: 2 }), lv('else')]);
    case 'text':
      return c([lv('null'), lv('exact', { tf_adjust: true }), lv('jaro_winkler', { threshold: 0.9 }), lv('jaro_winkler', { threshold: 0.75 }), lv('else')]);
    case 'id':
    case 'ignore':
      return undefined;
  }
}

function blockingFor(profiles: readonly ColumnProfile[]): BlockingRule[] {
  const col = (role: ColumnRole): string | undefined => profiles.find((p) => p.role === role)?.column;
  const all = (role: ColumnRole): string[] => profiles.filter((p) => p.role === role).map((p) => p.column);
  const rules: BlockingRule[] = [];
  const given = col('given_name');
  const surname = col('surname');
  const full = col('full_name');
  const date = col('date');
  const postcode = col('postcode');
  const city = col('city');
  const streetNumber = col('street_number');
  const address = col('address');
  for (const f of all('identifier')) rules.push({ name: `${f} exact`, keys: [{ field: f, fn: 'exact' }] });
  for (const f of all('email')) rules.push({ name: `${f} exact`, keys: [{ field: f, fn: 'exact' }] });
  for (const f of all('phone')) rules.push({ name: `${f} digits`, keys: [{ field: f, fn: 'digits' }] });
  if (date) rules.push({ name: `${date} exact`, keys: [{ field: date, fn: 'exact' }] });
  if (given && surname) {
    rules.push({
      name: 'names sound alike',
      keys: [
        { field: given, fn: 'double_metaphone' },
        { field: surname, fn: 'double_metaphone' },
      ],
    });
  }
  const name = surname ?? full;
  if (name && postcode) rules.push({ name: `${name} initial & ${postcode}`, keys: [{ field: name, fn: 'first_chars', n: 1 }, { field: postcode, fn: 'exact' }] });
  if (postcode && streetNumber) rules.push({ name: `${postcode} & ${streetNumber}`, keys: [{ field: postcode, fn: 'exact' }, { field: streetNumber, fn: 'exact' }] });
  if (name && city) rules.push({ name: `${name} & ${city}`, keys: [{ field: name, fn: 'soundex' }, { field: city, fn: 'exact' }] });
  if (given && date) rules.push({ name: `${given} & ${date} year`, keys: [{ field: given, fn: 'double_metaphone' }, { field: date, fn: 'year' }] });
  if (surname && date) rules.push({ name: `${surname} & ${date} year`, keys: [{ field: surname, fn: 'double_metaphone' }, { field: date, fn: 'year' }] });
  if (address && postcode) rules.push({ name: `${address} & ${postcode}`, keys: [{ field: address, fn: 'first_chars', n: 4 }, { field: postcode, fn: 'exact' }] });
  if (rules.length === 0) {
    const first = profiles.find((p) => p.role !== 'id' && p.role !== 'ignore');
    if (first) rules.push({ name: `${first.column} exact`, keys: [{ field: first.column, fn: 'exact' }] });
  }
  return rules;
}

export interface InferredModel {
  model: MatchModel;
  profiles: ColumnProfile[];
  idColumn: string | undefined;
}

/**
 * Infers a model from snake_case column names and rows. `idColumn` (when known) is excluded from comparison;
 * otherwise a column named like an id whose values are all distinct is taken as the id.
 */
export function inferModel(columns: readonly string[], rows: readonly RawRecord[], options: { idColumn?: string; name?: string } = {}): InferredModel {
  let profiles = profileColumns(columns, rows, options.idColumn);
  let idColumn = options.idColumn;
  if (idColumn === undefined) {
    const candidate = profiles.find((p) => p.role === 'id' && p.unique) ?? profiles.find((p) => p.role === 'identifier' && p.unique && /id$/.test(p.column));
    idColumn = candidate?.column;
    profiles = profiles.map((p) =>
      p.column === idColumn ? { ...p, role: 'id' } : p.role === 'id' ? { ...p, role: p.unique ? 'ignore' : 'identifier' } : p,
    );
  }
  const comparisons = profiles.map((p) => comparisonFor(p, profiles)).filter((c): c is Comparison => c !== undefined);
  const normalize: Record<string, Normalizer[]> = {};
  for (const p of profiles) {
    if (p.role === 'phone') normalize[p.column] = ['digits'];
    if (p.role === 'given_name' || p.role === 'surname' || p.role === 'middle_name' || p.role === 'suffix') normalize[p.column] = ['strip_punctuation'];
    if (p.role === 'postcode' || p.role === 'identifier') normalize[p.column] = ['alnum'];
  }
  const n = Math.max(2, rows.length);
  const model = validateModel({
    version: 1,
    name: options.name ?? 'inferred',
    description: `Inferred from columns: ${profiles.map((p) => `${p.column} (${p.role})`).join(', ')}`,
    id_column: idColumn,
    prior: Math.min(0.1, Math.max(1e-9, 1 / n)),
    thresholds: { unit: 'probability', match: 0.9, review: 0.5 },
    normalize: Object.keys(normalize).length ? normalize : undefined,
    blocking: blockingFor(profiles),
    comparisons,
    clustering: { min_average_probability: 0.5, veto_weight: -8, max_cross_pairs: 400 },
    training: { seed: 42, random_pairs: 50_000, max_iterations: 30, tolerance: 1e-4 },
  });
  return { model, profiles, idColumn };
}
