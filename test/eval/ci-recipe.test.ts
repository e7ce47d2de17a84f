import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

// The CI recipes of README.md and docs/eval.md, run exactly as written (the text is read from the
// files, not copied here) against the shipped cassette and baseline: offline, no API key.

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'switchboard-ci-recipe-'));
  for (const dir of ['topologies', 'generated', 'evals']) cpSync(join(repoRoot, dir), join(work, dir), { recursive: true });
  writeFileSync(join(work, 'package.json'), `${JSON.stringify({ name: 'my-support-line', private: true, type: 'module' }, null, 2)}\n`);
  // A project that installed switchboard: its node_modules holds the dependencies and the bin link
  // that `npx switchboard` finds (the compiled topology is cached in this node_modules, not the repo's).
  mkdirSync(join(work, 'node_modules/.bin'), { recursive: true });
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
    if (!name.startsWith('.')) symlinkSync(join(repoRoot, 'node_modules', name), join(work, 'node_modules', name));
  }
  symlinkSync(join(repoRoot, 'bin/switchboard.js'), join(work, 'node_modules/.bin/switchboard'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function shell(script: string): { code: number; output: string } {
  try {
    const output = execFileSync('bash', ['-e', '-c', script], { cwd: work, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? work, npm_config_offline: 'true', NO_COLOR: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    return { code: 0, output };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('CI recipes run offline as written', () => {
  it("README.md's CI block passes against the shipped cassette and baseline", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const block = /## CI\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toContain('--replay evals/support-desk.cassette.json');
    const { code, output } = shell(block!);
    expect(output).toContain('PASSED: every gate passed');
    expect(code).toBe(0);
    expect(readFileSync(join(work, 'eval.md'), 'utf8')).toContain('SIMULATED recording');
    expect(existsSync(join(work, 'eval.xml'))).toBe(true);
  });

  it("docs/eval.md's workflow step passes too", () => {
    const doc = readFileSync(join(repoRoot, 'docs/eval.md'), 'utf8');
    const step = /name: Routing eval \(replayed, offline\)\n\s+run: >-\n((?:\s{10}.+\n)+)/.exec(doc)?.[1];
    expect(step).toBeDefined();
    const command = step!.split('\n').map((l) => l.trim()).filter(Boolean).join(' '); // YAML folds the lines with spaces
    expect(command).toMatch(/^npx switchboard eval .* --baseline evals\/support-desk\.baseline\.json/);
    const { code, output } = shell(command);
    expect(output).toContain('PASSED: every gate passed');
    expect(code).toBe(0);
  });

  it('the shipped baseline is what replaying the shipped cassette reports', () => {
    const { code } = shell('npx switchboard eval topologies/support-desk.yaml -d evals/support-desk.routing.yaml --replay evals/support-desk.cassette.json --report-json replayed.json');
    expect(code).toBe(0);
    expect(readFileSync(join(work, 'replayed.json'), 'utf8')).toBe(readFileSync(join(repoRoot, 'evals/support-desk.baseline.json'), 'utf8'));
    const cassette = JSON.parse(readFileSync(join(repoRoot, 'evals/support-desk.cassette.json'), 'utf8'));
    expect(cassette.metadata.recordedWith).toBe('evals/support-desk.simulated-provider.ts#provider');
    expect(cassette.metadata.note).toMatch(/^SIMULATED recording/);
  });
});
