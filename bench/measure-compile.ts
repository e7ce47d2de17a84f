/**
 * Child process of the benchmark: validate and compile one topology file in memory, then print the
 * wall time of each stage and the process's peak memory as JSON.
 */
import { performance } from 'node:perf_hooks';
import { validateFile } from '../dist/validate.js';
import { compileTopology } from '../dist/compile.js';

const [file, outDir] = process.argv.slice(2) as [string, string];
const start = performance.now();
const result = validateFile(file);
const validated = performance.now();
if (!result.ok) throw new Error(`benchmark topology is invalid: ${result.diagnostics[0]?.message}`);
const files = await compileTopology(result, { outDir });
const compiled = performance.now();
process.stdout.write(
  JSON.stringify({
    validateMs: validated - start,
    compileMs: compiled - validated,
    totalMs: compiled - start,
    bytes: files.reduce((n, f) => n + f.contents.length, 0),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
