import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';

let work: string;
async function switchboard(args: string[], cwd = work) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: { NO_COLOR: '1' }, isTTY: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

// Three unused-definition warnings and, made an error below, a schema one: an existing repo's findings.
const FIXTURE = readFileSync(fromRoot('test/fixtures/rules/unused-definition/fail.yaml'), 'utf8').replaceAll('../shared-tools.ts', './shared-tools.ts');
const OLD = FIXTURE.replace('entry: triage\n', 'entry: triage\nmaxturns: 3\n');

beforeAll(() => {
  work = mkdtempSync(join(repoRoot, '.tmp-baseline-'));
  cpSync(fromRoot('test/fixtures/rules/shared-tools.ts'), join(work, 'shared-tools.ts'));
  writeFileSync(join(work, 'desk.yaml'), OLD);
  mkdirSync(join(work, 'sub'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('validate --baseline', () => {
  it('writes a deterministic baseline without line numbers', async () => {
    expect((await switchboard(['validate', 'desk.yaml'])).code).toBe(1);
    const written = await switchboard(['validate', 'desk.yaml', '--baseline-write', 'switchboard.baseline.json']);
    expect(written).toEqual({ code: 0, stdout: '', stderr: 'switchboard: wrote 4 findings to switchboard.baseline.json\n' });
    const first = readFileSync(join(work, 'switchboard.baseline.json'), 'utf8');
    await switchboard(['validate', 'desk.yaml', '--baseline-write', 'switchboard.baseline.json']);
    expect(readFileSync(join(work, 'switchboard.baseline.json'), 'utf8')).toBe(first);
    const data = JSON.parse(first);
    expect(data.version).toBe(1);
    expect(data.findings.map((e: { ruleId: string; pointer: string }) => `${e.ruleId} ${e.pointer}`)).toEqual([
      'unused-definition /filters/recent',
      'schema/unknown-key /maxturns',
      'unused-definition /schemas/HandoffReason',
      'unused-definition /tools/issue_refund',
    ]);
    expect(first).not.toMatch(/"line"|"column"/);
  });

  it('reports only new findings, survives moved lines and other working directories, and lists fixed entries', async () => {
    expect(await switchboard(['validate', 'desk.yaml', '--baseline', 'switchboard.baseline.json'])).toEqual({
      code: 0,
      stdout: 'No problems found in 1 file.\n',
      stderr: 'switchboard: 4 findings are in the baseline switchboard.baseline.json\n',
    });
    // Lines move (a comment block on top), one old finding is fixed, one new one appears.
    const edited = `# Moved down by this comment.\n#\n${OLD.replace('  recent:\n    - removeAllTools\n    - keepLast: 10\n', '')
      .replace('filters:\n', '')
      .replace('    tools: [lookup_pricing]', '    tools: [lookup_pricing, lookup_pricng]')}`;
    writeFileSync(join(work, 'desk.yaml'), edited);
    const { code, stdout, stderr } = await switchboard(['validate', '../desk.yaml', '--baseline', '../switchboard.baseline.json'], join(work, 'sub'));
    expect(code).toBe(1);
    expect(stdout).toContain('/desk.yaml:26:29 error unknown tool `lookup_pricng`; did you mean `lookup_pricing`? [unknown-reference]');
    expect(stdout).toContain('1 error and 0 warnings in 1 file');
    expect(stderr).toBe(
      'switchboard: 3 findings are in the baseline ../switchboard.baseline.json\n' +
        'switchboard: 1 baseline entry is fixed; refresh with --baseline-write ../switchboard.baseline.json:\n' +
        '  desk.yaml /filters/recent [unused-definition]\n',
    );
  });

  it('rejects a missing or malformed baseline and combined modes as usage errors (exit 2)', async () => {
    expect((await switchboard(['validate', 'desk.yaml', '--baseline', 'nope.json'])).code).toBe(2);
    writeFileSync(join(work, 'bad.json'), '{"version": 2}');
    const bad = await switchboard(['validate', 'desk.yaml', '--baseline', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a switchboard baseline');
    expect((await switchboard(['validate', 'desk.yaml', '--baseline', 'bad.json', '--fix'])).code).toBe(2);
  });
});
