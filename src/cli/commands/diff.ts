import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { DiffFormat } from '../../diff/format-diff.js';
import { validateFile, validateSource, type ValidationResult } from '../../validate.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { reportResults } from './validate.js';

interface DiffOptions {
  format: DiffFormat;
  exitCode?: boolean;
}

export function registerDiff(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('Report what changed between two versions of a topology: agents, edges, tools, filters, schemas and rule findings.')
    .argument('<old>', 'a YAML file, or a git revision of one: main:topologies/support-desk.yaml')
    .argument('<new>', 'a YAML file, or a git revision of one')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'markdown']).default('pretty'))
    .option('--exit-code', 'exit 1 when there are changes (like git diff --exit-code)')
    .addHelpText('after', '\nExamples:\n  switchboard diff main:topologies/support-desk.yaml topologies/support-desk.yaml\n  switchboard diff old.yaml new.yaml --format markdown > comment.md')
    .action(async (old: string, now: string, options: DiffOptions) => setExit(await diffCommand(old, now, options, io)));
}

async function diffCommand(old: string, now: string, options: DiffOptions, io: CliIo): Promise<number> {
  const [{ diffTopologies }, { formatDiff }, { diffDiagram }] = await Promise.all([
    import('../../diff/diff-topologies.js'),
    import('../../diff/format-diff.js'),
    import('../../diff/diff-diagram.js'),
  ]);
  const sides = [load(old, io), load(now, io)] as const;
  const broken = sides.filter((s) => !s.topology);
  if (broken.length) {
    reportResults(broken, { format: 'pretty' }, { ...io, stdout: io.stderr });
    return EXIT.findings;
  }
  const [before, after] = sides.map((s) => ({ topology: s.topology!, diagnostics: s.diagnostics, ...(s.files ? { files: s.files } : {}) }));
  const diff = diffTopologies(before!, after!);
  const diagram = options.format === 'markdown' ? diffDiagram(after!.topology, diff) : undefined;
  io.stdout(formatDiff(options.format, { old, new: now, diff, ...(diagram ? { diagram } : {}) }));
  return options.exitCode && diff.changes.length > 0 ? EXIT.findings : EXIT.ok;
}

/** A path on disk, or `rev:path` read with `git show` (references then resolve against the working tree). */
function load(spec: string, io: CliIo): ValidationResult {
  const onDisk = resolve(io.cwd, spec);
  // Anything on disk that is not a folder is read as a file (a FIFO or device becomes a diagnostic).
  if (existsSync(onDisk) && !statSync(onDisk).isDirectory()) return validateFile(onDisk, { displayPath: spec });
  const match = /^([^:]+):(.+)$/.exec(spec);
  if (!match) throw new UsageError(`no such file: ${spec} (for a git revision write rev:path, e.g. main:${spec})`);
  const [, revision, path] = match as unknown as [string, string, string];
  // A spec is data, never an option: `--output=/x:y` would make git write a file wherever it says.
  if (revision.startsWith('-')) throw new UsageError(`${spec} is not a file or a git revision: a revision cannot start with "-"`);
  let contents: Buffer;
  try {
    // `rev:./path` is relative to the working directory; a bare path is relative to the repository root.
    // `--end-of-options` ends git's options whatever the spec holds (git ≥ 2.24).
    contents = execFileSync('git', ['show', '--no-textconv', '--end-of-options', `${revision}:${path}`], { cwd: io.cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 32 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim().split('\n')[0];
    throw new UsageError(`cannot read ${spec} from git: ${stderr}`);
  }
  const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: io.cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  return validateSource(contents, path.startsWith('./') || path.startsWith('../') ? resolve(io.cwd, path) : resolve(root, path), { displayPath: spec });
}
