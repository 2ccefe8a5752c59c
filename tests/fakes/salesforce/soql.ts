/**
 * Just enough SOQL for the fake org: `SELECT a, b, R__r.c | COUNT() FROM X [WHERE ...] [ORDER BY f [, f]] [LIMIT n]`,
 * conditions with AND / OR / NOT / parentheses and `= != < <= > >=` against strings, numbers, booleans, null and
 * datetime literals. Unknown fields are an INVALID_FIELD error, as in a real org.
 */
export type Value = string | number | boolean | null;
export type Condition =
  | { op: 'and' | 'or'; left: Condition; right: Condition }
  | { op: 'not'; inner: Condition }
  | { op: 'cmp'; field: string; cmp: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Value; datetime: boolean };

export type SoqlQuery = { fields: string[]; count: boolean; object: string; where?: Condition; orderBy: string[]; limit?: number };

export class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

type Token = { kind: 'word' | 'string' | 'number' | 'datetime' | 'op' | 'punct'; text: string };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const rest = text.slice(i);
    const dt = DATETIME.exec(rest);
    if (dt) {
      tokens.push({ kind: 'datetime', text: dt[0] });
      i += dt[0].length;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== "'") {
        if (text[j] === '\\') j += 1;
        value += text[j];
        j += 1;
      }
      tokens.push({ kind: 'string', text: value });
      i = j + 1;
      continue;
    }
    const op = /^(<=|>=|!=|<>|=|<|>)/.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', text: op[0] === '<>' ? '!=' : op[0] });
      i += op[0].length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c });
      i += 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?(?![\w-])/.exec(rest);
    if (num) {
      tokens.push({ kind: 'number', text: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0] });
      i += word[0].length;
      continue;
    }
    throw new SoqlError('MALFORMED_QUERY', `unexpected character ${c} at ${i}`);
  }
  return tokens;
}

export function parseSoql(text: string): SoqlQuery {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const t = tokens[at++];
    if (!t) throw new SoqlError('MALFORMED_QUERY', 'unexpected end of query');
    return t;
  };
  const isWord = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text.toUpperCase() === w;
  const expectWord = (w: string) => {
    const t = next();
    if (!isWord(t, w)) throw new SoqlError('MALFORMED_QUERY', `expected ${w}, got ${t.text}`);
  };

  expectWord('SELECT');
  const fields: string[] = [];
  let count = false;
  if (isWord(peek(), 'COUNT')) {
    next();
    next();
    next();
    count = true;
  } else {
    for (;;) {
      fields.push(next().text);
      if (peek()?.text === ',') next();
      else break;
    }
  }
  expectWord('FROM');
  const object = next().text;

  const parseValue = (): { value: Value; datetime: boolean } => {
    const t = next();
    if (t.kind === 'string') return { value: t.text, datetime: false };
    if (t.kind === 'number') return { value: Number(t.text), datetime: false };
    if (t.kind === 'datetime') return { value: new Date(t.text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).getTime(), datetime: true };
    if (isWord(t, 'TRUE')) return { value: true, datetime: false };
    if (isWord(t, 'FALSE')) return { value: false, datetime: false };
    if (isWord(t, 'NULL')) return { value: null, datetime: false };
    throw new SoqlError('MALFORMED_QUERY', `unexpected value ${t.text}`);
  };
  const parsePrimary = (): Condition => {
    if (peek()?.text === '(') {
      next();
      const inner = parseOr();
      if (next().text !== ')') throw new SoqlError('MALFORMED_QUERY', 'expected )');
      return inner;
    }
    if (isWord(peek(), 'NOT')) {
      next();
      return { op: 'not', inner: parsePrimary() };
    }
    const field = next();
    if (field.kind !== 'word') throw new SoqlError('MALFORMED_QUERY', `expected a field, got ${field.text}`);
    const op = next();
    if (op.kind !== 'op') throw new SoqlError('MALFORMED_QUERY', `expected an operator after ${field.text}`);
    const { value, datetime } = parseValue();
    return { op: 'cmp', field: field.text, cmp: op.text as '=', value, datetime };
  };
  const parseAnd = (): Condition => {
    let left = parsePrimary();
    while (isWord(peek(), 'AND')) {
      next();
      left = { op: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  function parseOr(): Condition {
    let left = parseAnd();
    while (isWord(peek(), 'OR')) {
      next();
      left = { op: 'or', left, right: parseAnd() };
    }
    return left;
  }

  let where: Condition | undefined;
  if (isWord(peek(), 'WHERE')) {
    next();
    where = parseOr();
  }
  const orderBy: string[] = [];
  if (isWord(peek(), 'ORDER')) {
    next();
    expectWord('BY');
    for (;;) {
      orderBy.push(next().text);
      if (isWord(peek(), 'ASC')) next();
      if (peek()?.text === ',') next();
      else break;
    }
  }
  let limit: number | undefined;
  if (isWord(peek(), 'LIMIT')) {
    next();
    limit = Number(next().text);
  }
  if (at < tokens.length) throw new SoqlError('MALFORMED_QUERY', `unexpected ${tokens[at]!.text}`);
  return { fields, count, object, where, orderBy, limit };
}

/** Reads a field (possibly `Rel__r.Field`) of a row; `datetime` fields come back as ms. */
export type FieldReader = (row: Record<string, unknown>, field: string) => Value;

export function evaluate(condition: Condition, row: Record<string, unknown>, read: FieldReader): boolean {
  switch (condition.op) {
    case 'and':
      return evaluate(condition.left, row, read) && evaluate(condition.right, row, read);
    case 'or':
      return evaluate(condition.left, row, read) || evaluate(condition.right, row, read);
    case 'not':
      return !evaluate(condition.inner, row, read);
    case 'cmp': {
      const actual = read(row, condition.field);
      const expected = condition.value;
      if (condition.cmp === '=') return actual === expected;
      if (condition.cmp === '!=') return actual !== expected;
      if (actual === null || expected === null) return false;
      if (condition.cmp === '<') return actual < expected;
      if (condition.cmp === '<=') return actual <= expected;
      if (condition.cmp === '>') return actual > expected;
      return actual >= expected;
    }
  }
}
