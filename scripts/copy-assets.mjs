#!/usr/bin/env node
// After `tsc`, copies what the compiled code reads beside itself: the SQL migrations and the built console.
import { cpSync, existsSync } from 'node:fs';

cpSync('src/store/migrations', 'dist/src/store/migrations', { recursive: true, filter: (f) => !f.endsWith('.ts') });
if (existsSync('src/console/dist')) cpSync('src/console/dist', 'dist/src/console/dist', { recursive: true });
