/**
 * `switchboard eval <topology> --scenarios <file>`: multi-turn scenarios. Checks the file against the
 * topology (located diagnostics, exit 1) before anything runs, runs each scenario, writes the reports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { display } from '../inputs.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { DEFAULT_PRICES } from '../../eval/prices.js';
import { buildScenarioReport, formatScenarioJunit, formatScenarioMarkdown, formatScenarioTerminal } from '../../eval/reports/scenarios.js';
import { runScenarios } from '../../eval/scenario-runner.js';
import { parseScenarios, type ScenarioContext } from '../../eval/scenarios.js';
import { realClock, type McpConnection } from '../../eval/types.js';
import { escalationToolsOf } from '../../eval/coverage.js';
import { terminalLine } from '../../eval/terminal-text.js';
import type { EvalCommandOptions, EvalDeps } from './eval-run.js';
import { checkOutputPaths, checkTopology, loadRuntimeAndProvider, modelCalls, modelOverrides, prepareCassette, printDiagnostics, providerPath, stallWatch } from './eval-setup.js';
import { writeAtomically } from '../../emit/write-output.js';

export async function scenarioCommand(topologyPath: string, options: EvalCommandOptions, io: CliIo, deps: EvalDeps = {}): Promise<number> {
  const file = options.scenarios!;
  checkOutputPaths(
    io,
    [
      { flag: 'topology', path: topologyPath },
      { flag: '--scenarios', path: file },
      { flag: '--replay', path: options.replay },
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
  const absolute = resolve(io.cwd, file);
  if (!existsSync(absolute)) throw new UsageError(`--scenarios: no such file: ${file}`);
  const text = readFileSync(absolute, 'utf8');
  const shown = display(io.cwd, absolute);
  const context: ScenarioContext = {
    topologyName: topology.name,
    entry: topology.entry.value,
    agents: topology.agents.map((a) => a.id),
    edges: topology.edges.filter((e) => e.kind === 'handoff').map((e) => ({ from: e.from.value, to: e.to.value, handback: e.handback })),
    toolsByAgent: Object.fromEntries(topology.agents.map((a) => [a.id, a.tools.map((t) => t.value)])),
    escalationTools: escalationToolsOf(topology),
  };
  const parsed = parseScenarios(text, shown, context);
  if (parsed.diagnostics.length > 0) printDiagnostics(io, parsed.diagnostics, new Map([[shown, text]]), options.color);
  if (!parsed.scenarios) {
    io.stderr('switchboard: fix the scenarios before running them.\n');
    return EXIT.findings;
  }
  const { replay } = prepareCassette(options, io);
  const { runtime, provider } = await loadRuntimeAndProvider(checked, options, io);
  const clock = deps.clock ?? realClock;
  const calls = modelCalls(options, io, runtime, { replay, provider }, { clock });
  const stall = stallWatch();
  let results;
  // The topology's MCP servers stay open for the whole evaluation and are closed after it.
  let mcp: McpConnection | undefined;
  try {
    mcp = await runtime.openMcpServers?.();
  } catch (error) {
    io.stderr(`switchboard: ${terminalLine(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.findings;
  }
  try {
    results = await runScenarios({
      topology: runtime,
      scenarios: parsed.scenarios.scenarios,
      call: calls.call,
      ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}),
      timeoutMs: (options.timeout ?? 120) * 1000,
      clock,
      ...(deps.interrupt ? { interrupt: deps.interrupt } : {}),
    });
  } finally {
    await mcp?.close();
    stall.dispose();
  }
  const report = buildScenarioReport(results, {
    topology: topology.name,
    file: shown,
    total: parsed.scenarios.scenarios.length,
    prices: DEFAULT_PRICES,
    interrupted: deps.interrupt?.aborted ?? false,
    recording: calls.recording,
    escalation: { scenarios: parsed.scenarios.scenarios, topology: { agents: context.agents, escalationTools: context.escalationTools ?? {} } },
  });
  const write = (path: string | undefined, contents: string) => {
    if (!path) return;
    if (path === '-') io.stdout(contents);
    else writeAtomically(resolve(io.cwd, path), contents);
  };
  write(options.reportJson, `${JSON.stringify(report, null, 2)}\n`);
  write(options.junit, formatScenarioJunit(report));
  write(options.markdown, formatScenarioMarkdown(report));
  const saved = calls.save();
  const toStdout = options.reportJson === '-' || options.junit === '-' || options.markdown === '-';
  (toStdout ? io.stderr : io.stdout)(formatScenarioTerminal(report));
  if (saved !== undefined) io.stderr(`switchboard: recorded ${saved} request(s) to ${options.record}.\n`);
  return report.passed ? EXIT.ok : EXIT.findings;
}
