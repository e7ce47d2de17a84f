/**
 * `switchboard eval lint <topology> --dataset <file> [--scenarios <file>]`: dataset lint and topology
 * coverage (src/eval/coverage.ts). Nothing is imported or run: no SDK, no model, no key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { display } from '../inputs.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { locate } from '../../source/locate.js';
import { coverageReport, DEFAULT_COVERAGE_OPTIONS, escalationToolsOf, type CoverageTopology } from '../../eval/coverage.js';
import { datasetCaseLocator, datasetFormatOf, loadDatasetFile } from '../../eval/dataset.js';
import { formatCoverageJson, formatCoverageTerminal } from '../../eval/reports/coverage.js';
import { parseScenarios } from '../../eval/scenarios.js';
import { checkOutputPaths, checkTopology, printDiagnostics } from './eval-setup.js';
import { writeReport } from './eval-run.js';

export interface LintOptions {
  readonly dataset?: string;
  readonly scenarios?: string;
  readonly minCases?: number;
  readonly maxImbalance?: number;
  readonly similarity?: number;
  readonly reportJson?: string;
  readonly color?: boolean;
  readonly root?: string;
}

export const LINT_OPTION_KEYS = ['dataset', 'scenarios', 'minCases', 'maxImbalance', 'similarity', 'reportJson', 'color', 'root'] as const;

export async function lintCommand(topologyPath: string, options: LintOptions, io: CliIo): Promise<number> {
  if (options.dataset === undefined) throw new UsageError("required option '-d, --dataset <file>' not specified");
  checkOutputPaths(
    io,
    [
      { flag: 'topology', path: topologyPath },
      { flag: '--dataset', path: options.dataset },
      { flag: '--scenarios', path: options.scenarios },
    ],
    [{ flag: '--report-json', path: options.reportJson }],
  );
  const checked = checkTopology(topologyPath, io, { ...(options.root ? { root: options.root } : {}), ...(options.color !== undefined ? { color: options.color } : {}) });
  if (typeof checked === 'number') return checked;
  const topology = checked.topology!;
  const agents = topology.agents.map((a) => a.id);
  const handoffs = topology.edges.filter((e) => e.kind === 'handoff');
  const source = checked.source;
  const escalationTools = escalationToolsOf(topology);
  const coverageTopology: CoverageTopology = {
    name: topology.name,
    file: checked.file,
    entry: topology.entry.value,
    agents,
    edges: handoffs.map((e) => ({ from: e.from.value, to: e.to.value, handback: e.handback, pointer: e.to.pointer, ...(source ? { range: locate(source, e.to.pointer) } : {}) })),
    escalationTools,
    ...(source ? { agentRanges: Object.fromEntries(agents.map((id) => [id, locate(source, `/agents/${id}`, { onKey: true })])) } : {}),
  };

  const datasetPath = resolve(io.cwd, options.dataset);
  if (!existsSync(datasetPath)) throw new UsageError(`--dataset: no such file: ${options.dataset}`);
  const shown = display(io.cwd, datasetPath);
  // Every agent but the entry is accepted as a label here, so that the lint can say whether one the
  // entry cannot take directly is reachable at all (`eval` itself rejects it as dataset/not-a-route).
  const loaded = loadDatasetFile(datasetPath, shown, { topologyName: topology.name, entry: topology.entry.value, agents, routes: agents.filter((a) => a !== topology.entry.value) });
  const sources = new Map<string, string>(loaded.text !== undefined ? [[shown, loaded.text]] : []);
  if (source) sources.set(checked.file, source.text);
  if (!loaded.dataset) {
    printDiagnostics(io, loaded.diagnostics, sources, options.color);
    io.stderr('switchboard: fix the dataset before linting its coverage.\n');
    return EXIT.findings;
  }

  let scenarios: { file: string; scenarios: import('../../eval/scenarios.js').Scenario[] } | undefined;
  if (options.scenarios !== undefined) {
    const absolute = resolve(io.cwd, options.scenarios);
    if (!existsSync(absolute)) throw new UsageError(`--scenarios: no such file: ${options.scenarios}`);
    const text = readFileSync(absolute, 'utf8');
    const file = display(io.cwd, absolute);
    sources.set(file, text);
    const parsed = parseScenarios(text, file, {
      topologyName: topology.name,
      entry: topology.entry.value,
      agents,
      edges: handoffs.map((e) => ({ from: e.from.value, to: e.to.value, handback: e.handback })),
      toolsByAgent: Object.fromEntries(topology.agents.map((a) => [a.id, a.tools.map((t) => t.value)])),
      escalationTools,
    });
    if (!parsed.scenarios) {
      printDiagnostics(io, parsed.diagnostics, sources, options.color);
      io.stderr('switchboard: fix the scenarios before linting their coverage.\n');
      return EXIT.findings;
    }
    scenarios = { file, scenarios: [...parsed.scenarios.scenarios] };
  }

  const report = coverageReport(
    { topology: coverageTopology, dataset: loaded.dataset, locateCase: datasetCaseLocator(loaded.text!, shown, datasetFormatOf(datasetPath)), ...(scenarios ? { scenarios } : {}) },
    {
      minCases: options.minCases ?? DEFAULT_COVERAGE_OPTIONS.minCases,
      maxImbalance: options.maxImbalance ?? DEFAULT_COVERAGE_OPTIONS.maxImbalance,
      similarity: options.similarity ?? DEFAULT_COVERAGE_OPTIONS.similarity,
    },
  );
  const diagnostics = [...loaded.diagnostics, ...report.findings];
  if (diagnostics.length > 0) printDiagnostics(io, diagnostics, sources, options.color);
  writeReport(options.reportJson, formatCoverageJson(report), io);
  (options.reportJson === '-' ? io.stderr : io.stdout)(formatCoverageTerminal(report));
  return report.passed ? EXIT.ok : EXIT.findings;
}
