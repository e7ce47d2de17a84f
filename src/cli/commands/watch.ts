import { watch, type FSWatcher, statSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.js';
import { display, filesUnder, IGNORE_FILE } from '../inputs.js';
import { UsageError, usageProblem, type CliIo } from '../io.js';
import { terminalText } from '../../diagnostics/terminal-text.js';
import { compileCommand, type CompileCommandOptions } from './compile.js';
import { inputPaths } from './validate.js';

/**
 * One save is a burst of events (truncate + write, or write-to-temp + rename) that arrive within a few
 * milliseconds of each other; 50 ms joins a burst into one round without a noticeable delay.
 */
export const DEBOUNCE_MS = 50;
const DEFAULT_POLL_MS = 500;
const YAML_FILE = /\.ya?ml$/i;
const CONFIG_FILES = new Set(['switchboard.config.json', 'package.json', IGNORE_FILE]);

interface WatchOptions extends CompileCommandOptions {
  /** Poll every n ms instead of relying on file-system events (network drives, some containers). */
  poll?: number | true;
}

export function registerWatch(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('watch')
    .description('Compile, then recompile whenever a topology or a file it references changes; an invalid change keeps the last good output.')
    .argument('[paths...]', 'YAML files or folders (default: `inputs` from the config file)')
    .option('-o, --out <dir>', 'output folder (default: generated)')
    .option('--root <dir>', 'project root that file references must stay inside')
    .option('--poll [ms]', `poll for changes every ms (default ${DEFAULT_POLL_MS}) instead of file-system events, where those do not arrive`, parsePollInterval)
    .option('--color', 'always colour the output')
    .option('--no-color', 'never colour the output')
    .option('-q, --quiet', 'print only problems, not the files written')
    .addHelpText('after', '\nExamples:\n  switchboard watch topologies/\n  switchboard watch topologies/ --poll 1000   # on a network drive\n\nStops on Ctrl-C.')
    .action(async (paths: string[], options: WatchOptions) => setExit(await watchCommand(paths, options, io)));
}

async function watchCommand(paths: string[], options: WatchOptions, io: CliIo): Promise<number> {
  const { config } = loadConfig(io.cwd);
  const inputs = inputPaths(paths, config).map((p) => resolve(io.cwd, p));
  const outDir = resolve(io.cwd, options.out ?? config.out ?? 'generated');
  // Watch each input's folder recursively: it holds the YAML and usually its prompts and tool modules.
  const folders = [...new Set(inputs.map((p) => (isDirectory(p) ? p : dirname(p))))];
  const { poll, ...compileOptions } = options;
  // What the last compile read: a change to anything else (a log file, an unrelated note) is not ours.
  let read = new Set<string>();
  const compile = async () => {
    try {
      await compileCommand(paths, compileOptions, io, (files) => (read = new Set(files.map((f) => resolve(f)))));
    } catch (error) {
      // Bad output folders and the like are reported and watching goes on; a bug still ends it.
      const problem = usageProblem(error);
      if (problem === undefined) throw error;
      io.stderr(`switchboard: ${terminalText(problem)}\n`);
    }
  };
  const relevant = (changed: string) => {
    // Our own writes (and their temporary files) must not trigger another round.
    if (!relative(outDir, changed).startsWith('..') || changed.includes('.switchboard-tmp-')) return false;
    // A new or renamed YAML file may be a topology; settings change what is compiled.
    return read.has(changed) || YAML_FILE.test(changed) || CONFIG_FILES.has(basename(changed));
  };
  const waiting = () => io.stderr(`[watch] waiting for changes in ${folders.map((f) => display(io.cwd, f) || '.').join(', ')} (Ctrl-C to stop)\n`);
  // Signals first: a SIGTERM while the first compile runs ends the watch cleanly, not the process.
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((done) => (stopRequested = done));
  process.once('SIGINT', stopRequested);
  process.once('SIGTERM', stopRequested);
  await compile();

  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const onChange = (changed: string) => {
    if (!relevant(changed)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(() => {
        io.stderr(`[watch] ${terminalText(display(io.cwd, changed))} changed\n`);
        return compile().then(waiting);
      });
    }, DEBOUNCE_MS);
  };
  const stop = poll !== undefined ? startPolling(folders, () => [...read], poll === true ? DEFAULT_POLL_MS : poll, onChange) : startWatching(folders, onChange);
  // Said once the watchers exist, so a change made after reading it is seen.
  waiting();
  await stopped;
  clearTimeout(timer);
  stop();
  process.off('SIGINT', stopRequested);
  process.off('SIGTERM', stopRequested);
  await running;
  return 0;
}

function startWatching(folders: readonly string[], onChange: (path: string) => void): () => void {
  const watchers: FSWatcher[] = folders.map((folder) => watch(folder, { recursive: true }, (_event, file) => onChange(file ? resolve(folder, file.toString()) : folder)));
  return () => {
    for (const w of watchers) w.close();
  };
}

/**
 * The fallback where file-system events do not arrive: every `intervalMs`, compare the size and mtime
 * of the files the last compile read and of the YAML files in the folders (so new topologies are seen).
 */
function startPolling(folders: readonly string[], readFiles: () => readonly string[], intervalMs: number, onChange: (path: string) => void): () => void {
  const snapshot = () => {
    const files = new Set([...readFiles(), ...folders.flatMap((folder) => filesUnder(folder, YAML_FILE))]);
    return new Map([...files].map((file) => [file, signature(file)]));
  };
  let last = snapshot();
  const timer = setInterval(() => {
    const now = snapshot();
    for (const [file, sig] of now) if (last.get(file) !== sig) onChange(file);
    for (const file of last.keys()) if (!now.has(file)) onChange(file);
    last = now;
  }, intervalMs);
  return () => clearInterval(timer);
}

function signature(path: string): string {
  try {
    const stats = statSync(path);
    return `${stats.size}:${stats.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function parsePollInterval(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 10) throw new InvalidArgumentError(`expected a number of milliseconds (at least 10), got "${value}"`);
  return Number(value);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    throw new UsageError(`no such file or directory: ${path}`);
  }
}
