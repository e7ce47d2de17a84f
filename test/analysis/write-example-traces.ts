/**
 * Regenerates docs/examples/support-desk.traces.jsonl, the input of the worked example in
 * docs/analysis.md: `npx tsx test/analysis/write-example-traces.ts`. Ids and timestamps change on
 * every run; the counts do not (test/analysis/docs-example.test.ts checks them).
 */
import { rmSync } from 'node:fs';
import { fromRoot } from '../helpers/paths.js';
import { runScenarios } from './support-desk-traffic.js';

const file = fromRoot('docs/examples/support-desk.traces.jsonl');
rmSync(file, { force: true });
await runScenarios(file);
console.log(`wrote ${file}`);
