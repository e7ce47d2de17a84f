import { resolve } from 'node:path';
import type { Command } from 'commander';
import { checkOutputFolder, staleFiles, writeOutput, type OutputFile } from '../../emit/write-output.js';
import { display } from '../inputs.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { inputPaths, reportResults, validatePaths } from './validate.js';
import { locate } from '../../source/locate.js';
import { terminalLine } from '../../diagnostics/terminal-text.js';
import { sortDiagnostics, type Diagnostic } from '../../diagnostics/types.js';
import type { ValidationResult } from '../../validate.js';
import { loadConfig } from '../../config.js';
import { findOrphans, pruneOrphans, type OrphanQuery } from '../../emit/orphans.js';
import { checkInstalledSdk, SDK_PACKAGE, SDK_RANGE } from '../../emit/sdk-version.js';

export interface CompileCommandOptions {
  out?: string;
  check?: boolean;
  prune?: boolean;
  color?: boolean;
  root?: string;
  quiet?: boolean;
}

export function registerCompile(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('compile')
    .description('Validate topologies and emit TypeScript wiring for @openai/agents (plus diagrams) into <out>/<name>/.')
    .argument('[paths...]', 'YAML files, or directories to search for *.yaml / *.yml (default: `inputs` from the config file)')
    .option('-o, --out <dir>', 'output folder (default: generated)')
    .option('--check', 'write nothing; exit 1 and name the files when the output on disk is stale or a folder in it belongs to no topology')
    .option('--prune', 'delete output folders left by renamed or deleted topologies (only folders holding nothing but generated files)')
    .option('--root <dir>', 'project root that file references must stay inside (default: nearest package.json)')
    .option('--color', 'always colour the output')
    .option('--no-color', 'never colour the output')
    .option('-q, --quiet', 'print only problems, not the files written')
    .addHelpText('after', '\nExamples:\n  switchboard compile topologies/\n  switchboard compile topologies/ --check   # in CI: fail when generated/ is stale')
    .action(async (paths: string[], options: CompileCommandOptions) => {
      setExit(await compileCommand(paths, options, io));
    });
}

/** Absolute paths of everything a compile read: the topologies and the files they reference. */
export function filesRead(results: readonly ValidationResult[]): string[] {
  return results.flatMap((r) => [r.absolutePath, ...[...(r.files?.byReference.values() ?? [])].map((f) => f.absolutePath)]);
}

/** `onRead` (for watch) receives the files this compile read, whether or not it then wrote anything. */
export async function compileCommand(paths: string[], options: CompileCommandOptions, io: CliIo, onRead?: (files: readonly string[]) => void): Promise<number> {
  const loaded = loadConfig(io.cwd);
  const { config } = loaded;
  const results = withUniqueNames(validatePaths(inputPaths(paths, config), io, options.root ?? config.root, config.rules, loaded));
  onRead?.(filesRead(results));
  const problems = results.some((r) => r.diagnostics.length > 0);
  // Diagnostics go to stderr so stdout stays a clean list of what was written.
  const stderrIo = { ...io, stdout: io.stderr, isTTY: false };
  if (problems) {
    const code = reportResults(results, { format: 'pretty', ...(options.color !== undefined ? { color: options.color } : {}) }, stderrIo);
    if (code !== EXIT.ok) {
      io.stderr('switchboard: nothing was written because of the errors above.\n');
      return code;
    }
  }
  const outDir = resolve(io.cwd, options.out ?? config.out ?? 'generated');
  checkOutputFolder(outDir, io.cwd);
  const sdk = checkInstalledSdk(outDir);
  if (sdk.status === 'out-of-range') {
    io.stderr(`switchboard: the generated code needs ${SDK_PACKAGE} ${SDK_RANGE.text}, but ${sdk.version} is installed (${display(io.cwd, sdk.path)}).\n  Install a matching version: npm install ${SDK_PACKAGE}@~0.20.0\n`);
    return EXIT.findings;
  }
  if (sdk.status === 'missing' && !options.check && !options.quiet) {
    io.stderr(`switchboard: note: ${SDK_PACKAGE} is not installed where the output will live; the generated code needs ${SDK_PACKAGE} ${SDK_RANGE.text} (npm install ${SDK_PACKAGE}@~0.20.0 zod@^4).\n`);
  }
  // The emitters load only when something is compiled: `validate` and `--help` never pay for them.
  const { compileTopology, projectPath } = await import('../../compile.js');
  const files: OutputFile[] = [];
  for (const r of results) files.push(...(await compileTopology(r, { outDir })));
  const shown = (path: string) => terminalLine(display(io.cwd, resolve(outDir, path)));
  const orphans = findOrphans(outDir, orphanQuery(results, io.cwd, projectPath));
  const rerun = `switchboard compile ${paths.join(' ')}${options.out ? ` --out ${options.out}` : ''}`;
  if (options.check) {
    const stale = staleFiles(outDir, files);
    if (stale.length === 0 && orphans.length === 0) {
      if (!options.quiet) io.stdout(`${files.length} generated files are up to date.\n`);
      return EXIT.ok;
    }
    if (stale.length) {
      io.stderr(`switchboard: generated output is stale; run \`${rerun}\` and commit the result:\n`);
      for (const path of stale) io.stderr(`  ${shown(path)}\n`);
    }
    if (orphans.length) {
      io.stderr(`switchboard: output folders belong to no topology (renamed or deleted); run \`${rerun} --prune\` and commit the result:\n`);
      for (const orphan of orphans) io.stderr(`  ${shown(orphan.name)}/ (from ${terminalLine(orphan.source)})\n`);
    }
    return EXIT.findings;
  }
  // Nothing this run read may be replaced by what it writes (a topology, a prompt, a tool module).
  const inputs = filesRead(results);
  const written = writeOutput(outDir, files, { inputs, cwd: io.cwd });
  const pruned = options.prune ? pruneOrphans(outDir, orphans) : [];
  for (const orphan of orphans.filter((o) => !pruned.includes(o.name))) {
    const why = options.prune ? 'not deleted: it holds files switchboard did not generate' : 'delete it with --prune';
    io.stderr(`switchboard: ${shown(orphan.name)}/ belongs to no topology (it was generated from ${terminalLine(orphan.source)}); ${why}\n`);
  }
  if (options.quiet) return EXIT.ok;
  for (const name of pruned) io.stdout(`deleted ${shown(name)}/\n`);
  for (const path of written) io.stdout(`wrote ${shown(path)}\n`);
  io.stdout(`${results.length} ${results.length === 1 ? 'topology' : 'topologies'} compiled: ${written.length} files written, ${files.length - written.length} unchanged.\n`);
  return EXIT.ok;
}

/** What tells a current output folder from one a renamed or deleted topology left behind. */
function orphanQuery(results: readonly ValidationResult[], cwd: string, projectPath: (result: ValidationResult) => string): OrphanQuery {
  return {
    compiled: new Set(results.flatMap((r) => (r.topology ? [r.topology.name] : []))),
    sources: new Set(results.map(projectPath)),
    root: results.find((r) => r.files)?.files?.root ?? resolve(cwd),
  };
}

/**
 * Each topology's name is its output folder, so two files with one name would overwrite each other:
 * the later ones get an error at their `name`, which names the first file (a file reached twice is
 * already counted once, see expandInputs).
 */
export function withUniqueNames(results: readonly ValidationResult[]): ValidationResult[] {
  const first = new Map<string, ValidationResult>();
  return results.map((r) => {
    const name = r.topology?.name;
    if (!name || !r.source) return r;
    const earlier = first.get(name);
    if (!earlier) {
      first.set(name, r);
      return r;
    }
    const at = earlier.source ? locate(earlier.source, '/name').start : undefined;
    const diagnostic: Diagnostic = {
      ruleId: 'source/duplicate-name',
      severity: 'error',
      message: `topology name \`${name}\` is already used by ${earlier.file}${at ? `:${at.line}:${at.column}` : ''}; each topology needs its own name (it names the output folder)`,
      file: r.file,
      pointer: '/name',
      range: locate(r.source, '/name'),
    };
    return { ...r, diagnostics: sortDiagnostics([...r.diagnostics, diagnostic]), ok: false };
  });
}
