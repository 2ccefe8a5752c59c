#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx crosswalk` works from a fresh clone without a build step.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
// A young generation of 64 MB instead of V8's 16 MB: the API and the workers make short-lived objects for every
// request and batch, and with the default they outlive too many scavenges, reach the old generation (where the API's
// search index lives, half a gigabyte at a million masters) and are collected by full collections. At 1,000,000
// masters under 50 clients one comparison run gave some scenarios a quarter more answers a second (bench/api-load.ts).
const options = process.env.NODE_OPTIONS ?? '';
const env = { ...process.env, NODE_OPTIONS: /--max-semi-space-size/.test(options) ? options : `${options} --max-semi-space-size=64`.trim() };
const result = spawnSync(process.execPath, [tsx, path.join(here, '..', 'src', 'cli', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
