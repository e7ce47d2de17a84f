import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { validateFile } from '../../validate.js';
import { EXIT, type CliIo } from '../io.js';
import { display, requireInputFile } from '../inputs.js';
import { reportResults } from './validate.js';
import type { AnalysisFormat } from '../../analysis/format-routes.js';

interface RoutesOptions {
  format: AnalysisFormat;
  depth?: number;
  maxTurns?: number;
  root?: string;
}

export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return Number(value);
}

/** `switchboard routes <topology>`: every route from the entry with its cost in turns, before anything runs. */
export function registerRoutes(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('routes')
    .description('List every route from the entry agent with the turns it costs; find hand-back cycles, ping-pong pairs and what maxTurns allows.')
    .argument('<topology>', 'the topology YAML file')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'markdown', 'mermaid']).default('pretty'))
    .option('--depth <n>', 'longest route to list, in handoffs (default 3)', positiveInteger)
    .option('--max-turns <n>', 'the maxTurns your runs use (default: the SDK default, 10)', positiveInteger)
    .option('--root <dir>', 'project root that file references must stay inside (default: nearest package.json)')
    .addHelpText(
      'after',
      '\nExamples:\n  switchboard routes topologies/support-desk.yaml\n  switchboard routes topologies/support-desk.yaml --max-turns 6 --format markdown > routes.md\n  switchboard routes topologies/airline.yaml --format mermaid > routes.mmd',
    )
    .action(async (file: string, options: RoutesOptions) => setExit(await routesCommand(file, options, io)));
}

async function routesCommand(file: string, options: RoutesOptions, io: CliIo): Promise<number> {
  const absolute = requireInputFile(file, io.cwd);
  const result = validateFile(absolute, { displayPath: display(io.cwd, absolute), ...(options.root ? { root: resolve(io.cwd, options.root) } : {}) });
  if (!result.topology || !result.ok) {
    reportResults([result], { format: 'pretty' }, { ...io, stdout: io.stderr });
    return EXIT.findings;
  }
  const [{ analyseRoutes }, { formatRoutes }, { findingAnnotations, ROUTE_RULE_IDS }, { emitFlowchart }] = await Promise.all([
    import('../../analysis/routes.js'),
    import('../../analysis/format-routes.js'),
    import('../../analysis/annotate.js'),
    import('../../emit/mermaid/emit-flowchart.js'),
  ]);
  const topology = result.topology;
  const analysis = analyseRoutes(topology, { ...(options.depth ? { depth: options.depth } : {}), ...(options.maxTurns ? { maxTurns: options.maxTurns } : {}) });
  const routeFindings = result.diagnostics.filter((d) => ROUTE_RULE_IDS.includes(d.ruleId));
  const findings = routeFindings.map((d) => ({ ruleId: d.ruleId, message: d.message, location: `${d.file}:${d.range?.start.line ?? 0}:${d.range?.start.column ?? 0}` }));
  const diagram = options.format === 'markdown' || options.format === 'mermaid' ? emitFlowchart(topology, { source: result.file, annotations: findingAnnotations(topology, routeFindings) }) : undefined;
  io.stdout(formatRoutes(options.format, { file: result.file, analysis, findings, ...(diagram ? { diagram } : {}) }));
  return EXIT.ok;
}
