import { resolve } from 'node:path';
import { createTransformEnv, getTransform, parseMappingText, type CompiledMapping, type LookupTable } from '../../../src/mapping/index.js';

export const REFERENCE_DIR = resolve('mappings/reference');

/** Compiles mapping YAML held in a test; fails the test with every error when it does not compile. */
export function compileYaml(text: string, tables: LookupTable[] = []): CompiledMapping {
  const { mapping, errors } = parseMappingText(text, { file: 'inline.yaml', env: createTransformEnv(REFERENCE_DIR, tables) });
  if (!mapping) throw new Error(`mapping did not compile:\n${errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return mapping;
}

/** Runs one registered transform the way a compiled mapping does, arguments parsed by its schema. */
export function runTransform(name: string, value: unknown, args?: unknown, row: Record<string, unknown> = {}): unknown {
  const definition = getTransform(name);
  if (!definition) throw new Error(`no transform ${name}`);
  const parsed = definition.args ? definition.args.parse(args) : undefined;
  const fn = definition.create(parsed, createTransformEnv(REFERENCE_DIR));
  return fn(value, { row, context: {} });
}
