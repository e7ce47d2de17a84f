import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { formatDiagnostics, OUTPUT_FORMATS, type OutputFormat } from '../../diagnostics/format.js';
import { countBySeverity } from '../../diagnostics/types.js';
import { RULES } from '../../rules/index.js';
import { resolve } from 'node:path';
import { writeAtomically } from '../../emit/write-output.js';
import { validateFile, validateSource, type ValidateOptions, type ValidationResult } from '../../validate.js';
import { display, expandInputs, ignorePatternsFor, type ExpandOptions } from '../inputs.js';
import { EXIT, UsageError, useColor, type CliIo } from '../io.js';
import { loadConfig, type LoadedConfig, type SwitchboardConfig } from '../../config.js';
import { VERSION } from '../../version.js';

export interface ValidateCommandOptions {
  format: OutputFormat;
  maxWarnings?: number;
  color?: boolean;
  quiet?: boolean;
  root?: string;
  /** Also check filters and tool names against the live MCP servers. */
  connect?: boolean;
  connectTimeout?: number;
  fix?: boolean;
  fixDryRun?: boolean;
  baseline?: string;
  baselineWrite?: string;
  /** Where each report goes: a file, or stdout when `file` is absent. Default: `format` on stdout. */
  outputs?: readonly OutputTarget[];
}

/** One `--output format[=file]`. */
export interface OutputTarget {
  readonly format: OutputFormat;
  readonly file?: string;
}

interface ValidateFlags extends Partial<ValidateCommandOptions> {
  output?: OutputTarget[];
  stdinFilename?: string;
}

export function registerValidate(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('Check topology files against the schema and the star rules; report every problem at once.')
    .argument('[paths...]', 'YAML files, folders to search for topologies, quoted globs, or - for standard input (default: `inputs` from the config file)')
    .addOption(new Option('-f, --format <format>', 'output format on stdout (default: pretty)').choices(OUTPUT_FORMATS))
    .option('-o, --output <format[=file]>', `also write a report: ${OUTPUT_FORMATS.join(', ')}, to a file or (without =file) to stdout; repeatable`, parseOutput)
    .option('--stdin-filename <path>', 'the name of the file read from standard input (-): shown in diagnostics, and where its references resolve from')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', parseCount)
    .option('-q, --quiet', 'report errors only')
    .option('--root <dir>', 'project root that file references must stay inside (default: nearest package.json)')
    .option('--fix', 'apply the unambiguous did-you-mean suggestions in place, then report what is left')
    .option('--fix-dry-run', 'print the changes --fix would make as a unified diff; write nothing (exit 1 if there are any)')
    .option('--baseline <file>', 'report only findings that the baseline file does not hold; list its fixed entries')
    .option('--baseline-write <file>', 'record every current finding in a baseline file (exit 0)')
    .option('--connect', 'also start or reach the declared MCP servers, list their tools and check filters and tool names against them')
    .option('--connect-timeout <seconds>', 'time limit per MCP server with --connect (default 10)', parseSeconds)
    .option('--color', 'always colour the output')
    .option('--no-color', 'never colour the output (NO_COLOR is honoured too)')
    .addHelpText(
      'after',
      "\nExamples:\n  switchboard validate topologies/\n  switchboard validate 'topologies/**/*.yaml'\n  switchboard validate topologies/ --output sarif=switchboard.sarif --output github\n  switchboard validate topologies/ --fix\n  switchboard validate topologies/support-desk-mcp.yaml --connect\n  cat support-desk.yaml | switchboard validate - --stdin-filename topologies/support-desk.yaml",
    )
    .action(async (paths: string[], flags: ValidateFlags) => {
      const loaded = loadConfig(io.cwd);
      const { config } = loaded;
      const { output, stdinFilename, ...rest } = flags;
      const outputs = [...(flags.format !== undefined || !output?.length ? [{ format: flags.format ?? config.format ?? 'pretty' }] : []), ...(output ?? [])];
      if (outputs.filter((o) => o.file === undefined).length > 1) throw new UsageError('only one report can go to stdout: give the others a file (--output format=file)');
      const options: ValidateCommandOptions = {
        ...rest,
        format: outputs[0]!.format,
        outputs,
        ...(flags.maxWarnings ?? config.maxWarnings) !== undefined ? { maxWarnings: (flags.maxWarnings ?? config.maxWarnings)! } : {},
      };
      if ([flags.fix || flags.fixDryRun, flags.baseline, flags.baselineWrite].filter(Boolean).length > 1) {
        throw new UsageError('--fix, --baseline and --baseline-write cannot be combined');
      }
      if (stdinFilename !== undefined && !paths.includes('-')) throw new UsageError('--stdin-filename names standard input: pass - as the path');
      if (paths.includes('-') && (flags.fix || flags.fixDryRun)) throw new UsageError('--fix edits files in place: it cannot fix standard input');
      const root = flags.root ?? config.root;
      let results = paths.includes('-') ? validateWithStdin(paths, stdinFilename, io, loaded, root) : validatePaths(inputPaths(paths, config), io, root, config.rules, loaded);
      if (flags.connect) {
        // Loaded only when asked for: it imports the Agents SDK.
        const { checkMcpServers } = await import('../../mcp/connect.js');
        const timeoutMs = (flags.connectTimeout ?? 10) * 1000;
        const checked: ValidationResult[] = [];
        for (const result of results) checked.push(await checkMcpServers(result, { timeoutMs }));
        results = checked;
      }
      // Loaded only when asked for: the plain validate path stays as small as it was.
      if (flags.fix || flags.fixDryRun) {
        const { fixFile, printFixDiff, writeFixes } = await import('./fix.js');
        const fixes = results.flatMap((r) => fixFile(r, { ...(root ? { root } : {}), ...(config.rules ? { ruleSettings: config.rules } : {}) }) ?? []);
        if (flags.fixDryRun) return setExit(printFixDiff(fixes, io));
        return setExit(reportResults(writeFixes(results, fixes, io), options, io));
      }
      if (flags.baselineWrite || flags.baseline) {
        const { applyBaseline, writeBaseline } = await import('./baseline.js');
        if (flags.baselineWrite) return setExit(writeBaseline(results, flags.baselineWrite, io));
        return setExit(reportResults(applyBaseline(results, flags.baseline!, io), options, io));
      }
      setExit(reportResults(results, options, io));
    });
}

/** How folders and globs are searched for `cwd`: the config's `ignore` and the nearest .switchboardignore. */
export function discoveryFor(cwd: string, loaded: LoadedConfig): ExpandOptions {
  return { ignore: ignorePatternsFor(cwd, loaded.config, loaded.file) };
}

/**
 * Validate the files the paths name. With the loaded configuration, folders and globs honour its
 * `ignore` and .switchboardignore, and `model-known` its `models`.
 */
export function validatePaths(paths: readonly string[], io: CliIo, root?: string, ruleSettings?: SwitchboardConfig['rules'], loaded?: LoadedConfig): ValidationResult[] {
  const config = loaded?.config ?? {};
  return expandInputs(paths, io.cwd, loaded ? discoveryFor(io.cwd, loaded) : {}).map((input) =>
    validateFile(input.absolutePath, { displayPath: input.displayPath, ...validateOptions(root, ruleSettings, config) }),
  );
}

function validateOptions(root: string | undefined, ruleSettings: SwitchboardConfig['rules'] | undefined, config: SwitchboardConfig): Omit<ValidateOptions, 'displayPath'> {
  return {
    ...(root ? { root } : {}),
    ...(ruleSettings ? { ruleSettings } : {}),
    ...(config.models ? { ruleOptions: { 'model-known': { models: config.models } } } : {}),
  };
}

/** `validate -`: standard input (once) in place of the `-`, named by --stdin-filename. */
function validateWithStdin(paths: readonly string[], stdinFilename: string | undefined, io: CliIo, loaded: LoadedConfig, root: string | undefined): ValidationResult[] {
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
  if (!io.readStdin) throw new UsageError('there is no standard input to read');
  const text = io.readStdin();
  const absolute = resolve(io.cwd, stdinFilename ?? 'stdin.yaml');
  const displayPath = stdinFilename !== undefined ? display(io.cwd, absolute) : '<stdin>';
  const others = paths.filter((p) => p !== '-');
  const before = others.length ? validatePaths(others, io, root, loaded.config.rules, loaded) : [];
  return [...before, validateSource(text, absolute, { displayPath, ...validateOptions(root, loaded.config.rules, loaded.config) })];
}

/** The paths on the command line, else the config file's `inputs`. */
export function inputPaths(paths: readonly string[], config: SwitchboardConfig): readonly string[] {
  if (paths.length) return paths;
  if (config.inputs) return config.inputs;
  throw new UsageError('no input files: pass YAML files or folders, or set "inputs" in switchboard.config.json');
}

/** Print diagnostics in the chosen format and return the exit code they imply. */
export function reportResults(results: readonly ValidationResult[], options: ValidateCommandOptions, io: CliIo): number {
  const all = results.flatMap((r) => r.diagnostics);
  const diagnostics = options.quiet ? all.filter((d) => d.severity === 'error') : all;
  const sources = new Map(results.flatMap((r) => (r.source ? [[r.file, r.source.text] as const] : [])));
  const format = (target: OutputTarget) =>
    formatDiagnostics(target.format, { diagnostics, sources, rules: RULES, filesChecked: results.length, suppressed: results.reduce((n, r) => n + r.suppressed.length, 0), color: target.file === undefined && useColor(io, options.color), toolVersion: VERSION, sourceRoot: io.cwd });
  for (const target of options.outputs ?? [{ format: options.format }]) {
    if (target.file === undefined) {
      io.stdout(format(target));
      continue;
    }
    const path = resolve(io.cwd, target.file);
    writeAtomically(path, format(target));
  }
  const { errors, warnings } = countBySeverity(all);
  if (errors > 0) return EXIT.findings;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    io.stderr(`switchboard: ${warnings} warnings exceed --max-warnings ${options.maxWarnings}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

/** `--output format[=file]`, collected over repeats. */
export function parseOutput(value: string, previous: OutputTarget[] = []): OutputTarget[] {
  const at = value.indexOf('=');
  const format = at < 0 ? value : value.slice(0, at);
  const file = at < 0 ? undefined : value.slice(at + 1);
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) throw new InvalidArgumentError(`unknown format "${format}" (choose from ${OUTPUT_FORMATS.join(', ')}), as format or format=file`);
  if (file === '') throw new InvalidArgumentError(`no file after "${format}="; leave out "=" to write to stdout`);
  return [...previous, { format: format as OutputFormat, ...(file !== undefined ? { file } : {}) }];
}

function parseSeconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`expected a positive number of seconds, got "${value}"`);
  return Number(value);
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return Number(value);
}
