import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, openSync, closeSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromRoot, repoRoot } from '../helpers/paths.js';

const work = mkdtempSync(join(repoRoot, '.tmp-watch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Wait until `check` holds, polling; the limit only catches a hang, nothing here is a timing assertion. */
async function until(check: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('switchboard watch', () => {
  it('recompiles on a real file change and keeps the last good output when a change is invalid', async () => {
    cpSync(fromRoot('topologies/support-desk.yaml'), join(work, 'topologies/support-desk.yaml'));
    cpSync(fromRoot('topologies/support-desk'), join(work, 'topologies/support-desk'), { recursive: true });
    const out = join(work, 'out');
    const agents = join(out, 'support-desk/agents.ts');
    const child = spawn(process.execPath, [fromRoot('bin/switchboard.js'), 'watch', 'topologies', '--out', out, '--root', repoRoot], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    try {
      // A round ends when watch prints "waiting"; count rounds rather than racing the file writes.
      const rounds = () => stderr.split('[watch] waiting').length - 1;
      await until(() => existsSync(agents) && rounds() === 1, 'the first compile');
      const yamlPath = join(work, 'topologies/support-desk.yaml');
      const original = readFileSync(yamlPath, 'utf8');

      writeFileSync(yamlPath, original.replace('model: gpt-4o-mini', 'model: gpt-4.1-mini'));
      await until(() => rounds() >= 2 && readFileSync(agents, 'utf8').includes('"gpt-4.1-mini"'), 'the recompile after a valid change');
      const settled = rounds();

      const good = readFileSync(agents, 'utf8');
      writeFileSync(yamlPath, original.replace('entry: triage', 'entry: triag'));
      await until(() => rounds() > settled && stderr.includes('nothing was written'), 'the round after an invalid change');
      expect(stderr).toContain('unknown agent `triag`; did you mean `triage`?');
      expect(stderr).toContain('nothing was written');
      expect(readFileSync(agents, 'utf8')).toBe(good);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
    expect(stdout).toContain('wrote ');
  });

  // Its own log inside the watched folder (`watch topologies > topologies/watch.log`) used to trigger
  // a round per line written, forever. Both modes: file-system events, and the --poll fallback.
  it.each([[[] as string[]], [['--poll', '100']]])('reacts to the files topologies reference, not to its own log (%j)', async (extra) => {
    const dir = mkdtempSync(join(work, 'log-'));
    cpSync(fromRoot('topologies/support-desk.yaml'), join(dir, 'topologies/support-desk.yaml'));
    cpSync(fromRoot('topologies/support-desk'), join(dir, 'topologies/support-desk'), { recursive: true });
    const logPath = join(dir, 'topologies/watch.log');
    const log = openSync(logPath, 'w');
    const child = spawn(process.execPath, [fromRoot('bin/switchboard.js'), 'watch', 'topologies', '--out', join(dir, 'out'), '--root', repoRoot, ...extra], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const text = () => readFileSync(logPath, 'utf8');
    const rounds = () => text().split('[watch] waiting').length - 1;
    try {
      await until(() => rounds() === 1, 'the first compile');
      // A file nothing references, and more lines in the log: no round (a bounded wait, then the count).
      writeFileSync(join(dir, 'topologies/notes.txt'), 'not a topology\n');
      appendFileSync(logPath, 'a line from somebody else\n');
      await new Promise((r) => setTimeout(r, 600));
      expect(rounds()).toBe(1);
      // The prompt the topology references: one round, naming it.
      appendFileSync(join(dir, 'topologies/support-desk/prompts/billing.md'), '\nAlways confirm the invoice id.\n');
      await until(() => rounds() === 2, 'the round after the prompt changed');
      expect(text()).toContain('[watch] topologies/support-desk/prompts/billing.md changed');
      await new Promise((r) => setTimeout(r, 600));
      expect(rounds()).toBe(2);
      // A new YAML file may be a topology: it is looked at.
      writeFileSync(join(dir, 'topologies/second.yaml'), readFileSync(join(dir, 'topologies/support-desk.yaml'), 'utf8').replace('name: support-desk', 'name: second'));
      await until(() => rounds() === 3 && existsSync(join(dir, 'out/second/agents.ts')), 'the round after a topology was added');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
    expect(text()).not.toContain('watch.log changed');
  });
});
