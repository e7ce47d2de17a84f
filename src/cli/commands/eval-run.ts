/**
 * `switchboard eval`: the I/O edge. Validates the topology and the dataset (located diagnostics,
 * exit 1), loads the compiled topology, runs the cases, writes the reports and applies the gates.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { display } from '../inputs.js';
import { EXIT, UsageError, useColor, type CliIo } from '../io.js';
import { listNames } from '../../diagnostics/suggest.js';
import { DATASET_LIMITS, loadDatasetFile, type Dataset } from '../../eval/dataset.js';
import { checkRecallRoutes, errorGate, evaluateGates, GateSpecError, parseRecallSpec, readBaseline, significanceGates, type GateSpec } from '../../eval/gates.js';
import { entryRoutes } from '../../eval/load-topology.js';
import { checkOverrides, OverrideError, parseAssignment, settingLabel, type ModelOverrides } from '../../eval/overrides.js';
import { DEFAULT_PRICES, parsePriceTable, PriceTableError, type PriceTable } from '../../eval/prices.js';
import { progressBar } from '../../eval/progress.js';
import { buildReport, withComparisons, withGates, type EvalReport, type ReportContext } from '../../eval/report.js';
import { parseShard, selectShard, shardPayload, ShardError, type Shard } from '../../eval/shard.js';
import { DEFAULT_ALPHA } from '../../eval/statistics.js';
import { formatJsonReport } from '../../eval/reports/json.js';
import { formatJunit } from '../../eval/reports/junit.js';
import { formatMarkdown } from '../../eval/reports/markdown.js';
import { formatHtmlReport } from '../../eval/reports/html.js';
import { formatTerminal } from '../../eval/reports/terminal.js';
import { runEval, type AbandonedWork, type EvalSetting } from '../../eval/runner.js';
import { checkOutputPaths, checkTopology, loadRuntimeAndProvider, modelCalls, modelOverrides, prepareCassette, printDiagnostics, providerPath, stallWatch } from './eval-setup.js';
import { writeAtomically } from '../../emit/write-output.js';
import { terminalLine } from '../../eval/terminal-text.js';
import { realClock, STAY, type EvalClock, type McpConnection } from '../../eval/types.js';

export interface EvalCommandOptions {
  /** The routing dataset; or `scenarios` instead. */
  readonly dataset?: string;
  /** Multi-turn scenarios (docs/eval.md#scenarios) instead of a routing dataset. */
  readonly scenarios?: string;
  readonly full?: boolean;
  readonly judge?: string;
  readonly model?: readonly string[];
  readonly compare?: readonly string[];
  readonly concurrency?: number;
  readonly retries?: number;
  /** Per-attempt timeout in seconds (0: none). */
  readonly timeout?: number;
  readonly repeat?: number;
  readonly maxTurns?: number;
  readonly tag?: readonly string[];
  /** The most cases a dataset may hold (default DATASET_LIMITS.maxCases). */
  readonly maxCases?: number;
  readonly provider?: string;
  readonly record?: string;
  readonly replay?: string;
  readonly prices?: string;
  readonly reportJson?: string;
  readonly junit?: string;
  readonly markdown?: string;
  readonly html?: string;
  readonly minAccuracy?: number;
  readonly minRecall?: readonly string[];
  readonly baseline?: string;
  readonly maxDrop?: number;
  readonly maxErrors?: number;
  /** Entry models for a cost–accuracy frontier: one setting per model (`--models a,b,c`). */
  readonly models?: string;
  /** Gate: fail on a significant drop in a paired comparison (true: alpha 0.05). */
  readonly failOnSignificantDrop?: number | boolean;
  /** Accept attempts that end in errors (by default they fail the run). */
  readonly allowErrors?: boolean;
  /** `i/n`: run every n-th case starting at the i-th (CI matrix jobs; merge with `eval merge`). */
  readonly shard?: string;
  /** With --record: a note for the cassette's metadata (who recorded it, and how). */
  readonly cassetteNote?: string;
  /** Send the entry decisions through OpenAI's Batch API (docs/eval.md#batch-api). */
  readonly batch?: boolean;
  /** Resume a submitted batch instead of submitting one (implies --batch). */
  readonly batchId?: string;
  readonly batchPoll?: number;
  readonly batchTimeout?: number;
  readonly progress?: boolean;
  readonly color?: boolean;
  readonly root?: string;
}

/** What tests inject; the CLI uses the real clock, process signals and stderr. */
export interface EvalDeps {
  readonly clock?: EvalClock;
  readonly random?: () => number;
  /**
   * Abort to interrupt the run (the reason `'SIGTERM'` exits 143, anything else 130). Default: the
   * first SIGINT or SIGTERM (a second one exits at once).
   */
  readonly interrupt?: AbortSignal;
  /**
   * Called after the reports are written when model calls that ignored the abort signal are still
   * running, and would keep the process alive. The CLI exits the process; tests leave it alone.
   */
  readonly onAbandoned?: (count: number) => void;
  /** Whether stderr is a terminal (progress bar). Default: process.stderr.isTTY. */
  readonly stderrIsTTY?: boolean;
}

export const DEFAULTS = { concurrency: 4, retries: 4, timeoutSeconds: 120, repeat: 1 } as const;

/** Exit code after Ctrl-C (128 + SIGINT), once the partial report is written. */
export const EXIT_INTERRUPTED = 130;
/** Exit code after SIGTERM (128 + 15), once the partial report is written. */
export const EXIT_TERMINATED = 143;

export async function evalCommand(topologyPath: string, options: EvalCommandOptions, io: CliIo, deps: EvalDeps = {}): Promise<number> {
  if (options.scenarios !== undefined) {
    if (options.dataset !== undefined) throw new UsageError('--dataset and --scenarios are run separately: give one of them');
    const { scenarioCommand } = await import('./eval-scenarios.js');
    return scenarioCommand(topologyPath, options, io, deps);
  }
  if (options.dataset === undefined) throw new UsageError("required option '-d, --dataset <file>' not specified (or run multi-turn scenarios with --scenarios <file>)");
  const datasetFile: string = options.dataset;
  const clock = deps.clock ?? realClock;
  checkOutputPaths(
    io,
    [
      { flag: 'topology', path: topologyPath },
      { flag: '--dataset', path: options.dataset },
      { flag: '--replay', path: options.replay },
      { flag: '--baseline', path: options.baseline },
      { flag: '--prices', path: options.prices },
      { flag: '--provider', path: providerPath(options.provider) },
    ],
    [
      { flag: '--record', path: options.record },
      { flag: '--report-json', path: options.reportJson },
      { flag: '--junit', path: options.junit },
      { flag: '--markdown', path: options.markdown },
    ],
  );
  const checked = checkTopology(topologyPath, io, { ...(options.root ? { root: options.root } : {}), ...(options.color !== undefined ? { color: options.color } : {}) });
  if (typeof checked === 'number') return checked;
  const topology = checked.topology!;
  const routes = entryRoutes(checked);
  const agentIds = topology.agents.map((a) => a.id);

  // Everything that can be checked without importing the topology is checked first: importing takes seconds.
  const datasetPath = resolve(io.cwd, datasetFile);
  if (!existsSync(datasetPath)) throw new UsageError(`--dataset: no such file: ${datasetFile}`);
  const loaded = loadDatasetFile(datasetPath, display(io.cwd, datasetPath), { topologyName: topology.name, entry: topology.entry.value, agents: agentIds, routes }, { maxCases: options.maxCases ?? DATASET_LIMITS.maxCases });
  if (loaded.diagnostics.length > 0) {
    printDiagnostics(io, loaded.diagnostics, new Map(loaded.text !== undefined ? [[loaded.diagnostics[0]!.file, loaded.text]] : []), options.color);
  }
  if (!loaded.dataset) {
    io.stderr('switchboard: fix the dataset before evaluating it.\n');
    return EXIT.findings;
  }
  const filtered = filterByTags(loaded.dataset, options.tag ?? []);
  const shard = options.shard !== undefined ? shardOf(options.shard) : undefined;
  if (shard && (!options.reportJson || options.reportJson === '-')) throw new UsageError('--shard needs --report-json <file>: `switchboard eval merge` reads the shard reports');
  const selected = shard ? selectShard(filtered, shard) : undefined;
  const dataset = selected ? selected.dataset : filtered;
  const prices = readPrices(options.prices, io);
  const gates = gateSpec(options, io, [...routes, STAY]);
  const settings = settingsFrom(options, agentIds, topology.entry.value);
  const { replay } = prepareCassette(options, io);
  const repeat = options.repeat ?? DEFAULTS.repeat;
  const reports = [options.reportJson, options.junit, options.markdown, options.html];
  if (reports.filter((f) => f === '-').length > 1) throw new UsageError('only one report can go to standard output (-)');
  const batch = options.batch === true || options.batchId !== undefined;
  if (batch) {
    if (options.provider || options.replay) throw new UsageError('--batch sends the requests to OpenAI: drop --provider and --replay');
    if (options.full || options.judge || repeat > 1 || options.compare?.length || options.models !== undefined) {
      throw new UsageError('--batch runs one entry decision per case: it cannot be combined with --full, --judge, --repeat, --compare or --models');
    }
  }
  const { runtime, provider: userProvider } = await loadRuntimeAndProvider(checked, options, io);
  let provider = userProvider;
  const interrupt = deps.interrupt ? { signal: deps.interrupt, dispose: () => {} } : signalInterrupt(io);
  const stall = stallWatch();
  const abandoned: AbandonedWork = { count: 0 };
  const runOptions = {
    topology: runtime,
    dataset,
    settings,
    full: options.full ?? false,
    repeat,
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}),
    timeoutMs: (options.timeout ?? DEFAULTS.timeoutSeconds) * 1000,
    clock,
    interrupt: interrupt.signal,
    stall: stall.target,
    abandoned,
  };
  if (batch) {
    const { batchProvider } = await import('./eval-batch.js');
    try {
      provider = await batchProvider(runtime, checked.files!.root, options, io, {
        clock,
        signal: interrupt.signal,
        collect: async (call) => void (await runEval({ ...runOptions, call })),
      });
    } catch (error) {
      interrupt.dispose();
      stall.dispose();
      throw error;
    }
  }
  const calls = modelCalls(batch ? { ...options, retries: 0 } : options, io, runtime, { replay, provider }, { clock, ...(deps.random ? { random: deps.random } : {}) });

  const bar = progressBar(io.stderr, { enabled: options.progress ?? deps.stderrIsTTY ?? Boolean(process.stderr.isTTY) });
  let outcome;
  // The topology's MCP servers stay open for the whole evaluation and are closed after it.
  let mcp: McpConnection | undefined;
  try {
    mcp = await runtime.openMcpServers?.();
  } catch (error) {
    io.stderr(`switchboard: ${terminalLine(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.findings;
  }
  try {
    outcome = await runEval({
      ...runOptions,
      call: calls.call,
      ...(options.judge ? { judge: options.judge } : {}),
      onProgress: (p) => bar.update(p),
    });
  } finally {
    await mcp?.close();
    bar.done();
    stall.dispose();
    // From here on everything is synchronous, so no signal can arrive before the reports are written.
    interrupt.dispose();
  }

  const reportContext: ReportContext = {
    topology: topology.name,
    entry: topology.entry.value,
    dataset,
    mode: options.full ? 'full' : 'routing',
    repeat,
    ...(options.judge ? { judge: options.judge } : {}),
    routes,
    prices,
    recording: calls.recording,
  };
  const report = gatedReport(buildReport(outcome, reportContext), gates, options);

  const toStdout = reports.includes('-');
  // A shard's JSON report carries what `switchboard eval merge` needs to rebuild the whole run.
  const json = shard && selected ? formatJsonReport({ ...report, shard: shardPayload(shard, filtered.cases.length, selected.positions, outcome, reportContext) } as EvalReport) : formatJsonReport(report);
  writeReport(options.reportJson, json, io);
  writeReport(options.junit, formatJunit(report), io);
  writeReport(options.markdown, formatMarkdown(report), io);
  writeReport(options.html, formatHtmlReport(report), io);
  const saved = calls.save();
  const summary = formatTerminal(report, { color: useColor(toStdout ? { ...io, isTTY: deps.stderrIsTTY ?? Boolean(process.stderr.isTTY) } : io, options.color) });
  (toStdout ? io.stderr : io.stdout)(summary);
  if (calls.retries() > 0) io.stderr(`switchboard: ${calls.retries()} model call(s) were retried after rate limits or transient errors.\n`);
  if (saved !== undefined) io.stderr(`switchboard: recorded ${saved} request(s) to ${terminalLine(options.record!)}${outcome.interrupted ? ' (partial: the run was interrupted)' : ''}.\n`);
  if (abandoned.count > 0) {
    io.stderr(`switchboard: ${abandoned.count} model call(s) ignored the abort signal and are still running; not waiting for them.\n`);
    deps.onAbandoned?.(abandoned.count);
  }
  if (outcome.interrupted) return interrupt.signal.reason === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED;
  return report.passed ? EXIT.ok : EXIT.findings;
}

function shardOf(text: string): Shard {
  try {
    return parseShard(text);
  } catch (error) {
    if (error instanceof ShardError) throw new UsageError(error.message);
    throw error;
  }
}

function filterByTags(dataset: Dataset, tags: readonly string[]): Dataset {
  if (tags.length === 0) return dataset;
  const cases = dataset.cases.filter((c) => c.tags.some((t) => tags.includes(t)));
  if (cases.length === 0) {
    const known = [...new Set(dataset.cases.flatMap((c) => c.tags))].sort();
    throw new UsageError(`no case has the tag${tags.length > 1 ? 's' : ''} ${listNames(tags)}${known.length ? ` (tags in the dataset: ${listNames(known, 20)})` : ''}`);
  }
  return { ...dataset, cases };
}

function readPrices(path: string | undefined, io: CliIo): PriceTable {
  if (!path) return DEFAULT_PRICES;
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, path), 'utf8');
  } catch {
    throw new UsageError(`--prices: cannot read ${path}`);
  }
  try {
    return parsePriceTable(text);
  } catch (error) {
    if (error instanceof PriceTableError) throw new UsageError(`--prices ${path}: ${error.message}`);
    throw error;
  }
}

/** The paired comparisons and every gate, added to a built report (one run, or shards merged). */
export function gatedReport(built: EvalReport, gates: GateSpec, options: Pick<EvalCommandOptions, 'allowErrors' | 'maxErrors'>): EvalReport {
  const report = withComparisons(built, { ...(gates.baseline?.cases ? { baseline: { file: gates.baseline.file, cases: gates.baseline.cases } } : {}), alpha: gates.noSignificantDrop?.alpha ?? DEFAULT_ALPHA });
  const first = report.runs[0];
  return withGates(report, [
    ...(first ? evaluateGates(first, gates) : []),
    ...significanceGates(report.comparisons, gates),
    ...(first && !options.allowErrors && options.maxErrors === undefined ? errorGate(first) : []),
  ]);
}

export function gateSpec(options: EvalCommandOptions, io: CliIo, labels: readonly string[]): GateSpec {
  try {
    const minRecall: Record<string, number> = {};
    for (const spec of options.minRecall ?? []) {
      const [route, min] = parseRecallSpec(spec);
      minRecall[route] = min;
    }
    let baseline: GateSpec['baseline'];
    if (options.baseline) {
      let text: string;
      try {
        text = readFileSync(resolve(io.cwd, options.baseline), 'utf8');
      } catch {
        throw new UsageError(`--baseline: cannot read ${options.baseline}`);
      }
      baseline = readBaseline(text, options.baseline);
    } else if (options.maxDrop !== undefined) {
      throw new UsageError('--max-drop needs --baseline <report.json>');
    }
    const spec: GateSpec = {
      ...(options.minAccuracy !== undefined ? { minAccuracy: options.minAccuracy } : {}),
      minRecall,
      ...(baseline ? { baseline, maxDrop: options.maxDrop ?? 0 } : {}),
      ...(options.maxErrors !== undefined ? { maxErrors: options.maxErrors } : {}),
      ...(options.failOnSignificantDrop !== undefined && options.failOnSignificantDrop !== false
        ? { noSignificantDrop: { alpha: options.failOnSignificantDrop === true ? DEFAULT_ALPHA : options.failOnSignificantDrop } }
        : {}),
    };
    checkRecallRoutes(spec, labels);
    return spec;
  } catch (error) {
    if (error instanceof GateSpecError) throw new UsageError(error.message);
    throw error;
  }
}

function settingsFrom(options: EvalCommandOptions, agentIds: readonly string[], entry: string): EvalSetting[] {
  try {
    const base = assignments(options.model ?? [], '--model');
    checkOverrides(base, agentIds, '--model');
    if (options.models !== undefined) {
      if (options.compare && options.compare.length > 0) throw new UsageError('--models and --compare both add settings: use one of them');
      const models = [...new Set(options.models.split(',').map((m) => m.trim()).filter((m) => m !== ''))];
      if (models.length === 0) throw new UsageError('--models expects a comma-separated list of models, e.g. --models gpt-4o-mini,gpt-4.1-mini');
      return models.map((model) => {
        const overrides = { ...base, [entry]: model };
        return { label: settingLabel(overrides), overrides };
      });
    }
    const settings: EvalSetting[] = [{ label: settingLabel(base), overrides: base }];
    if (options.compare && options.compare.length > 0) {
      const compare = assignments(options.compare, '--compare');
      checkOverrides(compare, agentIds, '--compare');
      const merged = { ...base, ...compare };
      let label = settingLabel(merged);
      if (label === settings[0]!.label) label = `${label} (compare)`;
      settings.push({ label, overrides: merged });
    }
    return settings;
  } catch (error) {
    if (error instanceof OverrideError) throw new UsageError(error.message);
    throw error;
  }
}

function assignments(values: readonly string[], flag: string): ModelOverrides {
  const out: Record<string, string> = {};
  for (const value of values) {
    const [agent, model] = parseAssignment(value, flag);
    out[agent] = model;
  }
  return out;
}

export function writeReport(path: string | undefined, contents: string, io: CliIo): void {
  if (!path) return;
  if (path === '-') {
    io.stdout(contents);
    return;
  }
  try {
    writeAtomically(resolve(io.cwd, path), contents);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/**
 * The first Ctrl-C or SIGTERM interrupts (partial report and cassette, exit 130 or 143); a second
 * one exits at once. The abort reason is the signal's name.
 */
function signalInterrupt(io: CliIo): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const on = (name: 'SIGINT' | 'SIGTERM') => () => {
    if (controller.signal.aborted) process.exit(name === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED);
    io.stderr(`\nswitchboard: ${name === 'SIGTERM' ? 'terminated' : 'interrupted'}; finishing up and writing the partial report (${name === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C'} again to quit now)\n`);
    controller.abort(name);
  };
  const onSigint = on('SIGINT');
  const onSigterm = on('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    },
  };
}
