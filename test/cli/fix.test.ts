import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { closestMatch } from '../../src/diagnostics/suggest.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';

let work: string;
async function switchboard(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: work, env: { NO_COLOR: '1' }, isTTY: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

// The unknown-reference fixture with a misspelt key, a quoted value and comments on the lines fixed.
const ORIGINAL = readFileSync(fromRoot('test/fixtures/rules/unknown-reference/fail.yaml'), 'utf8')
  .replaceAll('../shared-tools.ts', './shared-tools.ts')
  .replace('    input: HandoffReasons', '    "input": "HandoffReasons"  # keep me')
  .replace('  tech:\n', '  tech: # a comment\n    modle:   gpt-4o   # odd spacing stays\n');
const FIXED = ORIGINAL.replace('modle:', 'model:')
  .replace('escalate_to_humam]', 'escalate_to_human]')
  .replace('"HandoffReasons"', '"HandoffReason"')
  .replace('filter: claen', 'filter: clean')
  .replace('[biling, tech]', '[billing, tech]');

beforeAll(() => {
  work = mkdtempSync(join(repoRoot, '.tmp-fix-'));
  cpSync(fromRoot('test/fixtures/rules/shared-tools.ts'), join(work, 'shared-tools.ts'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describe('validate --fix', () => {
  it('applies every unambiguous did-you-mean in place, byte for byte otherwise, and reports what is left', async () => {
    const path = file('typos.yaml', ORIGINAL);
    const { code, stdout, stderr } = await switchboard(['validate', 'typos.yaml', '--fix']);
    expect(readFileSync(path, 'utf8')).toBe(FIXED);
    expect(stderr).toBe('switchboard: fixed 5 problems in typos.yaml (`model`, `escalate_to_human`, `HandoffReason`, `clean`, `billing`)\n');
    expect(stdout).toBe('No problems found in 1 file.\n');
    expect(code).toBe(0);
  });

  it('keeps CR LF line endings and a byte order mark', async () => {
    const crlf = `\ufeff${ORIGINAL.replace(/\n/g, '\r\n')}`;
    const path = file('crlf.yaml', crlf);
    expect((await switchboard(['validate', 'crlf.yaml', '--fix'])).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(`\ufeff${FIXED.replace(/\n/g, '\r\n')}`);
  });

  it('--fix-dry-run prints a unified diff, writes nothing and exits 1', async () => {
    const path = file('dry.yaml', ORIGINAL);
    const json = JSON.parse((await switchboard(['validate', 'dry.yaml', '--format', 'json'])).stdout);
    expect(json.diagnostics.filter((d: { fixable?: true }) => d.fixable).map((d: { suggestion: string }) => d.suggestion)).toEqual(['model', 'escalate_to_human', 'HandoffReason', 'clean', 'billing']);
    const { code, stdout, stderr } = await switchboard(['validate', 'dry.yaml', '--fix-dry-run']);
    expect(code).toBe(1);
    expect(readFileSync(path, 'utf8')).toBe(ORIGINAL);
    expect(stderr).toBe('switchboard: would fix 5 problems in 1 file; nothing was written\n');
    expect(stdout.split('\n').slice(0, 8)).toEqual([
      '--- a/dry.yaml',
      '+++ b/dry.yaml',
      '@@ -14,10 +14,10 @@',
      '     instructions: Resolve the caller\'s billing question. Read invoice ids back slowly.',
      '     tools: [lookup_invoice, escalate_to_human]',
      '   tech: # a comment',
      '-    modle:   gpt-4o   # odd spacing stays',
      '+    model:   gpt-4o   # odd spacing stays',
    ]);
    expect(stdout).toContain('-    "input": "HandoffReasons"  # keep me\n-    filter: claen\n-  - from: [biling, tech]\n+    "input": "HandoffReason"  # keep me\n+    filter: clean\n+  - from: [billing, tech]\n');
  });

  it('never writes a file with a YAML syntax error, and leaves files with nothing fixable untouched', async () => {
    const broken = file('broken.yaml', `${ORIGINAL}  - { from: [triage\n`);
    const before = statSync(broken).mtimeMs;
    const result = await switchboard(['validate', 'broken.yaml', '--fix']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[yaml/');
    expect(readFileSync(broken, 'utf8')).toBe(`${ORIGINAL}  - { from: [triage\n`);
    expect(statSync(broken).mtimeMs).toBe(before);

    const clean = file('clean.yaml', FIXED);
    expect(await switchboard(['validate', 'clean.yaml', '--fix-dry-run'])).toEqual({ code: 0, stdout: '', stderr: 'switchboard: nothing to fix\n' });
    expect((await switchboard(['validate', 'clean.yaml', '--fix'])).code).toBe(0);
    expect(readFileSync(clean, 'utf8')).toBe(FIXED);
  });

  it('leaves a suggestion alone when two names are equally close, or when the fix would collide', async () => {
    expect(closestMatch('tool_c', ['tool_a', 'tool_b'])).toEqual({ best: 'tool_a', unique: false });
    expect(closestMatch('biling', ['billing', 'tech'])).toEqual({ best: 'billing', unique: true });
    // `modle` next to an existing `model`: renaming it would make a duplicate key.
    const text = FIXED.replace('  tech: # a comment\n', '  tech: # a comment\n    modle: gpt-4o-mini\n');
    const path = file('collide.yaml', text);
    const { code, stderr } = await switchboard(['validate', 'collide.yaml', '--fix']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
