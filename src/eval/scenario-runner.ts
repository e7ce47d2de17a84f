/**
 * Runs scenarios (scenarios.ts) through the compiled topology, turn by turn: each caller turn is run
 * from the agent that holds the caller, the conversation carried over in the SDK's history. Tool
 * calls are read from the models' raw output (so a forbidden call counts even when it needs an
 * approval that never comes: approvals are rejected, and the turn goes on). Failures are recorded,
 * never thrown.
 */
import type { AgentInputItem } from '@openai/agents';
import { captureProvider, newTrace, type CallRecord } from './capture.js';
import type { ModelRequest, OutputItem } from './types.js';
import { describeError, withTimeout, type AbandonedWork } from './runner.js';
import { evaluateScenario, type Scenario, type ScenarioCheck, type ScenarioTrace, type SimulatedCaller, type ToolCallRecord } from './scenarios.js';
import { realClock, type AnyAgent, type EvalClock, type ModelCall, type RuntimeTopology } from './types.js';

export interface ScenarioStep {
  /** 1-based caller turn. */
  readonly turn: number;
  readonly caller: string;
  /** Agents handed to during this turn, in order. */
  readonly handoffs: readonly string[];
  readonly tools: readonly { readonly name: string; readonly agent: string; readonly args: unknown }[];
  /** Tool calls that needed an approval (rejected by the eval). */
  readonly rejected: readonly string[];
  readonly reply: string | null;
  /** Who holds the caller at the end of the turn. */
  readonly agent: string;
}

export interface ScenarioResult {
  readonly id: string;
  readonly passed: boolean;
  readonly path: readonly string[];
  readonly steps: readonly ScenarioStep[];
  readonly checks: readonly ScenarioCheck[];
  readonly calls: readonly CallRecord[];
}

export interface RunScenariosOptions {
  readonly topology: RuntimeTopology;
  readonly scenarios: readonly Scenario[];
  readonly call: ModelCall;
  /** SDK maxTurns per caller turn. */
  readonly maxTurns?: number;
  readonly timeoutMs?: number;
  readonly clock?: EvalClock;
  readonly interrupt?: AbortSignal;
  readonly abandoned?: AbandonedWork;
}

/** What the simulated caller is told. The transcript is given from its side: the agent speaks as `user`. */
export function callerRequest(caller: SimulatedCaller, transcript: readonly { role: 'caller' | 'agent'; text: string }[]): ModelRequest {
  return {
    systemInstructions: [
      'You are playing a caller on a phone support line, to test the line. Stay in character.',
      `Persona: ${caller.persona}`,
      `Goal: ${caller.goal}`,
      'Say one short spoken sentence per turn. When your goal is reached, or it clearly cannot be, reply with exactly [done].',
    ].join('\n'),
    input: transcript.map((t) =>
      t.role === 'agent'
        ? ({ type: 'message', role: 'user', content: t.text } as AgentInputItem)
        : ({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: t.text }] } as AgentInputItem),
    ),
    modelSettings: {},
    tools: [],
    handoffs: [],
    outputType: 'text',
    tracing: false,
  } as unknown as ModelRequest;
}

function outputText(output: readonly OutputItem[]): string {
  return output
    .flatMap((item) => {
      const content = (item as { content?: unknown }).content;
      return Array.isArray(content) ? content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')) : [];
    })
    .join(' ')
    .trim();
}

export const CALLER_DONE = '[done]';

export async function runScenarios(options: RunScenariosOptions): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios) {
    if (options.interrupt?.aborted) break;
    results.push(await runScenario(scenario, options));
  }
  return results;
}

async function runScenario(scenario: Scenario, options: RunScenariosOptions): Promise<ScenarioResult> {
  const { topology } = options;
  const clock = options.clock ?? realClock;
  const idOf = new Map<AnyAgent, string>(Object.entries(topology.agents).map(([id, agent]) => [agent, id]));
  const entry = topology.agents[topology.entryId]!;
  const trace = newTrace();
  const controller = new AbortController();
  const onInterrupt = () => controller.abort(new Error('interrupted'));
  options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const path: string[] = [topology.entryId];
  const toolCalls: ToolCallRecord[] = [];
  const steps: ScenarioStep[] = [];
  const transcript: { role: 'caller' | 'agent'; text: string }[] = [];
  let speaking = topology.entryId;
  let turn = 0;
  let stepTools: ScenarioStep['tools'][number][] = [];
  const provider = captureProvider({
    call: options.call,
    sdk: topology.sdk,
    context: { repeat: 0, signal: controller.signal },
    trace,
    stopAfterRouting: false,
    onResponse: (request, response) => {
      const handoffs = new Set(request.handoffs.map((h) => h.toolName));
      for (const item of response.output) {
        const call = item as { type?: string; name?: string; arguments?: unknown };
        if (call.type !== 'function_call' || typeof call.name !== 'string' || handoffs.has(call.name)) continue;
        let args: unknown = call.arguments;
        if (typeof args === 'string') {
          try {
            args = JSON.parse(args);
          } catch {
            // Kept as the raw string: a matcher on it then fails, which is the truth.
          }
        }
        toolCalls.push({ name: call.name, agent: speaking, args, turn });
        stepTools.push({ name: call.name, agent: speaking, args });
      }
    },
  });
  const runner = new topology.sdk.Runner({ modelProvider: provider, tracingDisabled: true });
  let stepHandoffs: string[] = [];
  runner.on('agent_start', (_context, agent) => void (speaking = idOf.get(agent as AnyAgent) ?? agent.name));
  runner.on('agent_handoff', (_context, _from, to) => {
    const id = idOf.get(to as AnyAgent) ?? to.name;
    path.push(id);
    stepHandoffs.push(id);
    speaking = id;
  });

  let history: AgentInputItem[] = [];
  let current: AnyAgent = entry;
  let error: string | undefined;
  let ranOutOfTurns = false;
  try {
    for (;;) {
      let said: string | undefined;
      const caller = scenario.caller;
      if (isScripted(caller)) said = caller[turn];
      else {
        if (turn >= scenario.maxTurns) {
          // One more look: is the caller done? Only then is running out of turns a failure.
          const next = outputText((await options.call(caller.model, callerRequest(caller, transcript), { repeat: 0, signal: controller.signal })).output);
          ranOutOfTurns = next !== CALLER_DONE && next !== '';
          break;
        }
        const response = await options.call(caller.model, callerRequest(caller, transcript), { repeat: 0, signal: controller.signal });
        trace.calls.push({ model: caller.model, usage: response.usage, latencyMs: response.latencyMs });
        said = outputText(response.output);
        if (said === CALLER_DONE || said === '') said = undefined;
      }
      if (said === undefined) break;
      if (turn >= scenario.maxTurns) {
        ranOutOfTurns = true;
        break;
      }
      turn++;
      stepHandoffs = [];
      stepTools = [];
      const rejected: string[] = [];
      transcript.push({ role: 'caller', text: said });
      history = [...history, { type: 'message', role: 'user', content: said } as AgentInputItem];
      let result = await withTimeout(runner.run(current, history, { signal: controller.signal, ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}) }), options.timeoutMs, clock, controller, options.abandoned);
      // Approvals are never granted: reject each one and let the agent go on.
      for (let guard = 0; (result.interruptions?.length ?? 0) > 0 && guard < 10; guard++) {
        for (const item of result.interruptions ?? []) {
          rejected.push(String((item as { name?: unknown }).name ?? (item.rawItem as { name?: unknown })?.name ?? 'tool'));
          result.state.reject(item);
        }
        result = await withTimeout(runner.run(result.lastAgent ?? current, result.state, { signal: controller.signal, ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}) }), options.timeoutMs, clock, controller, options.abandoned);
      }
      history = result.history as AgentInputItem[];
      current = (result.lastAgent as AnyAgent | undefined) ?? current;
      const reply = typeof result.finalOutput === 'string' ? result.finalOutput : result.finalOutput === undefined ? null : JSON.stringify(result.finalOutput);
      if (reply !== null) transcript.push({ role: 'agent', text: reply });
      steps.push({ turn, caller: said, handoffs: stepHandoffs, tools: stepTools, rejected, reply, agent: idOf.get(current) ?? current.name });
    }
  } catch (e) {
    error = describeError(e).message;
  } finally {
    options.interrupt?.removeEventListener('abort', onInterrupt);
  }
  const scenarioTrace: ScenarioTrace = {
    path,
    toolCalls,
    handedBack: path.slice(1).includes(topology.entryId),
    turns: turn,
    ranOutOfTurns,
    ...(error !== undefined ? { error } : {}),
  };
  const checks = evaluateScenario(scenario, scenarioTrace);
  return { id: scenario.id, passed: checks.every((c) => c.passed), path, steps, checks, calls: trace.calls };
}

function isScripted(caller: Scenario['caller']): caller is readonly string[] {
  return Array.isArray(caller);
}
