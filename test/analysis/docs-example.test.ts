import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromRoot, repoRoot } from '../helpers/paths.js';

// docs/analysis.md's worked example runs as written: each `npx switchboard …` block is run with the built
// CLI, and the output block that follows it (```text or ```mermaid) must be exactly what it prints.
const doc = readFileSync(fromRoot('docs/analysis.md'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-docs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const examples = [...doc.matchAll(/```sh\n(npx switchboard [^\n]+)\n```(?:\n\n```(?:text|mermaid)\n([\s\S]*?)```)?/g)].map((m) => ({ command: m[1]!, output: m[2] }));

function run(command: string) {
  // --to-dataset writes a new file: point it into a scratch folder so the repository stays clean.
  const args = command.split(' ').slice(2).map((arg, i, all) => (all[i - 1] === '--to-dataset' ? join(scratch, arg.replace(/\//g, '_')) : arg));
  return spawnSync(process.execPath, [fromRoot('bin/switchboard.js'), ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
}

describe('docs/analysis.md', () => {
  it('has the documented commands', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    expect(examples.filter((e) => e.output !== undefined).length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples.map((e) => [e.command, e] as const))('%s', (_command, example) => {
    const result = run(example.command);
    expect(result.stderr.replace(/^Wrote .*\n/, '')).toBe('');
    expect(result.status).toBe(0);
    if (example.output !== undefined) expect(result.stdout).toBe(example.output);
  });

  it('quotes the eval comparison the command computes', () => {
    const quoted = /The `advice` of that report includes `([^`]+)`/.exec(doc)![1]!.replace(/\s+/g, ' ');
    const command = examples.find((e) => e.command.includes('--eval-report'))!.command;
    expect(JSON.parse(run(command).stdout).advice).toContain(quoted);
  });
});
