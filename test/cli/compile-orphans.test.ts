import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';

const root = mkdtempSync(join(tmpdir(), 'switchboard-orphans-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(cwd: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: { NO_COLOR: '1' }, isTTY: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const topology = (name: string) =>
  ['version: 1', `name: ${name}`, 'entry: triage', 'agents:', '  triage: { instructions: Route. }', '  billing: { instructions: Bill., handoffDescription: Invoices. }', 'handoffs:', '  - { from: triage, to: billing }', '  - { from: billing, to: triage, handback: true }', ''].join('\n');

function project(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'topologies'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "p", "private": true }\n');
  writeFileSync(join(dir, 'topologies/desk.yaml'), topology('desk'));
  writeFileSync(join(dir, 'topologies/line.yaml'), topology('line'));
  return dir;
}

describe('output folders of renamed or deleted topologies', () => {
  it('--check fails on a folder a renamed topology left behind, and --prune deletes it', async () => {
    const dir = project('rename');
    expect((await cli(dir, ['compile', 'topologies', '--quiet'])).code).toBe(0);
    writeFileSync(join(dir, 'topologies/desk.yaml'), topology('helpdesk'));
    expect((await cli(dir, ['compile', 'topologies', '--quiet'])).stderr).toContain(
      'switchboard: generated/desk/ belongs to no topology (it was generated from topologies/desk.yaml); delete it with --prune\n',
    );
    const check = await cli(dir, ['compile', 'topologies', '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toBe(
      'switchboard: output folders belong to no topology (renamed or deleted); run `switchboard compile topologies --prune` and commit the result:\n  generated/desk/ (from topologies/desk.yaml)\n',
    );
    const pruned = await cli(dir, ['compile', 'topologies', '--prune']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('deleted generated/desk/\n');
    expect(readdirSync(join(dir, 'generated')).sort()).toEqual(['helpdesk', 'line']);
    expect((await cli(dir, ['compile', 'topologies', '--check', '--quiet'])).code).toBe(0);
  });

  it('counts a folder whose topology file is gone, but not one whose topology is merely not in this run', async () => {
    const dir = project('deleted');
    expect((await cli(dir, ['compile', 'topologies', '--quiet'])).code).toBe(0);
    // Compiling one topology leaves the other's current folder alone.
    expect((await cli(dir, ['compile', 'topologies/desk.yaml', '--check', '--quiet'])).code).toBe(0);
    rmSync(join(dir, 'topologies/line.yaml'));
    const check = await cli(dir, ['compile', 'topologies/desk.yaml', '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('  generated/line/ (from topologies/line.yaml)\n');
  });

  it('never deletes a folder holding a file switchboard did not write', async () => {
    const dir = project('hand-written');
    expect((await cli(dir, ['compile', 'topologies', '--quiet'])).code).toBe(0);
    writeFileSync(join(dir, 'generated/line/notes.md'), 'my notes\n');
    rmSync(join(dir, 'topologies/line.yaml'));
    const pruned = await cli(dir, ['compile', 'topologies', '--prune']);
    expect(pruned.code).toBe(0);
    expect(pruned.stderr).toContain('generated/line/ belongs to no topology (it was generated from topologies/line.yaml); not deleted: it holds files switchboard did not generate\n');
    expect(existsSync(join(dir, 'generated/line/notes.md'))).toBe(true);
    expect(existsSync(join(dir, 'generated/line/agents.ts'))).toBe(true);
    // A folder switchboard never wrote is not ours to report.
    mkdirSync(join(dir, 'generated/other'));
    writeFileSync(join(dir, 'generated/other/x.ts'), 'export {};\n');
    expect((await cli(dir, ['compile', 'topologies', '--check'])).stderr).not.toContain('other');
  });
});
