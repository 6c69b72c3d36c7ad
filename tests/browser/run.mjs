// Runs the panel's browser tests: panel.test.mjs first, then every other
// *.test.mjs in this folder by name, against one rappeld (harness.mjs).
//
//   node tests/browser/run.mjs
//   BROWSER_FILES=roles.test.mjs node tests/browser/run.mjs   (panel.test.mjs and those)
//
// Prints "N passed, N failed" and exits 1 when a test failed.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAll } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const only = (process.env.BROWSER_FILES || '').split(/[ ,]+/).filter(Boolean);
const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs') && f !== 'panel.test.mjs' &&
  (!only.length || only.includes(f))).sort();
for (const f of ['panel.test.mjs', ...files]) await import('./' + f);
await runAll();
