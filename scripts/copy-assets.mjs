#!/usr/bin/env node
// After `tsc`, copies what the compiled code reads beside itself: the SQL migrations.
import { cpSync } from 'node:fs';

cpSync('src/store/migrations', 'dist/src/store/migrations', { recursive: true, filter: (f) => !f.endsWith('.ts') });
