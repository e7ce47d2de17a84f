/**
 * `node --import tsx bench/preview.ts` (after `npm run build`): how long `switchboard preview` takes
 * from a save to the page showing it, in headless Chromium (/usr/bin/chromium or CHROMIUM=path), on a
 * scratch copy of the example: a YAML edit (re-validation, Mermaid in the browser) and a trace file
 * that grows (the traffic overlay). Not a test: nothing asserts on time. Target (issue 19): a save
 * shows within a second.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const work = mkdtempSync(join(root, '.tmp-bench-preview-'));
const yaml = readFileSync(join(root, 'topologies/support-desk.yaml'), 'utf8');
cpSync(join(root, 'topologies/support-desk'), join(work, 'support-desk'), { recursive: true });
writeFileSync(join(work, 'support-desk.yaml'), yaml);
mkdirSync(join(work, 'traces'));
const traces = join(work, 'traces/support-desk.jsonl');
writeFileSync(traces, readFileSync(join(root, 'docs/examples/support-desk.traces.jsonl'), 'utf8'));

const child = spawn(process.execPath, [join(root, 'bin/switchboard.js'), 'preview', 'support-desk.yaml'], { cwd: work, stdio: ['ignore', 'pipe', 'ignore'] });
let stdout = '';
child.stdout.on('data', (d) => (stdout += d));
while (!/http:\/\/\S+/.test(stdout)) await new Promise((r) => setTimeout(r, 50));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

const summary = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { median: at(50), p95: at(95), max: sorted.at(-1)! };
};
const row = (label: string, xs: number[]) => {
  const s = summary(xs);
  console.log(`  ${label.padEnd(34)} median ${s.median.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, max ${s.max.toFixed(0)} ms → ${(s.max / 1000).toFixed(2)}× the 1 s target at worst`);
};

try {
  const page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(/http:\/\/\S+/.exec(stdout)![0]);
  await page.waitForSelector('body[data-state=ready] #diagram svg');
  const edits: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const name = `Billing${i}Agent`;
    const start = performance.now();
    writeFileSync(join(work, 'support-desk.yaml'), yaml.replace('name: BillingAgent', `name: ${name}`));
    await page.waitForFunction((n) => document.querySelector('#diagram')!.textContent!.includes(n), { polling: 'mutation' }, name);
    if (i > 0) edits.push(performance.now() - start); // the first is the warm-up
  }
  writeFileSync(join(work, 'support-desk.yaml'), yaml);
  await page.waitForFunction(() => document.querySelector('#diagram')!.textContent!.includes('BillingAgent ('), { polling: 'mutation' });
  const grows: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const id = `trace_bench_${i}`;
    appendFileSync(traces, `${JSON.stringify({ v: 1, type: 'span', trace_id: id, span_id: `s${i}`, parent_id: null, kind: 'agent', started_at: null, ended_at: null, error: null, data: { name: 'Triage Agent' } })}\n`);
    const expected = `${21 + i} conversations,`;
    await page.waitForFunction((t) => document.querySelector('#traffic-summary')?.textContent?.startsWith(t), { polling: 'mutation' }, expected);
    if (i > 0) grows.push(performance.now() - start);
  }
  console.log(`preview: save → page shows it, ${runs} runs each after a warm-up (debounce 100 ms, traces read at most every 300 ms):`);
  row('YAML edit → diagram redrawn', edits);
  row('trace file grows → overlay updated', grows);
} finally {
  await browser.close();
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  rmSync(work, { recursive: true, force: true });
}
