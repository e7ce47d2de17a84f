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
  /** Also check filters and tool names against the live MCP servers. */
  connect?: boolean;
  connectTimeout?: number;
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
    .option('--connect', 'also start or reach the declared MCP servers, list their tools and check filters and tool names against them')
    .option('--connect-timeout <seconds>', 'time limit per MCP server with --connect (default 10)', parseSeconds)
    .option('--color', 'always colour the output')
    .option('--no-color', 'never colour the output (NO_COLOR is honoured too)')
    .addHelpText('after', '\nExamples:\n  switchboard validate topologies/\n  switchboard validate topologies/support-desk-mcp.yaml --connect\n  switchboard validate support-desk.yaml --format sarif > switchboard.sarif')
    .action(async (paths: string[], flags: Partial<ValidateCommandOptions>) => {
      const { config } = loadConfig(io.cwd);
      const options: ValidateCommandOptions = {
        ...flags,
        format: flags.format ?? config.format ?? 'pretty',
        ...(flags.maxWarnings ?? config.maxWarnings) !== undefined ? { maxWarnings: (flags.maxWarnings ?? config.maxWarnings)! } : {},
      };
      let results = validatePaths(inputPaths(paths, config), io, flags.root ?? config.root, config.rules);
      if (flags.connect) {
        // Loaded only when asked for: it imports the Agents SDK.
        const { checkMcpServers } = await import('../../mcp/connect.js');
        const timeoutMs = (flags.connectTimeout ?? 10) * 1000;
        const checked: ValidationResult[] = [];
        for (const result of results) checked.push(await checkMcpServers(result, { timeoutMs }));
        results = checked;
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

function parseSeconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`expected a positive number of seconds, got "${value}"`);
  return Number(value);
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return Number(value);
}
