import { watch, type FSWatcher, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { display } from '../inputs.js';
import { UsageError, usageProblem, type CliIo } from '../io.js';
import { terminalText } from '../../diagnostics/terminal-text.js';
import { compileCommand, type CompileCommandOptions } from './compile.js';
import { inputPaths } from './validate.js';

const DEBOUNCE_MS = 150;

export function registerWatch(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('watch')
    .description('Compile, then recompile whenever a topology or a file beside it changes; an invalid change keeps the last good output.')
    .argument('[paths...]', 'YAML files or folders (default: `inputs` from the config file)')
    .option('-o, --out <dir>', 'output folder (default: generated)')
    .option('--root <dir>', 'project root that file references must stay inside')
    .option('--color', 'always colour the output')
    .option('--no-color', 'never colour the output')
    .option('-q, --quiet', 'print only problems, not the files written')
    .addHelpText('after', '\nExamples:\n  switchboard watch topologies/\n\nStops on Ctrl-C.')
    .action(async (paths: string[], options: CompileCommandOptions) => setExit(await watchCommand(paths, options, io)));
}

async function watchCommand(paths: string[], options: CompileCommandOptions, io: CliIo): Promise<number> {
  const { config } = loadConfig(io.cwd);
  const inputs = inputPaths(paths, config).map((p) => resolve(io.cwd, p));
  const outDir = resolve(io.cwd, options.out ?? config.out ?? 'generated');
  // Watch each input's folder recursively: it holds the YAML and usually its prompts and tool modules.
  const folders = [...new Set(inputs.map((p) => (isDirectory(p) ? p : dirname(p))))];
  const compile = async () => {
    try {
      await compileCommand(paths, options, io);
    } catch (error) {
      // Bad output folders and the like are reported and watching goes on; a bug still ends it.
      const problem = usageProblem(error);
      if (problem === undefined) throw error;
      io.stderr(`switchboard: ${terminalText(problem)}\n`);
    }
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
  const onChange = (folder: string, file: string | null) => {
    const changed = file ? resolve(folder, file) : folder;
    // Our own writes (and their temporary files) must not trigger another round.
    if (!relative(outDir, changed).startsWith('..') || changed.includes('.switchboard-tmp-')) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(() => {
        io.stderr(`[watch] ${display(io.cwd, changed)} changed\n`);
        return compile().then(waiting);
      });
    }, DEBOUNCE_MS);
  };
  const watchers: FSWatcher[] = folders.map((folder) => watch(folder, { recursive: true }, (_event, file) => onChange(folder, file?.toString() ?? null)));
  // Said once the watchers exist, so a change made after reading it is seen.
  waiting();
  await stopped;
  clearTimeout(timer);
  for (const w of watchers) w.close();
  process.off('SIGINT', stopRequested);
  process.off('SIGTERM', stopRequested);
  await running;
  return 0;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    throw new UsageError(`no such file or directory: ${path}`);
  }
}
