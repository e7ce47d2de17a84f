import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { isTopologyText } from '../../src/cli/inputs.js';

const root = mkdtempSync(join(tmpdir(), 'switchboard-inputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function cli(cwd: string, args: string[], stdin?: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: { NO_COLOR: '1' }, isTTY: false, ...(stdin !== undefined ? { readStdin: () => stdin } : {}) };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const topology = (name: string, extra = '') =>
  [`version: 1`, `name: ${name}`, 'entry: triage', 'agents:', '  triage: { instructions: Route. }', '  billing: { instructions: Bill., handoffDescription: Invoices. }', 'handoffs:', '  - { from: triage, to: billing }', '  - { from: billing, to: triage, handback: true }', extra].join('\n');
/** Valid but for one unknown key at line 5, column 35. */
const broken = (name: string) => topology(name).replace('triage: { instructions: Route. }', 'triage: { instructions: Route., modle: x }');
const DATASET = 'cases:\n  - input: where is my invoice?\n    expect: billing\n';

describe('finding topologies in folders', () => {
  const dir = project('folders', {
    'topologies/a.yaml': topology('a'),
    'topologies/nested/b.yml': topology('b'),
    'topologies/modeline.yaml': '# yaml-language-server: $schema=../node_modules/switchboard/schema/topology.schema.json\nname: modeline\n',
    'evals/support.dataset.yaml': DATASET,
    'topologies/fixtures/cases.yaml': DATASET,
    'docker-compose.yml': 'services:\n  web: { image: nginx }\nversion: "3"\n',
  });

  it('validates topologies and leaves datasets and other YAML alone', async () => {
    const result = await cli(dir, ['validate', '.', '--format', 'json']);
    const json = JSON.parse(result.stdout);
    expect(json.summary.files).toBe(3);
    expect(new Set(json.diagnostics.map((d: { file: string }) => d.file))).toEqual(new Set(['topologies/modeline.yaml']));
  });

  it('still validates a file named outright, topology-like or not', async () => {
    const result = await cli(dir, ['validate', 'evals/support.dataset.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('evals/support.dataset.yaml:1:1 error');
  });

  it('says so when a folder holds no topology', async () => {
    const result = await cli(dir, ['validate', 'evals']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('switchboard: no topology files in evals (YAML files with top-level `version` and `agents` keys)\n');
  });

  it('recognises topologies by their keys or their schema modeline', () => {
    expect(isTopologyText(topology('x'))).toBe(true);
    expect(isTopologyText('"version": 1\n"agents": {}\n')).toBe(true);
    expect(isTopologyText('# yaml-language-server: $schema=https://example.com/topology.schema.json\n')).toBe(true);
    expect(isTopologyText(DATASET)).toBe(false);
    expect(isTopologyText('spec:\n  version: 1\n  agents: []\n')).toBe(false);
  });
});

describe('ignore patterns', () => {
  it('honours .switchboardignore (gitignore syntax, negation included) in folders and globs', async () => {
    const dir = project('ignore-file', {
      '.switchboardignore': '# drafts are not ready\ndrafts/\nold-*.yaml\n!old-keep.yaml\n',
      'topologies/a.yaml': topology('a'),
      'topologies/old-b.yaml': broken('old-b'),
      'topologies/old-keep.yaml': topology('old-keep'),
      'topologies/drafts/c.yaml': broken('c'),
    });
    for (const path of ['.', "topologies/**/*.yaml"]) {
      const result = await cli(dir, ['validate', path]);
      expect(result.stdout).toBe('No problems found in 2 files.\n');
      expect(result.code).toBe(0);
    }
    // A file named outright is validated even when ignored.
    expect((await cli(dir, ['validate', 'topologies/drafts/c.yaml'])).code).toBe(1);
  });

  it('honours `ignore` in the configuration, relative to the config file', async () => {
    const dir = project('ignore-config', {
      'switchboard.config.json': JSON.stringify({ ignore: ['topologies/legacy/'] }),
      'topologies/a.yaml': topology('a'),
      'topologies/legacy/b.yaml': broken('b'),
    });
    const result = await cli(join(dir, 'topologies'), ['validate', '.']);
    expect(result.stdout).toBe('No problems found in 1 file.\n');
    expect((await cli(dir, ['validate', 'topologies'])).stdout).toBe('No problems found in 1 file.\n');
  });

  it('rejects an `ignore` that is not a list of patterns', async () => {
    const dir = project('ignore-bad', { 'switchboard.config.json': JSON.stringify({ ignore: 'drafts/' }), 'a.yaml': topology('a') });
    const result = await cli(dir, ['validate', 'a.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"ignore" must be a list of strings');
  });
});

describe('globs', () => {
  const dir = project('globs', {
    'topologies/a.yaml': topology('a'),
    'topologies/deep/b.yaml': broken('b'),
    'topologies/deep/c.yml': broken('c'),
  });

  it('expands a quoted glob itself, taking every file it matches', async () => {
    const result = await cli(dir, ['validate', 'topologies/**/*.yaml', '--format', 'json']);
    const json = JSON.parse(result.stdout);
    expect(json.summary.files).toBe(2);
    expect(json.diagnostics.map((d: { file: string; line: number; column: number }) => `${d.file}:${d.line}:${d.column}`)).toEqual(['topologies/deep/b.yaml:5:35']);
    expect((await cli(dir, ['validate', 'topologies/*/*.{yaml,yml}'])).stdout).toContain('topologies/deep/c.yml:5:35');
  });

  it('is a usage error when a glob matches nothing', async () => {
    const result = await cli(dir, ['validate', 'topologies/**/*.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('switchboard: no files match topologies/**/*.json\n');
  });
});

describe('standard input', () => {
  const dir = project('stdin', { 'topologies/prompts/triage.md': 'Route callers.\n' });

  it('validates - with the name --stdin-filename gives, resolving references from there', async () => {
    const text = broken('piped').replace('instructions: Bill.', 'instructionsFile: prompts/triage.md');
    const result = await cli(dir, ['validate', '-', '--stdin-filename', 'topologies/piped.yaml'], text);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('topologies/piped.yaml:5:35 error unknown key `modle`');
    expect(result.stdout).toContain('1 error and 0 warnings in 1 file');
    const missing = await cli(dir, ['validate', '-', '--stdin-filename', 'elsewhere/piped.yaml'], text);
    expect(missing.stdout).toContain('elsewhere/piped.yaml:6:');
  });

  it('calls it <stdin> without a name, and rejects misuse', async () => {
    expect((await cli(dir, ['validate', '-'], broken('piped'))).stdout).toContain('<stdin>:5:35 error');
    expect((await cli(dir, ['validate', '-', '-'], 'x')).stderr).toBe('switchboard: standard input (-) can be read only once\n');
    expect((await cli(dir, ['validate', 'a.yaml', '--stdin-filename', 'a.yaml'])).code).toBe(2);
  });
});

describe('several outputs from one run', () => {
  const dir = project('outputs', { 'topologies/a.yaml': broken('a') });

  it('writes each --output to its file, and the one without a file to stdout', async () => {
    const result = await cli(dir, ['validate', 'topologies', '--output', 'sarif=reports/switchboard.sarif', '--output', 'github', '--output', 'json=reports/out.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error file=topologies\/a\.yaml,line=5,col=35,/);
    const sarif = JSON.parse(readFileSync(join(dir, 'reports/switchboard.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.region).toMatchObject({ startLine: 5, startColumn: 35 });
    expect(JSON.parse(readFileSync(join(dir, 'reports/out.json'), 'utf8')).summary).toEqual({ files: 1, errors: 1, warnings: 0, suppressed: 0 });
  });

  it('keeps --format for stdout beside file outputs', async () => {
    const withFormat = await cli(dir, ['validate', 'topologies', '--format', 'json', '--output', 'pretty=pretty.txt']);
    expect(JSON.parse(withFormat.stdout).summary.errors).toBe(1);
    expect(readFileSync(join(dir, 'pretty.txt'), 'utf8')).toContain('topologies/a.yaml:5:35 error');
    // Reports only to files: stdout stays empty, the exit code still tells.
    const onlyFile = await cli(dir, ['validate', 'topologies', '--output', 'sarif=only.sarif']);
    expect(onlyFile.stdout).toBe('');
    expect(onlyFile.code).toBe(1);
    expect(existsSync(join(dir, 'only.sarif'))).toBe(true);
  });

  it('rejects two reports on stdout and unknown formats', async () => {
    const two = await cli(dir, ['validate', 'topologies', '--output', 'github', '--output', 'json']);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe('switchboard: only one report can go to stdout: give the others a file (--output format=file)\n');
    const unknown = await cli(dir, ['validate', 'topologies', '--output', 'junit=x.xml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown format "junit"');
  });
});
