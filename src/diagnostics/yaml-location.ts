import { relative } from 'node:path';
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * Where a configuration problem is, for every YAML document Crosswalk reads (mappings, survivorship rules, matching
 * models): a path inside the document (`entities[0].fields.identifiers[1]`), its line and column, and the file as a
 * person would type it.
 */

/** `entities[0].fields.lastName` from `['entities', 0, 'fields', 'lastName']`. */
export function formatDocumentPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/**
 * The line and column of a document path: the key's position for a map entry (that is the line a person edits),
 * the item's position in a list. Walks as far as the path exists, so a missing key points at its parent.
 */
export function locateYamlPath(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): { line: number; column: number } | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) === String(seg) : String(item.key) === String(seg)));
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** A path relative to the working directory when it is inside it, absolute otherwise. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** One problem in a configuration file: a stable code, where it is (file, line, column, document path), what and a hint. */
export type FileIssue = { code: string; file: string; line?: number; column?: number; path: string; message: string; hint?: string };

/**
 * One block per issue in the compiler style editors link to, then a count:
 *
 *     mappings/sources/veeva-crm.accounts.yaml:24:11  entities[0].fields.identifiers[0].value.transforms[0]
 *       unknown transform `nip` [transform.unknown]
 *       hint: did you mean `npi`?
 */
export function formatFileIssues(issues: readonly FileIssue[], whenValid: string): string {
  if (issues.length === 0) return whenValid;
  const blocks = issues.map((issue) => {
    const where = issue.line !== undefined ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
    const lines = [`${where}${issue.path ? `  ${issue.path}` : ''}`, `  ${issue.message} [${issue.code}]`];
    if (issue.hint) lines.push(`  hint: ${issue.hint}`);
    return lines.join('\n');
  });
  const files = new Set(issues.map((e) => e.file)).size;
  blocks.push(`${issues.length} error${issues.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`);
  return blocks.join('\n\n');
}

/** The YAML syntax errors of a parsed document, one issue each, with their line and column. */
export function yamlSyntaxIssues(doc: Document, file: string, lineCounter: LineCounter): FileIssue[] {
  return doc.errors.map((error) => {
    const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    return {
      code: 'yaml.syntax',
      file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      path: '',
      message: error.message.split('\n')[0] ?? error.message,
      hint: 'fix the YAML syntax first: indentation, a missing colon, or an unclosed bracket or quote',
    };
  });
}
