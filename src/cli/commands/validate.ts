import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { formatDiagnostics, OUTPUT_FORMATS, type OutputFormat } from '../../diagnostics/format.js';
import { countBySeverity } from '../../diagnostics/types.js';
import { RULES } from '../../rules/index.js';
import { validateFile, type ValidationResult } from '../../validate.js';
import { expandInputs } from '../inputs.js';
import { EXIT, UsageError, useColor, type CliIo } from '../io.js';
import { loadConfig, type SwitchboardConfig } from '../../config.js';
import { VERSION } from '../../version.js';

export interface ValidateCommandOptions {
  format: OutputFormat;
  maxWarnings?: number;
  color?: boolean;
  quiet?: boolean;
  root?: string;
  fix?: boolean;
  fixDryRun?: boolean;
  baseline?: string;
  baselineWrite?: string;
}

export function registerValidate(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('Check topology files against the schema and the star rules; report every problem at once.')
    .argument('[paths...]', 'YAML files, or directories to search for *.yaml / *.yml (default: `inputs` from the config file)')
    .addOption(new Option('-f, --format <format>', 'output format (default: pretty)').choices(OUTPUT_FORMATS))
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', parseCount)
    .option('-q, --quiet', 'report errors only')
    .option('--root <dir>', 'project root that file references must stay inside (default: nearest package.json)')
    .option('--fix', 'apply the unambiguous did-you-mean suggestions in place, then report what is left')
    .option('--fix-dry-run', 'print the changes --fix would make as a unified diff; write nothing (exit 1 if there are any)')
    .option('--baseline <file>', 'report only findings that the baseline file does not hold; list its fixed entries')
    .option('--baseline-write <file>', 'record every current finding in a baseline file (exit 0)')
    .option('--color', 'always colour the output')
    .option('--no-color', 'never colour the output (NO_COLOR is honoured too)')
    .addHelpText('after', '\nExamples:\n  switchboard validate topologies/\n  switchboard validate support-desk.yaml --format sarif > switchboard.sarif\n  switchboard validate topologies/ --fix')
    .action(async (paths: string[], flags: Partial<ValidateCommandOptions>) => {
      const { config } = loadConfig(io.cwd);
      const options: ValidateCommandOptions = {
        ...flags,
        format: flags.format ?? config.format ?? 'pretty',
        ...(flags.maxWarnings ?? config.maxWarnings) !== undefined ? { maxWarnings: (flags.maxWarnings ?? config.maxWarnings)! } : {},
      };
      if ([flags.fix || flags.fixDryRun, flags.baseline, flags.baselineWrite].filter(Boolean).length > 1) {
        throw new UsageError('--fix, --baseline and --baseline-write cannot be combined');
      }
      const root = flags.root ?? config.root;
      const results = validatePaths(inputPaths(paths, config), io, root, config.rules);
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

export function validatePaths(paths: readonly string[], io: CliIo, root?: string, ruleSettings?: SwitchboardConfig['rules']): ValidationResult[] {
  return expandInputs(paths, io.cwd).map((input) =>
    validateFile(input.absolutePath, { displayPath: input.displayPath, ...(root ? { root } : {}), ...(ruleSettings ? { ruleSettings } : {}) }),
  );
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
  io.stdout(
    formatDiagnostics(options.format, {
      diagnostics,
      sources,
      rules: RULES,
      filesChecked: results.length,
      suppressed: results.reduce((n, r) => n + r.suppressed.length, 0),
      color: useColor(io, options.color),
      toolVersion: VERSION,
    }),
  );
  const { errors, warnings } = countBySeverity(all);
  if (errors > 0) return EXIT.findings;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    io.stderr(`switchboard: ${warnings} warnings exceed --max-warnings ${options.maxWarnings}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return Number(value);
}
