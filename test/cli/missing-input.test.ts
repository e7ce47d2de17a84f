/**
 * Every command that reads one input file reports a missing or folder input the same way: a usage
 * error (exit 2) naming the path as typed, and nothing else printed.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { repoRoot } from '../helpers/paths.js';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: repoRoot, env: { NO_COLOR: '1' }, isTTY: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const COMMANDS: readonly (readonly string[])[] = [
  ['validate'],
  ['compile'],
  ['render'],
  ['routes'],
  ['stubs'],
  ['import'],
  ['chat'],
  ['run', 'hello'],
  ['eval', '-d', 'evals/support-desk.routing.yaml'],
  ['eval', 'lint', '-d', 'evals/support-desk.routing.yaml'],
];

describe('a missing input file', () => {
  it.each(COMMANDS.map((c) => [c.join(' '), c] as const))('%s: exit 2, "no such file or directory"', async (_, command) => {
    const [name, ...rest] = command;
    const args = name === 'eval' && rest[0] === 'lint' ? ['eval', 'lint', 'nope.yaml', ...rest.slice(1)] : [name!, 'nope.yaml', ...rest];
    const result = await cli(args);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'switchboard: no such file or directory: nope.yaml\n' });
  });

  it('a folder where one file is expected is a usage error too', async () => {
    expect(await cli(['routes', 'topologies'])).toEqual({ code: 2, stdout: '', stderr: 'switchboard: topologies is not a file: give one topology YAML file\n' });
    expect(await cli(['import', 'topologies'])).toEqual({ code: 2, stdout: '', stderr: 'switchboard: topologies is not a file: give one source file to import\n' });
  });
});
