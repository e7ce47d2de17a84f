import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { runCli } from '../src/cli/program.js';
import type { CliIo } from '../src/cli/io.js';

const root = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function cli(cwd: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: { NO_COLOR: '1' }, isTTY: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const TOPOLOGY = [
  'version: 1',
  'name: cfg',
  'entry: triage',
  'agents:',
  '  triage: { instructions: Route. }',
  '  billing: { instructions: Bill., handoffDescription: Invoices. }',
  'schemas:',
  '  Spare: { type: object }',
  'handoffs:',
  '  - { from: triage, to: billing }',
  '  - { from: billing, to: triage, handback: true }',
  '',
].join('\n');

describe('configuration', () => {
  it('reads switchboard.config.json upward from the working directory, resolving paths against it', () => {
    const dir = project('own', { 'switchboard.config.json': JSON.stringify({ inputs: ['topologies'], out: 'gen' }), 'sub/x': '' });
    expect(loadConfig(join(dir, 'sub'))).toEqual({ config: { inputs: [join(dir, 'topologies')], out: join(dir, 'gen') }, file: join(dir, 'switchboard.config.json') });
  });

  it('reads a "switchboard" key in package.json', () => {
    const dir = project('pkg', { 'package.json': JSON.stringify({ name: 'x', switchboard: { format: 'github' } }) });
    expect(loadConfig(dir).config).toEqual({ format: 'github' });
  });

  it('rejects unknown keys and rules with a did-you-mean', () => {
    const dir = project('bad', { 'switchboard.config.json': JSON.stringify({ inptus: ['x'] }) });
    expect(() => loadConfig(dir)).toThrow(ConfigError);
    expect(() => loadConfig(dir)).toThrow(/did you mean "inputs"/);
    const rules = project('bad-rule', { 'switchboard.config.json': JSON.stringify({ rules: { 'unused-definiton': 'off' } }) });
    expect(() => loadConfig(rules)).toThrow(/did you mean "unused-definition"/);
  });

  it('supplies inputs, format and rule severities to commands; flags and the YAML win', async () => {
    const dir = project('cli', {
      'package.json': '{}',
      'switchboard.config.json': JSON.stringify({ inputs: ['topologies'], format: 'json', rules: { 'unused-definition': 'error' } }),
      'topologies/cfg.yaml': TOPOLOGY,
    });
    const fromConfig = await cli(dir, ['validate']);
    expect(fromConfig.code).toBe(1);
    expect(JSON.parse(fromConfig.stdout).diagnostics[0]).toMatchObject({ ruleId: 'unused-definition', severity: 'error' });
    const flagWins = await cli(dir, ['validate', '--format', 'github']);
    expect(flagWins.stdout).toMatch(/^::error /);
    writeFileSync(join(dir, 'topologies/cfg.yaml'), TOPOLOGY + 'rules:\n  unused-definition: off\n');
    expect(await cli(dir, ['validate'])).toMatchObject({ code: 0 });
  });

  it('does not turn star rules back on in a mesh topology', async () => {
    const mesh = TOPOLOGY.replace('entry: triage', 'entry: triage\npolicy: mesh').replace('agents:', 'agents:\n  sales: { instructions: Sell., handoffDescription: Prices. }').replace('handoffs:', 'handoffs:\n  - { from: triage, to: sales }\n  - { from: billing, to: sales }\n  - { from: sales, to: triage, handback: true }');
    const dir = project('mesh', { 'package.json': '{}', 'switchboard.config.json': JSON.stringify({ rules: { 'star-spoke-to-spoke': 'error', 'unused-definition': 'off' } }), 'mesh.yaml': mesh });
    expect(await cli(dir, ['validate', 'mesh.yaml'])).toMatchObject({ code: 0, stdout: 'No problems found in 1 file.\n' });
  });

  it('reports a broken config as a usage error', async () => {
    const dir = project('broken', { 'switchboard.config.json': '{ not json' });
    const result = await cli(dir, ['validate', '.']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^switchboard: cannot read .*switchboard\.config\.json/);
  });
});

describe('configuration of required rules', () => {
  it('refuses to switch off a rule the compiler relies on', () => {
    const dir = project('required-off', { 'switchboard.config.json': JSON.stringify({ rules: { 'unknown-reference': 'off' } }) });
    expect(() => loadConfig(dir)).toThrow(/rule "unknown-reference" cannot be set to off: the compiler needs every reference resolved/);
  });
});
