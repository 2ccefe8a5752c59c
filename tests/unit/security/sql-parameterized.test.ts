import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * SQL is parameterized: values travel as `$n` parameters, never inside the SQL text. This test reads every
 * TypeScript file under src/ and lists each `${...}` interpolated into SQL text: template literals passed straight
 * to `.query(`, and template literals that read as SQL wherever they are built. Each known one is allowed below with
 * the reason it is safe (an identifier or a fragment from code, never a value from outside). A new one fails the
 * test: pass the value as a parameter, or, if it really is an identifier from code, add it here with the reason.
 * String concatenation inside `.query(` (`'SELECT ... ' + x`) always fails. SQL built in a plain variable from
 * strings and `+` elsewhere is not seen: keep SQL in template literals.
 */
const ALLOWED: Record<string, Record<string, string>> = {
  'src/store/database.ts': {
    'quoteIdent(schema)': 'schema name from configuration, quoted as an identifier',
    'quoteIdent(options.schema)': 'schema name from configuration, quoted as an identifier',
  },
  'src/store/field-issue.queries.ts': { from: 'constant FROM clause of the same function', where: 'constant WHERE clause with $n parameters' },
  'src/store/review.repository.ts': { SELECT: 'constant SELECT of the module' },
  'src/store/sync-run.repository.ts': { COLUMNS: 'constant column list of the module' },
  'src/store/member.queries.ts': {
    MEMBER_COLUMNS: 'constant column list of the module',
    "sourceRecordIds ? BY_RECORD : ''": 'constant condition of the module whose value is a $n parameter',
  },
  'src/pipeline/attach-facts.ts': {
    't.table': 'fact table name from the constant CUSTOMER_FACTS',
    't.master': 'column name from the constant CUSTOMER_FACTS',
    't.stream': 'column name from the constant CUSTOMER_FACTS',
    't.sourceId': 'column name from the constant CUSTOMER_FACTS',
    't.customer': 'column name from the constant CUSTOMER_FACTS',
  },
  'src/auth/user.repository.ts': { USER_SELECT: 'constant SELECT of the module' },
  'src/api/queries/audit.ts': { source: "one of two constant relation names ('audit_log_entry' or 'audit_log')" },
  'src/api/queries/golden-detail.ts': {
    "iso('g.computed_at')": 'constant to_char of a column name from code',
    "iso('p.pinned_at')": 'constant to_char of a column name from code',
    "iso('c.linked_at')": 'constant to_char of a column name from code',
    "iso('s.source_updated_at')": 'constant to_char of a column name from code',
    "iso('s.last_changed_at')": 'constant to_char of a column name from code',
    "iso('h.at')": 'constant to_char of a column name from code',
    "iso('e.merged_at')": 'constant to_char of a column name from code',
    "iso('e.undone_at')": 'constant to_char of a column name from code',
  },
  'src/privacy/erase.ts': {
    "refOf('m')": 'column name from code',
    "refOf('left_ref')": 'column name from code',
    "refOf('right_ref')": 'column name from code',
    't.table': 'table name read from pg_constraint, quoted by PostgreSQL (regclass text)',
    't.column': 'column name read from pg_attribute, quoted by quote_ident()',
  },
  'src/privacy/export.ts': {
    "refOf('m')": 'column name from code',
    "refOf('left_ref')": 'column name from code',
    "refOf('right_ref')": 'column name from code',
    't.table': 'table name read from pg_constraint, quoted by PostgreSQL (regclass text)',
    't.column': 'column name read from pg_attribute, quoted by quote_ident()',
  },
};

function listTs(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) listTs(full, out);
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Reads the template literal starting at `src[start] === '`'`: where it ends, its static text, each `${...}`. */
function readTemplate(src: string, start: number): { end: number; text: string; exprs: string[] } {
  const exprs: string[] = [];
  let text = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      text += src.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '`') return { end: i, text, exprs };
    if (c === '$' && src[i + 1] === '{') {
      let depth = 1;
      let k = i + 2;
      const from = k;
      while (k < src.length && depth > 0) {
        const d = src[k]!;
        if (d === '`') {
          k = readTemplate(src, k).end + 1;
          continue;
        }
        if (d === "'" || d === '"') {
          k += 1;
          while (k < src.length && src[k] !== d) k += src[k] === '\\' ? 2 : 1;
          k += 1;
          continue;
        }
        if (d === '{') depth += 1;
        if (d === '}') depth -= 1;
        k += 1;
      }
      exprs.push(src.slice(from, k - 1).trim());
      text += '$?';
      i = k;
      continue;
    }
    text += c;
    i += 1;
  }
  return { end: i, text, exprs };
}

const SQL_START = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|TRUNCATE|LOCK|GRANT|REVOKE)\b/;
const SQL_BODY = /\b(FROM|INTO|SET|WHERE|VALUES|TABLE|SCHEMA|ON)\b/;

type Finding = { file: string; expr: string; line: number };

function scan(file: string, src: string): Finding[] {
  const findings: Finding[] = [];
  const lineOf = (index: number) => src.slice(0, index).split('\n').length;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    // Comments and plain strings are skipped, so a backtick inside them is not taken for a template.
    if (c === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i + 2) + 1;
      if (i <= 0) break;
      continue;
    }
    if (c === "'" || c === '"') {
      let k = i + 1;
      while (k < src.length && src[k] !== c && src[k] !== '\n') k += src[k] === '\\' ? 2 : 1;
      i = k;
      continue;
    }
    if (c !== '`') continue;
    const t = readTemplate(src, i);
    const passedToQuery = /\.query(?:<[^()]*>)?\(\s*$/.test(src.slice(Math.max(0, i - 400), i));
    const looksLikeSql = SQL_START.test(t.text) && SQL_BODY.test(t.text);
    if ((passedToQuery || looksLikeSql) && t.exprs.length) for (const expr of t.exprs) findings.push({ file, expr, line: lineOf(i) });
    i = t.end;
  }
  const concat = /\.query(?:<[^()]*>)?\(\s*(['"])(?:(?!\1)[^\\\n]|\\.)*\1\s*\+/g;
  for (const m of src.matchAll(concat)) findings.push({ file, expr: `string concatenation: ${m[0].slice(0, 60)}`, line: lineOf(m.index) });
  return findings;
}

describe('SQL in src/', () => {
  const files = listTs('src').map((f) => f.split(path.sep).join('/'));
  const findings = files.flatMap((f) => scan(f, readFileSync(f, 'utf8')));

  it('interpolates nothing but allow-listed identifiers and fragments from code', () => {
    const unexpected = findings.filter((f) => !ALLOWED[f.file]?.[f.expr]).map((f) => `${f.file}:${f.line}: \${${f.expr}}`);
    expect(unexpected, 'pass values as $n parameters; see the comment at the top of this test').toEqual([]);
  });

  it('finds the interpolations it knows about, so a broken scanner cannot pass silently', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(findings.some((f) => f.file === 'src/store/database.ts' && f.expr === 'quoteIdent(schema)')).toBe(true);
    expect(findings.some((f) => f.file === 'src/privacy/erase.ts' && f.expr === 't.table')).toBe(true);
  });

  it('flags a value interpolated into SQL and a concatenation inside query(', () => {
    const sample = [
      "await db.query(`SELECT * FROM golden_record WHERE master_id = '${id}'`);",
      "const sql = `UPDATE master_entity SET status = 'x' WHERE id = ${masterId}`;",
      "await db.query('SELECT * FROM t WHERE a = ' + value);",
      '// db.query(`SELECT ${commented} FROM t`) is not code',
      'log(`read ${n} rows`);',
    ].join('\n');
    expect(scan('sample.ts', sample).map((f) => f.expr)).toEqual(['id', 'masterId', "string concatenation: .query('SELECT * FROM t WHERE a = ' +"]);
  });
});
