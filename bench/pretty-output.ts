/**
 * Pretty output with many diagnostics (issue 13: 15k diagnostics once took 232 s, because the whole
 * file was split into lines once per diagnostic). Validates a synthetic file with one unknown key per
 * agent and times `formatPretty` alone. Usage: node --import tsx bench/pretty-output.ts [agents] [formatter module]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { validateSource } from '../src/validate.js';
import { RULES } from '../src/rules/index.js';
import type { FormatInput } from '../src/diagnostics/format.js';

const agents = Number(process.argv[2] ?? 15_000);
const module = process.argv[3] ? pathToFileURL(resolve(process.argv[3])).href : '../src/diagnostics/format-pretty.js';
const { formatPretty } = (await import(module)) as { formatPretty: (input: FormatInput) => string };

const lines = ['version: 1', 'name: many-mistakes', 'entry: a0', 'rules: { fan-out: off, reachable: off, similar-descriptions: off, specialist-dead-end: off, unused-definition: off, handoff-description: off }', 'agents:'];
for (let i = 0; i < agents; i++) lines.push(`  a${i}:`, `    instructions: Agent number ${i} does its one job.`, `    modle: gpt-4o`);
const text = `${lines.join('\n')}\n`;
const result = validateSource(text, 'many-mistakes.yaml');
const input: FormatInput = {
  diagnostics: result.diagnostics,
  sources: new Map([['many-mistakes.yaml', result.source!.text]]),
  rules: RULES,
  filesChecked: 1,
  color: false,
  toolVersion: 'bench',
};
for (const [label, options] of [['default cap', {}], ['uncapped', { maxPerFile: Infinity }]] as const) {
  const start = performance.now();
  const output = formatPretty({ ...input, ...options });
  const ms = performance.now() - start;
  process.stdout.write(`${JSON.stringify({ label, agents, diagnostics: result.diagnostics.length, bytes: text.length, formatMs: Math.round(ms), outputLines: output.split('\n').length })}\n`);
}
