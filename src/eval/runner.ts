import { setMaxListeners } from 'node:events';
/**
 * Runs a dataset through a compiled topology's entry agent and records, per case and repetition, the
 * route taken, the handoff reason, usage and latency. Failures are recorded, never thrown; an
 * interrupt stops scheduling, aborts what is in flight and returns what finished.
 */
import type { AgentInputItem } from '@openai/agents';
import type { Dataset, EvalCase, Message } from './dataset.js';
import { captureProvider, handoffReason, ModelCallError, newTrace, type CallRecord } from './capture.js';
import { CassetteMissError } from './cassette.js';
import { judgeRequest, parseJudgement, type Judgement, type RouteInfo } from './judge.js';
import { applyModels, effectiveModels, type ModelOverrides } from './overrides.js';
import { sdkFunctionName } from '../model/queries.js';
import { realClock, STAY, type AnyAgent, type EvalClock, type ModelCall, type RuntimeTopology } from './types.js';

export interface EvalSetting {
  /** Shown in reports: `default`, or the overrides as `agent=model` pairs. */
  readonly label: string;
  readonly overrides: ModelOverrides;
}

export interface RunEvalOptions {
  readonly topology: RuntimeTopology;
  readonly dataset: Dataset;
  /** One setting, or two with `--compare`; run one after the other. */
  readonly settings: readonly EvalSetting[];
  /** Where model responses come from (live provider, retries, cassette). */
  readonly call: ModelCall;
  /** Run the whole turn instead of stopping right after the routing decision. */
  readonly full?: boolean;
  readonly repeat?: number;
  readonly concurrency?: number;
  /** SDK maxTurns per attempt (default 10). */
  readonly maxTurns?: number;
  /** Per-attempt timeout; none when undefined or 0. */
  readonly timeoutMs?: number;
  /** Judge model for handoff reasons; no judging when undefined. */
  readonly judge?: string;
  readonly clock?: EvalClock;
  /** Abort to stop the run (Ctrl-C): finished attempts are kept, the rest are `not-run`. */
  readonly interrupt?: AbortSignal;
  /**
   * A `stall` event here means nothing can settle the attempts in flight any more (the CLI sends it
   * when Node's event loop runs empty: a provider promise that nothing will ever resolve). Each
   * attempt in flight then fails with an error of kind `stalled`; the run goes on.
   */
  readonly stall?: EventTarget;
  /** Counts work given up on (timeout, stall, interrupt) that has not settled yet: a provider ignoring the abort signal. */
  readonly abandoned?: AbandonedWork;
  readonly onProgress?: (progress: Progress) => void;
}

export interface AbandonedWork {
  count: number;
}

export interface Progress {
  readonly setting: string;
  readonly done: number;
  readonly total: number;
  readonly errors: number;
}

export type ErrorKind = 'timeout' | 'stalled' | 'cassette-miss' | 'max-turns' | 'model' | 'run';

export interface AttemptError {
  readonly kind: ErrorKind;
  readonly message: string;
}

export type JudgeOutcome = Judgement | { readonly error: string };

export interface AttemptResult {
  readonly caseId: string;
  /** 0-based repetition. */
  readonly repeat: number;
  readonly status: 'ok' | 'error' | 'not-run';
  /** The route taken (an agent id) or `stay`; set when status is ok. */
  readonly actual?: string;
  /** The handoff reason the entry gave. */
  readonly reason?: string;
  /** What the entry said when it kept the caller (its final output). */
  readonly reply?: string;
  /** `--full`: every agent handed to during the turn, in order. */
  readonly handoffs?: readonly string[];
  /** `--full`: whether the caller was handed back to the entry during the turn. */
  readonly handedBack?: boolean;
  readonly error?: AttemptError;
  /** Real model calls (canned specialist replies are not counted). */
  readonly calls: readonly CallRecord[];
  readonly judge?: JudgeOutcome;
  readonly judgeCalls?: readonly CallRecord[];
}

export interface SettingResult {
  readonly label: string;
  readonly overrides: ModelOverrides;
  /** The model each agent ran on, by id. */
  readonly models: Readonly<Record<string, string>>;
  /** In dataset order, repetitions together. */
  readonly attempts: readonly AttemptResult[];
}

export interface EvalOutcome {
  readonly settings: readonly SettingResult[];
  readonly interrupted: boolean;
}

class AttemptTimeout extends Error {
  override readonly name = 'AttemptTimeout';
}

export class AttemptStalled extends Error {
  override readonly name = 'AttemptStalled';
}

/** Why a stalled attempt failed. */
export const STALLED_MESSAGE = 'the model call can never finish: the provider returned a promise that nothing is left to settle';

class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

/** The SDK input for a case: a string, or message items for a conversation. */
export function caseInput(input: string | readonly Message[]): string | AgentInputItem[] {
  if (typeof input === 'string') return input;
  return input.map((m) =>
    m.role === 'user'
      ? ({ type: 'message', role: 'user', content: m.content } as AgentInputItem)
      : ({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: m.content }] } as AgentInputItem),
  );
}

/** Handoff tool name → target agent id, for the entry's handoffs. */
export function routeTable(topology: RuntimeTopology): Map<string, string> {
  const idOf = new Map<AnyAgent, string>(Object.entries(topology.agents).map(([id, agent]) => [agent, id]));
  const table = new Map<string, string>();
  const entry = topology.agents[topology.entryId];
  for (const h of entry?.handoffs ?? []) {
    const handoff = h as { toolName?: unknown; agent?: AnyAgent; name?: string };
    if (typeof handoff.toolName === 'string' && handoff.agent) table.set(handoff.toolName, idOf.get(handoff.agent) ?? handoff.agent.name);
    else if (typeof handoff.name === 'string') table.set(`transfer_to_${sdkFunctionName(handoff.name)}`, idOf.get(h as AnyAgent) ?? handoff.name);
  }
  return table;
}

export function routeInfos(topology: RuntimeTopology): RouteInfo[] {
  return [...new Set(routeTable(topology).values())].map((id) => routeInfo(topology, id));
}

function routeInfo(topology: RuntimeTopology, id: string): RouteInfo {
  const agent = topology.agents[id];
  return { id, name: agent?.name ?? id, ...(agent?.handoffDescription ? { description: agent.handoffDescription } : {}) };
}

export async function runEval(options: RunEvalOptions): Promise<EvalOutcome> {
  const repeat = Math.max(1, options.repeat ?? 1);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const clock = options.clock ?? realClock;
  const routes = routeTable(options.topology);
  const infos = routeInfos(options.topology);
  const entry = options.topology.agents[options.topology.entryId];
  if (!entry) throw new Error(`internal: entry agent ${options.topology.entryId} is not among the agents`);
  const idOf = new Map<AnyAgent, string>(Object.entries(options.topology.agents).map(([id, agent]) => [agent, id]));
  const interrupted = () => options.interrupt?.aborted ?? false;
  // Every case in flight listens for Ctrl-C; more than Node's default of 10 is expected, not a leak.
  if (options.interrupt) setMaxListeners(0, options.interrupt);

  const runAttempt = async (evalCase: EvalCase, r: number): Promise<AttemptResult> => {
    const base = { caseId: evalCase.id, repeat: r };
    if (interrupted()) return { ...base, status: 'not-run', calls: [] };
    const controller = new AbortController();
    const onInterrupt = () => controller.abort(new Interrupted('interrupted'));
    const onStall = () => controller.abort(new AttemptStalled(STALLED_MESSAGE));
    options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
    options.stall?.addEventListener('stall', onStall);
    const trace = newTrace();
    const handoffs: string[] = [];
    try {
      const provider = captureProvider({
        call: options.call,
        sdk: options.topology.sdk,
        context: { repeat: r, signal: controller.signal },
        trace,
        stopAfterRouting: !options.full,
      });
      const runner = new options.topology.sdk.Runner({ modelProvider: provider, tracingDisabled: true });
      runner.on('agent_handoff', (_context, _from, to) => handoffs.push(idOf.get(to) ?? to.name));
      const run = runner.run(entry, caseInput(evalCase.input), {
        signal: controller.signal,
        ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}),
      });
      const result = await withTimeout(run, options.timeoutMs, clock, controller, options.abandoned);
      let outcome: AttemptResult;
      if (trace.decision) {
        const reason = handoffReason(trace.decision.arguments);
        outcome = {
          ...base,
          status: 'ok',
          actual: routes.get(trace.decision.toolName) ?? trace.decision.toolName,
          ...(reason !== undefined ? { reason } : {}),
          ...(options.full ? { handoffs, handedBack: handoffs.slice(1).includes(options.topology.entryId) } : {}),
          calls: trace.calls,
        };
      } else {
        const reply = typeof result.finalOutput === 'string' ? result.finalOutput : result.finalOutput === undefined ? undefined : JSON.stringify(result.finalOutput);
        outcome = { ...base, status: 'ok', actual: STAY, ...(reply !== undefined ? { reply } : {}), ...(options.full ? { handoffs, handedBack: false } : {}), calls: trace.calls };
      }
      if (options.judge && outcome.actual !== STAY && routes.size > 0 && outcome.actual !== undefined) {
        const judged = await judgeAttempt(evalCase, outcome, r, controller);
        outcome = { ...outcome, ...judged };
      }
      return outcome;
    } catch (error) {
      if (interrupted()) return { ...base, status: 'not-run', calls: trace.calls };
      return { ...base, status: 'error', error: describeError(error), calls: trace.calls };
    } finally {
      options.interrupt?.removeEventListener('abort', onInterrupt);
      options.stall?.removeEventListener('stall', onStall);
    }
  };

  const judgeAttempt = async (evalCase: EvalCase, outcome: AttemptResult, r: number, controller: AbortController): Promise<Pick<AttemptResult, 'judge' | 'judgeCalls'>> => {
    const model = options.judge!;
    const request = judgeRequest({
      input: evalCase.input,
      route: infos.find((i) => i.id === outcome.actual) ?? { id: outcome.actual!, name: outcome.actual! },
      routes: infos,
      reason: outcome.reason ?? '',
    });
    try {
      const response = await withTimeout(options.call(model, request, { repeat: r, signal: controller.signal }), options.timeoutMs, clock, controller, options.abandoned);
      const calls = [{ model, usage: response.usage, latencyMs: response.latencyMs }];
      try {
        return { judge: parseJudgement(response.output), judgeCalls: calls };
      } catch (error) {
        return { judge: { error: (error as Error).message }, judgeCalls: calls };
      }
    } catch (error) {
      if (interrupted()) throw error;
      return { judge: { error: describeError(error).message } };
    }
  };

  const settings: SettingResult[] = [];
  for (const setting of options.settings) {
    const restore = applyModels(options.topology.agents, setting.overrides);
    try {
      const models = effectiveModels(options.topology.agents);
      const tasks = options.dataset.cases.flatMap((c) => Array.from({ length: repeat }, (_, r) => [c, r] as const));
      const results: AttemptResult[] = tasks.map(([c, r]) => ({ caseId: c.id, repeat: r, status: 'not-run', calls: [] }));
      let done = 0;
      let errors = 0;
      options.onProgress?.({ setting: setting.label, done, total: tasks.length, errors });
      await pool(tasks.length, concurrency, interrupted, async (i) => {
        const [c, r] = tasks[i]!;
        const result = await runAttempt(c, r);
        results[i] = result;
        if (result.status === 'not-run') return;
        done++;
        if (result.status === 'error') errors++;
        options.onProgress?.({ setting: setting.label, done, total: tasks.length, errors });
      });
      settings.push({ label: setting.label, overrides: setting.overrides, models, attempts: results });
    } finally {
      restore();
    }
  }
  return { settings, interrupted: interrupted() };
}

/** Run `count` tasks, at most `concurrency` at a time, until done or `stop()`. */
async function pool(count: number, concurrency: number, stop: () => boolean, worker: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count && !stop()) await worker(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/**
 * Settle with `work`, unless the attempt is aborted first (interrupt, timeout): then reject with the
 * abort reason, even if the model behind `work` ignores the signal. A timeout on `clock` aborts the
 * attempt with AttemptTimeout.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number | undefined, clock: EvalClock, controller: AbortController, abandoned?: AbandonedWork): Promise<T> {
  const settled = new AbortController();
  let workSettled = false;
  // Once aborted, the run's own rejection is expected and ignored.
  work.then(
    () => (workSettled = true),
    () => (workSettled = true),
  );
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(controller.signal.reason instanceof Error ? controller.signal.reason : new Interrupted('aborted'));
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
    settled.signal.addEventListener('abort', () => controller.signal.removeEventListener('abort', onAbort), { once: true });
  });
  aborted.catch(() => {});
  if (ms && ms > 0) {
    void clock.sleep(ms, settled.signal, { deadline: true }).then(() => {
      if (!settled.signal.aborted) controller.abort(new AttemptTimeout(`timed out after ${formatMs(ms)}`));
    });
  }
  try {
    return await Promise.race([work, aborted]);
  } finally {
    settled.abort();
    if (!workSettled && abandoned) {
      abandoned.count++;
      work.then(
        () => abandoned.count--,
        () => abandoned.count--,
      );
    }
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A one-line description and kind for a failed attempt. Looks through `cause` chains. */
export function describeError(error: unknown): AttemptError {
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  const find = (test: (e: unknown) => boolean) => chain.find(test) as Error | undefined;
  const timeout = find((e) => e instanceof AttemptTimeout);
  if (timeout) return { kind: 'timeout', message: timeout.message };
  const stalled = find((e) => e instanceof AttemptStalled);
  if (stalled) return { kind: 'stalled', message: stalled.message };
  const miss = find((e) => e instanceof CassetteMissError);
  if (miss) return { kind: 'cassette-miss', message: miss.message };
  const maxTurns = find((e) => (e as Error)?.name === 'MaxTurnsExceededError' || (e as Error)?.constructor?.name === 'MaxTurnsExceededError');
  if (maxTurns) return { kind: 'max-turns', message: oneLine(maxTurns.message || 'maximum turns exceeded') };
  const first = chain[0] as { message?: unknown } | undefined;
  const message = oneLine(typeof first?.message === 'string' && first.message ? first.message : String(error));
  if (find((e) => e instanceof ModelCallError)) return { kind: 'model', message };
  return { kind: 'run', message };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}
