/**
 * `npm run bench`: the five comparisons of docs/performance.md, each a ratio measured in one run on this
 * machine. Not a test: nothing here asserts on time. BENCH_DIAGRAMS=N renders fewer diagrams.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { manyMistakes, syntheticTopology } from './synthetic.js';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const work = mkdtempSync(join(root, '.tmp-bench-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (fn: () => void) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function coldValidate(): void {
  const runs = 11;
  const node: number[] = [];
  const validate: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(time(() => execFileSync(process.execPath, ['-e', '0'])));
    validate.push(time(() => execFileSync(process.execPath, [join(root, 'bin/switchboard.js'), 'validate', join(root, 'topologies/support-desk.yaml')])));
  }
  const ratio = median(validate) / median(node);
  console.log(`1. cold validate of the example: ${fmt(median(validate))} vs node -e 0: ${fmt(median(node))} → ${ratio.toFixed(2)}× (target ≤ 2.0×, medians of ${runs})`);
}

function compileScaling(): void {
  writeFileSync(join(work, 'tools.ts'), 'export function lookup(args: { recordId: string; limit: number | null }): string {\n  return args.recordId;\n}\n');
  console.log('2. validate + compile of synthetic stars (5 tools per specialist), one process per size:');
  let previous: { agents: number; ms: number } | undefined;
  for (const agents of [10, 100, 300, 1000]) {
    const file = join(work, `bench-${agents}.yaml`);
    writeFileSync(file, syntheticTopology(agents, 'tools.ts#lookup'));
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/measure-compile.ts'), file, join(work, 'out')], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    const m = JSON.parse(result.stdout) as { validateMs: number; compileMs: number; totalMs: number; bytes: number; peakRssMb: number };
    const growth = previous ? ` · ${(m.totalMs / previous.ms).toFixed(1)}× the time for ${(agents / previous.agents).toFixed(1)}× the agents` : '';
    console.log(`   ${String(agents).padStart(4)} agents: ${fmt(m.totalMs)} (validate ${fmt(m.validateMs)}, compile ${fmt(m.compileMs)}), ${(m.bytes / 1024).toFixed(0)} KiB out, peak RSS ${m.peakRssMb.toFixed(0)} MB${growth}${agents === 300 ? ' (target ≤ 0.5 s)' : ''}`);
    previous = { agents, ms: m.totalMs };
  }
}

function manyDiagnostics(): void {
  const file = join(work, 'many-mistakes.yaml');
  writeFileSync(file, manyMistakes(15_000));
  const runs = 3;
  // pretty prints the first 200 per file (then a count); json prints every one.
  for (const [label, extra, count] of [
    ['pretty (first 200 shown)', [], (out: string) => out.split('\n').filter((line) => line.includes('modle')).length],
    ['--format json (all)', ['--format', 'json'], (out: string) => out.split('"ruleId"').length - 1],
  ] as const) {
    const times: number[] = [];
    let printed = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const result = spawnSync(process.execPath, [join(root, 'bin/switchboard.js'), 'validate', file, '--no-color', ...extra], { encoding: 'utf8', maxBuffer: 1 << 30 });
      times.push(performance.now() - start);
      if (result.status !== 1) throw new Error(`expected exit 1, got ${result.status}: ${result.stderr}`);
      printed = count(result.stdout);
    }
    console.log(`${label === 'pretty (first 200 shown)' ? '2b.' : '   '} 15,000 diagnostics validated and printed by the CLI, ${label}: ${fmt(median(times))} (${printed} ${label.startsWith('pretty') ? 'output lines naming the key' : 'diagnostics in the JSON'}, median of ${runs}; target ≤ 2 s)`);
  }
}

function rendering(): void {
  const count = Number(process.env.BENCH_DIAGRAMS ?? 20);
  if (!existsSync('/usr/bin/chromium')) {
    console.log('3. rendering: skipped (no /usr/bin/chromium)');
    return;
  }
  const diagrams = join(work, 'diagrams');
  mkdirSync(diagrams);
  for (let i = 0; i < count; i++) copyFileSync(join(root, ['generated/support-desk', 'generated/clinic-scheduling', 'generated/airline'][i % 3]!, 'topology.mmd'), join(diagrams, `d${i}.mmd`));
  const oneBrowser = time(() => execFileSync(process.execPath, [join(root, 'bin/switchboard.js'), 'render', diagrams, '--out', join(work, 'svg-one')]));
  const config = join(work, 'puppeteer.json');
  writeFileSync(config, JSON.stringify({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] }));
  const mmdc = join(root, 'node_modules/.bin/mmdc');
  const perProcess = time(() => {
    for (let i = 0; i < count; i++) execFileSync(mmdc, ['-p', config, '-i', join(diagrams, `d${i}.mmd`), '-o', join(work, `mmdc-${i}.svg`)], { stdio: 'ignore' });
  });
  console.log(
    `3. rendering ${count} diagrams: one browser ${fmt(oneBrowser)} (${fmt(oneBrowser / count)} each) vs one mmdc per diagram ${fmt(perProcess)} (${fmt(perProcess / count)} each) → ${(perProcess / oneBrowser).toFixed(1)}× (target ≥ 5×)`,
  );
}

try {
  console.log(`switchboard benchmarks on ${process.platform}/${process.arch}, node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
  coldValidate();
  compileScaling();
  manyDiagnostics();
  rendering();
  const evalBench = join(root, 'bench/eval.ts');
  if (existsSync(evalBench)) execFileSync(process.execPath, ['--import', 'tsx', evalBench], { stdio: 'inherit', cwd: root });
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench/tool-validation.ts')], { stdio: 'inherit', cwd: root });
} finally {
  rmSync(work, { recursive: true, force: true });
}
