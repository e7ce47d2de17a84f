/**
 * `switchboard run <topology> "<message>"`: one conversation turn through the compiled topology,
 * printing each handoff (with its reason) and each tool call as it happens.
 */
import { EXIT, UsageError, useColor, type CliIo } from '../io.js';
import { captureProvider, handoffReason, newTrace, findHandoffCall } from '../../eval/capture.js';
import { applyModels } from '../../eval/overrides.js';
import { costOf, DEFAULT_PRICES, priceFor } from '../../eval/prices.js';
import { AttemptStalled, describeError, STALLED_MESSAGE, withTimeout, type AbandonedWork } from '../../eval/runner.js';
import { checkOutputPaths, checkTopology, loadRuntimeAndProvider, modelCalls, modelOverrides, prepareCassette, providerPath, stallWatch } from './eval-setup.js';
import { realClock, type AnyAgent, type EvalClock, type McpConnection } from '../../eval/types.js';
import { terminalLine, terminalText } from '../../eval/terminal-text.js';
import { addUsage, ZERO_USAGE } from '../../eval/usage.js';

export interface RunCommandOptions {
  readonly model?: readonly string[];
  readonly maxTurns?: number;
  readonly provider?: string;
  readonly record?: string;
  readonly replay?: string;
  readonly retries?: number;
  /** Time limit for the turn in seconds (0: none). */
  readonly timeout?: number;
  readonly root?: string;
  readonly color?: boolean;
}

export interface RunDeps {
  readonly clock?: EvalClock;
  /** Called when a model call that ignored the abort signal is still running at the end (see EvalDeps). */
  readonly onAbandoned?: (count: number) => void;
}

export const RUN_TIMEOUT_SECONDS = 120;

const ansi = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export async function runCommand(topologyPath: string, message: string, options: RunCommandOptions, io: CliIo, deps: RunDeps = {}): Promise<number> {
  if (message.trim() === '') throw new UsageError('the message is empty: say what the caller says, e.g. switchboard run support-desk.yaml "I was charged twice"');
  checkOutputPaths(
    io,
    [
      { flag: 'topology', path: topologyPath },
      { flag: '--replay', path: options.replay },
      { flag: '--provider', path: providerPath(options.provider) },
    ],
    [{ flag: '--record', path: options.record }],
  );
  const checked = checkTopology(topologyPath, io, { ...(options.root ? { root: options.root } : {}), ...(options.color !== undefined ? { color: options.color } : {}) });
  if (typeof checked === 'number') return checked;
  const agentIds = checked.topology!.agents.map((a) => a.id);
  const overrides = modelOverrides(options.model, agentIds);
  const { replay } = prepareCassette(options, io);
  const { runtime: topology, provider: userProvider } = await loadRuntimeAndProvider(checked, options, io);
  const calls = modelCalls(options, io, topology, { replay, provider: userProvider }, { clock: deps.clock ?? realClock });
  const color = useColor(io, options.color);
  const bold = color ? ansi(1, 22) : (s: string) => s;
  const dim = color ? ansi(2, 22) : (s: string) => s;
  const idOf = new Map<AnyAgent, string>(Object.entries(topology.agents).map(([id, agent]) => [agent, id]));
  const label = (agent: AnyAgent) => `${terminalLine(agent.name)}${idOf.get(agent) && idOf.get(agent) !== agent.name ? dim(` (${terminalLine(idOf.get(agent)!)})`) : ''}`;

  const trace = newTrace();
  const controller = new AbortController();
  let pendingReason: string | undefined;
  const provider = captureProvider({
    call: calls.call,
    sdk: topology.sdk,
    context: { repeat: 0, signal: controller.signal },
    trace,
    stopAfterRouting: false,
    onResponse: (request, response) => {
      const decision = findHandoffCall(request, response.output);
      pendingReason = decision ? handoffReason(decision.arguments) : undefined;
    },
  });
  const runner = new topology.sdk.Runner({ modelProvider: provider, tracingDisabled: true });
  const entry = topology.agents[topology.entryId]!;
  io.stdout(`${bold('caller')}: ${terminalText(message)}\n`);
  runner.on('agent_handoff', (_context, from, to) => {
    io.stdout(`→ ${bold('handoff')} ${label(from)} → ${label(to)}${pendingReason ? `: ${terminalLine(pendingReason)}` : ''}\n`);
    pendingReason = undefined;
  });
  runner.on('agent_tool_start', (_context, agent, tool, details) => {
    const args = (details.toolCall as { arguments?: unknown }).arguments;
    io.stdout(`⚙ ${bold(terminalLine(tool.name))} ${dim(`by ${terminalLine(agent.name)}`)} ${typeof args === 'string' ? terminalLine(clip(args, 300)) : ''}\n`);
  });
  runner.on('agent_tool_end', (_context, _agent, _tool, result) => {
    io.stdout(`  ${dim('↳')} ${terminalLine(clip(String(result), 300))}\n`);
  });

  const restore = applyModels(topology.agents, overrides);
  const stall = stallWatch();
  stall.target.addEventListener('stall', () => controller.abort(new AttemptStalled(STALLED_MESSAGE)));
  const abandoned: AbandonedWork = { count: 0 };
  let code: number = EXIT.ok;
  let mcp: McpConnection | undefined;
  try {
    // The topology's MCP servers are connected for this turn and closed after it, whatever happens.
    mcp = await topology.openMcpServers?.();
    const run = runner.run(entry, message, { signal: controller.signal, ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}) });
    const result = await withTimeout(run, (options.timeout ?? RUN_TIMEOUT_SECONDS) * 1000, deps.clock ?? realClock, controller, abandoned);
    for (const item of result.interruptions ?? []) {
      io.stdout(`⏸ ${bold(terminalLine(String((item as { name?: unknown }).name ?? 'tool call')))} needs approval; \`switchboard run\` does not approve tool calls, so the turn stops here.\n`);
    }
    const speaker = result.lastAgent ? label(result.lastAgent as AnyAgent) : 'agent';
    if (result.finalOutput !== undefined) {
      io.stdout(`${bold(speaker)}: ${terminalText(typeof result.finalOutput === 'string' ? result.finalOutput : JSON.stringify(result.finalOutput))}\n`);
    }
  } catch (error) {
    const { message: reason } = describeError(error);
    io.stderr(`switchboard: the run failed: ${terminalLine(reason)}\n`);
    code = EXIT.findings;
  } finally {
    await mcp?.close();
    stall.dispose();
    restore();
  }
  const usage = trace.calls.reduce((sum, c) => addUsage(sum, c.usage), ZERO_USAGE);
  let cost = 0;
  let priced = true;
  for (const c of trace.calls) {
    const price = priceFor(DEFAULT_PRICES, c.model);
    if (price) cost += costOf(c.usage, price);
    else priced = false;
  }
  io.stderr(
    dim(
      `${trace.calls.length} model call${trace.calls.length === 1 ? '' : 's'}, ${usage.inputTokens} input + ${usage.outputTokens} output tokens` +
        `${priced && trace.calls.length > 0 ? `, about $${cost.toFixed(4)}` : ''}\n`,
    ),
  );
  const saved = calls.save();
  if (saved !== undefined) io.stderr(`switchboard: recorded ${saved} request(s) to ${terminalLine(options.record!)}.\n`);
  if (abandoned.count > 0) {
    io.stderr(`switchboard: ${abandoned.count} model call(s) ignored the abort signal and are still running; not waiting for them.\n`);
    deps.onAbandoned?.(abandoned.count);
  }
  return code;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
