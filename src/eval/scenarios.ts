/**
 * Multi-turn scenarios (docs/eval.md#scenarios): a scripted caller (a list of turns) or a simulated
 * caller (a persona and goal played by a model), with expectations on the path of agents, on tool
 * calls (name and argument matchers), on forbidden calls, on hand-back and on the number of turns.
 *
 * Parsing and checking are pure: every problem is a located Diagnostic, and a path the graph cannot
 * take is one of them, before anything runs. Matching a run against the expectations is pure too.
 */
import type { Diagnostic, DiagnosticDraft, SourceRange } from '../diagnostics/types.js';
import { sortDiagnostics } from '../diagnostics/types.js';
import { didYouMean, listNames } from '../diagnostics/suggest.js';
import { loadYaml } from '../source/load-yaml.js';
import { locate } from '../source/locate.js';
import { childPointer } from '../source/pointer.js';

export const MATCH_MODES = ['exact', 'in-order', 'unordered', 'subset', 'superset'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/** An argument matcher: a literal (deep equality), `{ regex }`, or numeric bounds. */
export type ArgMatcher = unknown;

export interface ToolExpectation {
  readonly name: string;
  /** Only calls made by this agent count. */
  readonly by?: string;
  /** Key → matcher; keys not listed are not checked. */
  readonly args?: Readonly<Record<string, ArgMatcher>>;
}

export interface SimulatedCaller {
  readonly persona: string;
  readonly goal: string;
  /** The model that plays the caller (through the same provider, retries and cassette). */
  readonly model: string;
}

export interface Scenario {
  readonly id: string;
  readonly description?: string;
  /** Scripted: the caller's turns. Simulated: a persona and goal. */
  readonly caller: readonly string[] | SimulatedCaller;
  /** The most caller turns the conversation may take (default: the script's length, or 8). */
  readonly maxTurns: number;
  readonly expect: {
    readonly path?: readonly string[];
    readonly pathMatch: MatchMode;
    readonly tools: readonly ToolExpectation[];
    readonly forbidden: readonly ToolExpectation[];
    readonly handback?: boolean;
    /** Whether (and by whom) the caller should be escalated to a human; see `EscalationExpectation`. */
    readonly escalate?: EscalationExpectation;
  };
  readonly tags: readonly string[];
  readonly line: number;
}

/**
 * An expectation about escalation to the human: written as `expect.escalate` (`true`, `false`, or the
 * agent that should escalate), or implied by a human-escalation tool in `expect.tools` (escalation
 * expected) or, without `args`, in `expect.forbidden` (none expected).
 */
export interface EscalationExpectation {
  readonly expected: boolean;
  /** The agent that should escalate (expected) — any agent when absent. */
  readonly by?: string;
  /** The human-escalation tools that count (of `by`, or of every agent). */
  readonly tools: readonly string[];
  /** Where it came from: only an explicit `escalate` adds a check of its own. */
  readonly source: 'escalate' | 'tools' | 'forbidden';
}

export interface ScenarioFile {
  readonly file: string;
  readonly scenarios: readonly Scenario[];
}

/** What scenarios are checked against. */
export interface ScenarioContext {
  readonly topologyName: string;
  readonly entry: string;
  readonly agents: readonly string[];
  /** Handoff edges (`delegate` edges are tools, not moves of the caller). */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly handback: boolean }[];
  /** Tool ids by the agent that holds them. */
  readonly toolsByAgent: Readonly<Record<string, readonly string[]>>;
  /** Human-escalation tool ids by the agent that holds them (agents without one left out). */
  readonly escalationTools?: Readonly<Record<string, readonly string[]>>;
}

export interface ScenarioParseResult {
  readonly scenarios?: ScenarioFile;
  readonly diagnostics: readonly Diagnostic[];
  readonly text: string;
}

const TOP_KEYS = ['version', 'topology', 'description', 'scenarios'];
const SCENARIO_KEYS = ['id', 'description', 'caller', 'maxTurns', 'expect', 'tags'];
const CALLER_KEYS = ['persona', 'goal', 'model'];
const EXPECT_KEYS = ['path', 'pathMatch', 'tools', 'forbidden', 'handback', 'escalate'];
const TOOL_KEYS = ['name', 'by', 'args'];
export const DEFAULT_SIMULATED_TURNS = 8;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parse and check a scenario file against the topology. Pure. */
export function parseScenarios(text: string, file: string, context: ScenarioContext): ScenarioParseResult {
  const out: Diagnostic[] = [];
  const loaded = loadYaml(text, file);
  const at = (pointer: string, onKey = false): SourceRange | undefined => (loaded.source ? locate(loaded.source, pointer, { onKey }) : undefined);
  const report = (draft: DiagnosticDraft) => {
    const { onKey, range, ...rest } = draft;
    const where = range ?? at(draft.pointer, onKey ?? false);
    out.push({ ...rest, severity: draft.severity ?? 'error', file, ...(where ? { range: where } : {}) });
  };
  for (const d of loaded.diagnostics) report(d);
  const scenarios: Scenario[] = [];
  const data = loaded.data;
  if (loaded.data !== undefined) {
    if (!isRecord(data)) report({ ruleId: 'scenario/type', message: 'a scenario file is a mapping with `version` and `scenarios`', pointer: '' });
    else {
      unknownKeys(data, TOP_KEYS, '', 'the scenario file', report);
      if (data.version !== 1) report({ ruleId: 'scenario/version', message: data.version === undefined ? 'missing `version: 1`' : `unsupported scenario file version \`${String(data.version)}\`; this switchboard reads version 1`, pointer: data.version === undefined ? '' : '/version', onKey: data.version === undefined });
      if (data.topology !== undefined && data.topology !== context.topologyName) {
        report({ ruleId: 'scenario/topology-mismatch', message: `these scenarios are for topology \`${String(data.topology)}\`, but the topology being evaluated is \`${context.topologyName}\``, pointer: '/topology' });
      }
      if (!Array.isArray(data.scenarios) || data.scenarios.length === 0) report({ ruleId: 'scenario/no-scenarios', message: '`scenarios` must be a non-empty list', pointer: data.scenarios === undefined ? '' : '/scenarios', onKey: data.scenarios === undefined });
      else {
        const seen = new Map<string, string>();
        data.scenarios.forEach((value, index) => {
          const pointer = `/scenarios/${index}`;
          const scenario = checkScenario(value, pointer, context, report, at);
          if (isRecord(value) && typeof value.id === 'string') {
            const first = seen.get(value.id);
            if (first !== undefined) report({ ruleId: 'scenario/duplicate-id', message: `duplicate scenario id \`${value.id}\``, pointer: `${pointer}/id`, related: [{ message: 'first used here', pointer: first, ...(at(first) ? { range: at(first)! } : {}) }] });
            else seen.set(value.id, `${pointer}/id`);
          }
          if (scenario) scenarios.push(scenario);
        });
      }
    }
  }
  const diagnostics = sortDiagnostics(out);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, text };
  return { diagnostics, text, scenarios: { file, scenarios } };
}

type Report = (draft: DiagnosticDraft) => void;
type Locator = (pointer: string, onKey?: boolean) => SourceRange | undefined;

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], pointer: string, where: string, report: Report): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const suggestion = didYouMean(key, allowed);
    report({ ruleId: 'scenario/unknown-key', message: `unknown key \`${key}\` in ${where}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, pointer: childPointer(pointer, key), onKey: true, ...(suggestion ? { suggestion } : {}), hint: `allowed keys: ${listNames(allowed)}` });
  }
}

function checkScenario(value: unknown, pointer: string, context: ScenarioContext, report: Report, at: Locator): Scenario | undefined {
  const before = { errors: 0 };
  const fail: Report = (d) => {
    before.errors++;
    report(d);
  };
  if (!isRecord(value)) {
    fail({ ruleId: 'scenario/type', message: 'a scenario is a mapping with `id`, `caller` and `expect`', pointer });
    return undefined;
  }
  unknownKeys(value, SCENARIO_KEYS, pointer, 'a scenario', fail);
  if (typeof value.id !== 'string' || value.id.trim() === '') fail({ ruleId: 'scenario/missing-key', message: 'a scenario needs a non-empty string `id`', pointer: value.id === undefined ? pointer : `${pointer}/id`, onKey: value.id === undefined });

  let caller: Scenario['caller'] | undefined;
  if (Array.isArray(value.caller)) {
    if (value.caller.length === 0 || !value.caller.every((t) => typeof t === 'string' && t.trim() !== '')) fail({ ruleId: 'scenario/type', message: 'a scripted `caller` is a non-empty list of non-empty strings (the caller\'s turns)', pointer: `${pointer}/caller` });
    else caller = value.caller as string[];
  } else if (isRecord(value.caller)) {
    unknownKeys(value.caller, CALLER_KEYS, `${pointer}/caller`, 'a simulated caller', fail);
    const c = value.caller;
    for (const key of CALLER_KEYS) if (typeof c[key] !== 'string' || (c[key] as string).trim() === '') fail({ ruleId: 'scenario/missing-key', message: `a simulated caller needs a string \`${key}\``, pointer: c[key] === undefined ? `${pointer}/caller` : `${pointer}/caller/${key}`, onKey: c[key] === undefined });
    caller = { persona: String(c.persona), goal: String(c.goal), model: String(c.model) };
  } else fail({ ruleId: 'scenario/missing-key', message: 'a scenario needs a `caller`: a list of turns, or { persona, goal, model }', pointer: value.caller === undefined ? pointer : `${pointer}/caller`, onKey: value.caller === undefined });

  let maxTurns = Array.isArray(caller) ? caller.length : DEFAULT_SIMULATED_TURNS;
  if (value.maxTurns !== undefined) {
    if (typeof value.maxTurns !== 'number' || !Number.isInteger(value.maxTurns) || value.maxTurns < 1) fail({ ruleId: 'scenario/type', message: '`maxTurns` must be a whole number of at least 1', pointer: `${pointer}/maxTurns` });
    else maxTurns = value.maxTurns;
  }

  const expect = isRecord(value.expect) ? value.expect : undefined;
  if (value.expect !== undefined && !expect) fail({ ruleId: 'scenario/type', message: '`expect` must be a mapping', pointer: `${pointer}/expect` });
  const e = expect ?? {};
  const ep = `${pointer}/expect`;
  if (expect) unknownKeys(expect, EXPECT_KEYS, ep, '`expect`', fail);
  let pathMatch: MatchMode = 'exact';
  if (e.pathMatch !== undefined) {
    if (!MATCH_MODES.includes(e.pathMatch as MatchMode)) {
      const suggestion = typeof e.pathMatch === 'string' ? didYouMean(e.pathMatch, MATCH_MODES) : undefined;
      fail({ ruleId: 'scenario/type', message: `\`pathMatch\` is one of ${listNames(MATCH_MODES)}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, pointer: `${ep}/pathMatch`, ...(suggestion ? { suggestion } : {}) });
    } else pathMatch = e.pathMatch as MatchMode;
  }
  let path: string[] | undefined;
  if (e.path !== undefined) {
    if (!Array.isArray(e.path) || e.path.length === 0 || !e.path.every((p) => typeof p === 'string')) fail({ ruleId: 'scenario/type', message: '`path` is a non-empty list of agent ids', pointer: `${ep}/path` });
    else {
      path = e.path as string[];
      checkPath(path, pathMatch, `${ep}/path`, context, fail);
    }
  }
  const tools = toolList(e.tools, `${ep}/tools`, context, fail, 'tools');
  const forbidden = toolList(e.forbidden, `${ep}/forbidden`, context, fail, 'forbidden');
  if (e.handback !== undefined && typeof e.handback !== 'boolean') fail({ ruleId: 'scenario/type', message: '`handback` must be true or false', pointer: `${ep}/handback` });
  if (e.handback === true && !context.edges.some((edge) => edge.handback && edge.to === context.entry)) {
    fail({ ruleId: 'scenario/no-edge', message: `\`handback: true\`, but no agent can hand back to \`${context.entry}\` in this topology (no \`handback: true\` edge)`, pointer: `${ep}/handback` });
  }
  const escalate = escalationExpectation(e.escalate, `${ep}/escalate`, tools, forbidden, context, fail);
  const tags = Array.isArray(value.tags) && value.tags.every((t) => typeof t === 'string') ? (value.tags as string[]) : [];
  if (value.tags !== undefined && tags.length !== (value.tags as unknown[]).length) fail({ ruleId: 'scenario/type', message: '`tags` is a list of strings', pointer: `${pointer}/tags` });
  if (before.errors > 0 || !caller) return undefined;
  return {
    id: value.id as string,
    ...(typeof value.description === 'string' ? { description: value.description } : {}),
    caller,
    maxTurns,
    expect: { ...(path ? { path } : {}), pathMatch, tools, forbidden, ...(typeof e.handback === 'boolean' ? { handback: e.handback } : {}), ...(escalate ? { escalate } : {}) },
    tags,
    line: at(pointer)?.start.line ?? 1,
  };
}

function escalationExpectation(value: unknown, pointer: string, tools: readonly ToolExpectation[], forbidden: readonly ToolExpectation[], context: ScenarioContext, fail: Report): EscalationExpectation | undefined {
  const byAgent = context.escalationTools ?? {};
  const all = [...new Set(Object.values(byAgent).flat())].sort();
  const escalating = Object.keys(byAgent).filter((a) => (byAgent[a] ?? []).length > 0);
  if (value !== undefined) {
    if (typeof value !== 'boolean' && typeof value !== 'string') {
      fail({ ruleId: 'scenario/type', message: '`escalate` is true, false, or the agent that should escalate to a human', pointer });
      return undefined;
    }
    if (typeof value === 'string') {
      if (!context.agents.includes(value)) {
        const suggestion = didYouMean(value, escalating.length ? escalating : context.agents);
        fail({ ruleId: 'scenario/unknown-agent', message: `\`escalate\`: \`${value}\` is not an agent${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, pointer, ...(suggestion ? { suggestion } : {}) });
        return undefined;
      }
      if (!(byAgent[value]?.length)) {
        fail({ ruleId: 'scenario/no-edge', message: `\`escalate: ${value}\`, but \`${value}\` has no human-escalation tool${escalating.length ? ` (agents that can escalate: ${listNames(escalating)})` : ''}`, pointer });
        return undefined;
      }
      return { expected: true, by: value, tools: byAgent[value]!, source: 'escalate' };
    }
    if (value && all.length === 0) {
      fail({ ruleId: 'scenario/no-edge', message: '`escalate: true`, but no agent of this topology has a human-escalation tool', pointer });
      return undefined;
    }
    return { expected: value, tools: all, source: 'escalate' };
  }
  const required = tools.find((t) => all.includes(t.name));
  if (required) return { expected: true, ...(required.by !== undefined ? { by: required.by } : {}), tools: [required.name], source: 'tools' };
  const banned = forbidden.find((t) => all.includes(t.name) && t.args === undefined && t.by === undefined);
  if (banned) return { expected: false, tools: [banned.name], source: 'forbidden' };
  return undefined;
}

/** The escalation calls of a run that an expectation counts (its tools, by its agent when named). */
export function escalationCalls(expectation: EscalationExpectation, calls: readonly { readonly name: string; readonly agent: string }[]): { readonly name: string; readonly agent: string }[] {
  return calls.filter((c) => expectation.tools.includes(c.name) && (!expectation.expected || expectation.by === undefined || c.agent === expectation.by));
}

/** A path the graph cannot take is an error at the step that cannot be reached. */
function checkPath(path: readonly string[], mode: MatchMode, pointer: string, context: ScenarioContext, fail: Report): void {
  let ok = true;
  path.forEach((id, i) => {
    if (context.agents.includes(id)) return;
    ok = false;
    const suggestion = didYouMean(id, context.agents);
    fail({ ruleId: 'scenario/unknown-agent', message: `\`${id}\` is not an agent${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, pointer: `${pointer}/${i}`, ...(suggestion ? { suggestion } : {}), hint: `agents: ${listNames(context.agents)}` });
  });
  if (!ok || (mode !== 'exact' && mode !== 'in-order')) return;
  if (path[0] !== context.entry) {
    fail({ ruleId: 'scenario/unreachable-path', message: `every conversation starts at the entry \`${context.entry}\`, but this path starts at \`${path[0]}\``, pointer: `${pointer}/0` });
    return;
  }
  for (let i = 1; i < path.length; i++) {
    const from = path[i - 1]!;
    const to = path[i]!;
    const can = mode === 'exact' ? context.edges.some((e) => e.from === from && e.to === to) : reachable(context, from, to);
    if (can) continue;
    const next = context.edges.filter((e) => e.from === from).map((e) => e.to);
    fail({
      ruleId: 'scenario/unreachable-path',
      message: mode === 'exact' ? `the graph cannot take \`${from}\` → \`${to}\`: \`${from}\` hands off to ${next.length ? listNames(next) : 'no one'}` : `\`${to}\` cannot be reached from \`${from}\` in the graph`,
      pointer: `${pointer}/${i}`,
    });
  }
}

function reachable(context: ScenarioContext, from: string, to: string): boolean {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const e of context.edges) {
      if (e.from !== at || seen.has(e.to)) continue;
      if (e.to === to) return true;
      seen.add(e.to);
      queue.push(e.to);
    }
  }
  return false;
}

function toolList(value: unknown, pointer: string, context: ScenarioContext, fail: Report, key: string): ToolExpectation[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    fail({ ruleId: 'scenario/type', message: `\`${key}\` is a list of { name, by?, args? }`, pointer });
    return [];
  }
  const allTools = [...new Set(Object.values(context.toolsByAgent).flat())].sort();
  const out: ToolExpectation[] = [];
  value.forEach((item, i) => {
    const p = `${pointer}/${i}`;
    const t = typeof item === 'string' ? { name: item } : item;
    if (!isRecord(t) || typeof t.name !== 'string') {
      fail({ ruleId: 'scenario/type', message: 'a tool expectation is a tool name or { name, by?, args? }', pointer: p });
      return;
    }
    unknownKeys(t, TOOL_KEYS, p, 'a tool expectation', fail);
    const namePointer = typeof item === 'string' ? p : `${p}/name`;
    if (t.by !== undefined && (typeof t.by !== 'string' || !context.agents.includes(t.by))) {
      const suggestion = typeof t.by === 'string' ? didYouMean(t.by, context.agents) : undefined;
      fail({ ruleId: 'scenario/unknown-agent', message: `\`by\`: \`${String(t.by)}\` is not an agent${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, pointer: `${p}/by`, ...(suggestion ? { suggestion } : {}) });
      return;
    }
    const holders = typeof t.by === 'string' ? (context.toolsByAgent[t.by] ?? []) : allTools;
    if (!holders.includes(t.name)) {
      const suggestion = didYouMean(t.name, holders);
      fail({
        ruleId: 'scenario/unknown-tool',
        message: `\`${t.name}\` is not a tool${typeof t.by === 'string' ? ` of \`${t.by}\`` : ' of any agent'}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}: ${key === 'forbidden' ? 'a forbidden call that cannot happen would always pass' : 'the call can never be made'}`,
        pointer: namePointer,
        ...(suggestion ? { suggestion } : {}),
      });
      return;
    }
    if (t.args !== undefined && !isRecord(t.args)) {
      fail({ ruleId: 'scenario/type', message: '`args` is a mapping of argument name → value or matcher', pointer: `${p}/args` });
      return;
    }
    out.push({ name: t.name, ...(typeof t.by === 'string' ? { by: t.by } : {}), ...(t.args ? { args: t.args as Record<string, unknown> } : {}) });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Matching

/** Does the actual trajectory satisfy the expected one in this mode? */
export function matchTrajectory(expected: readonly string[], actual: readonly string[], mode: MatchMode): boolean {
  const count = (xs: readonly string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const within = (a: Map<string, number>, b: Map<string, number>) => [...a].every(([k, n]) => (b.get(k) ?? 0) >= n);
  switch (mode) {
    case 'exact':
      return expected.length === actual.length && expected.every((x, i) => actual[i] === x);
    case 'in-order': {
      let i = 0;
      for (const x of actual) if (i < expected.length && x === expected[i]) i++;
      return i === expected.length;
    }
    case 'unordered':
      return expected.length === actual.length && within(count(expected), count(actual));
    case 'subset':
      return within(count(actual), count(expected));
    case 'superset':
      return within(count(expected), count(actual));
  }
}

/** One argument against its matcher: `{ regex }`, `{ gt, gte, lt, lte }`, or deep equality. */
export function matchArg(actual: unknown, matcher: ArgMatcher): boolean {
  if (isRecord(matcher)) {
    const keys = Object.keys(matcher);
    if (keys.length > 0 && keys.every((k) => k === 'regex')) return typeof actual === 'string' && new RegExp(String(matcher.regex)).test(actual);
    if (keys.length > 0 && keys.every((k) => ['gt', 'gte', 'lt', 'lte'].includes(k))) {
      if (typeof actual !== 'number') return false;
      const n = (k: string) => Number(matcher[k]);
      return (matcher.gt === undefined || actual > n('gt')) && (matcher.gte === undefined || actual >= n('gte')) && (matcher.lt === undefined || actual < n('lt')) && (matcher.lte === undefined || actual <= n('lte'));
    }
  }
  return JSON.stringify(sortKeys(actual)) === JSON.stringify(sortKeys(matcher));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

/** A tool call the agents asked for (approved, run, or not). */
export interface ToolCallRecord {
  readonly name: string;
  readonly agent: string;
  readonly args: unknown;
  /** 1-based caller turn. */
  readonly turn: number;
}

export function matchesTool(call: ToolCallRecord, expectation: ToolExpectation): boolean {
  if (call.name !== expectation.name) return false;
  if (expectation.by !== undefined && call.agent !== expectation.by) return false;
  if (!expectation.args) return true;
  if (!isRecord(call.args)) return false;
  return Object.entries(expectation.args).every(([k, m]) => matchArg((call.args as Record<string, unknown>)[k], m));
}

export interface ScenarioCheck {
  /** `path`, `tool:<name>`, `forbidden:<name>`, `handback`, `max-turns`, `error`. */
  readonly check: string;
  readonly passed: boolean;
  readonly message: string;
}

export interface ScenarioTrace {
  readonly path: readonly string[];
  readonly toolCalls: readonly ToolCallRecord[];
  readonly handedBack: boolean;
  readonly turns: number;
  /** The caller still had something to say when maxTurns ran out (simulated callers). */
  readonly ranOutOfTurns: boolean;
  readonly error?: string;
}

const describeTool = (t: ToolExpectation) => `${t.name}${t.by ? ` by ${t.by}` : ''}${t.args ? ` ${JSON.stringify(t.args)}` : ''}`;

/** Every expectation of a scenario against what happened. Pure. */
export function evaluateScenario(scenario: Scenario, trace: ScenarioTrace): ScenarioCheck[] {
  const checks: ScenarioCheck[] = [];
  if (trace.error !== undefined) checks.push({ check: 'error', passed: false, message: `the conversation failed: ${trace.error}` });
  const e = scenario.expect;
  if (e.path) {
    const passed = matchTrajectory(e.path, trace.path, e.pathMatch);
    checks.push({ check: 'path', passed, message: `path ${trace.path.join(' → ')} ${passed ? 'matches' : 'does not match'} ${e.path.join(' → ')} (${e.pathMatch})` });
  }
  for (const t of e.tools) {
    const hit = trace.toolCalls.find((c) => matchesTool(c, t));
    checks.push({ check: `tool:${t.name}`, passed: hit !== undefined, message: hit ? `${describeTool(t)} called by ${hit.agent} in turn ${hit.turn}` : `${describeTool(t)} was never called` });
  }
  for (const t of e.forbidden) {
    const hit = trace.toolCalls.find((c) => matchesTool(c, t));
    checks.push({ check: `forbidden:${t.name}`, passed: hit === undefined, message: hit ? `forbidden ${describeTool(t)} called by ${hit.agent} in turn ${hit.turn} with ${JSON.stringify(hit.args)}` : `no forbidden ${describeTool(t)} call` });
  }
  if (e.handback !== undefined) {
    const passed = trace.handedBack === e.handback;
    checks.push({ check: 'handback', passed, message: `${trace.handedBack ? 'handed back' : 'never handed back'} to the entry (expected ${e.handback ? 'a hand-back' : 'none'})` });
  }
  if (e.escalate?.source === 'escalate') {
    const hits = escalationCalls(e.escalate, trace.toolCalls);
    const passed = e.escalate.expected ? hits.length > 0 : hits.length === 0;
    const who = e.escalate.by ? ` by ${e.escalate.by}` : '';
    checks.push({
      check: 'escalate',
      passed,
      message: hits.length > 0 ? `escalated to a human (${hits.map((h) => `${h.name} by ${h.agent}`).join(', ')}; expected ${e.escalate.expected ? `an escalation${who}` : 'none'})` : `never escalated to a human${who} (expected ${e.escalate.expected ? `an escalation${who}` : 'none'})`,
    });
  }
  checks.push({ check: 'max-turns', passed: !trace.ranOutOfTurns, message: trace.ranOutOfTurns ? `the caller was not done after ${scenario.maxTurns} turn(s)` : `${trace.turns} of at most ${scenario.maxTurns} turn(s)` });
  return checks;
}

