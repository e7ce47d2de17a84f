import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'switchboard-compare-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (args: string[]) => {
  try {
    return { code: 0, out: execFileSync('node', ['bin/switchboard.js', ...args], { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env.PATH!, NO_COLOR: '1' } }) };
  } catch (error) {
    return { code: (error as { status: number }).status, out: String((error as { stdout: string }).stdout) };
  }
};

describe('paired comparison against a baseline, through the CLI', () => {
  it('prints exact McNemar overall and per route, lists the broken cases, and gates on a significant drop', () => {
    const common = ['eval', 'topologies/support-desk.yaml', '-d', 'test/fixtures/eval/routing.yaml', '--provider', 'test/fixtures/eval/scripted-routing.ts#provider'];
    expect(run([...common, '--report-json', join(work, 'base.json')]).code).toBe(0);
    // A baseline in which the two cases the script misroutes were right: both broke since.
    const base = JSON.parse(readFileSync(join(work, 'base.json'), 'utf8'));
    for (const c of base.runs[0].cases) if (['bill-plan-upgrade', 'stay-vague'].includes(c.id)) c.verdict = 'correct';
    writeFileSync(join(work, 'base.json'), JSON.stringify(base));
    const r = run([...common, '--baseline', join(work, 'base.json'), '--max-drop', '1', '--fail-on-significant-drop', '0.6']);
    // 0 fixed, 2 broken: p = 2 × (1/2)^2 = 0.5. Per route: one broken of the billing and stay cases each, p = 2 × 1/2 = 1.
    expect(r.out).toContain('10 paired cases: 0 fixed, 2 broken, p = 0.5000: significant drop (p < 0.6)');
    expect(r.out).toMatch(/billing +4 +100\.0% +75\.0% +0 +1 +1\.0000\n/);
    expect(r.out).toMatch(/stay +2 +100\.0% +50\.0% +0 +1 +1\.0000\n/);
    expect(r.out).toContain('broken (right → wrong): bill-plan-upgrade, stay-vague');
    expect(r.code).toBe(1);
    expect(run([...common, '--baseline', join(work, 'base.json'), '--max-drop', '1', '--fail-on-significant-drop']).code).toBe(0); // p = 0.5 is no drop at 0.05
  });
});
