/**
 * Benchmark 4: `switchboard eval` of 200 cases against a scripted model that takes 200 ms per call, at
 * concurrency 16, against the ideal (ceil(200 / 16) rounds × 200 ms). Start-up, compile and import
 * cost the same whatever the dataset, so a run of 16 cases (one round) is subtracted from the run of
 * 200: what remains is 12 rounds of model latency plus all per-case work, against 12 × 200 ms. The
 * whole process (start-up included) is also compared with 13 rounds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const work = mkdtempSync(join(root, '.tmp-bench-eval-'));
const CASES = 200;
const CONCURRENCY = 16;
const LATENCY_MS = 200;

try {
  const source = parse(readFileSync(join(root, 'evals/support-desk.routing.yaml'), 'utf8')) as { cases: { id: string }[] };
  const dataset = (count: number) => {
    const file = join(work, `bench-${count}.routing.yaml`);
    const cases = Array.from({ length: count }, (_, i) => ({ ...source.cases[i % source.cases.length]!, id: `case-${i}` }));
    writeFileSync(file, stringify({ ...source, cases }, { aliasDuplicateObjects: false }));
    return file;
  };
  const run = (file: string) => {
    const start = performance.now();
    execFileSync(process.execPath, [join(root, 'bin/switchboard.js'), 'eval', 'topologies/support-desk.yaml', '-d', file, '--provider', 'bench/slow-provider.ts#provider', '--concurrency', String(CONCURRENCY), '--no-progress'], {
      cwd: root,
      env: { ...process.env, BENCH_LATENCY_MS: String(LATENCY_MS) },
      stdio: 'ignore',
    });
    return performance.now() - start;
  };
  const oneRound = run(dataset(CONCURRENCY));
  const total = run(dataset(CASES));
  const rounds = Math.ceil(CASES / CONCURRENCY) - 1;
  const ideal = rounds * LATENCY_MS;
  console.log(
    `4. eval of ${CASES} cases, ${LATENCY_MS} ms per model call, concurrency ${CONCURRENCY}: ${(total / 1000).toFixed(2)} s in all; ` +
      `minus a one-round run of ${CONCURRENCY} cases (${(oneRound / 1000).toFixed(2)} s, start-up included) ${((total - oneRound) / 1000).toFixed(2)} s ` +
      `vs ideal ${rounds} × ${LATENCY_MS} ms = ${(ideal / 1000).toFixed(2)} s → ${((total - oneRound) / ideal).toFixed(2)}× (target ≤ 1.25×); ` +
      `whole process ${(total / 1000).toFixed(2)} s vs ideal ${rounds + 1} × ${LATENCY_MS} ms = ${(((rounds + 1) * LATENCY_MS) / 1000).toFixed(2)} s → ${(total / ((rounds + 1) * LATENCY_MS)).toFixed(2)}× (target ≤ 1.2×)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
