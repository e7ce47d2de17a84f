/**
 * The built-in filter steps as compiled into agents.ts, called directly on handoff input data:
 * `keepLast` never hands the target a tool or handoff output without its call and keeps the caller's
 * message; `removeAllTools` behaves like the SDK's, without `instanceof`. A fast-check property runs
 * every step and their compositions over random histories.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Agent,
  RunHandoffCallItem,
  RunHandoffOutputItem,
  RunMessageOutputItem,
  RunReasoningItem,
  RunToolApprovalItem,
  RunToolCallItem,
  RunToolCallOutputItem,
  type AgentInputItem,
  type HandoffInputData,
  type RunItem,
} from '@openai/agents';
import { removeAllTools as sdkRemoveAllTools } from '@openai/agents-core/extensions';
import { compileTopology } from '../../../src/compile.js';
import { validateSource } from '../../../src/validate.js';
import { writeOutput } from '../../../src/emit/write-output.js';
import { fromRoot, repoRoot } from '../../helpers/paths.js';
import { hasUserMessage, missingTheirReasoning, orphanedOutputs, strandedReasoning } from '../../generated/history-checks.js';

type Filter = (data: HandoffInputData) => HandoffInputData;

const PIPELINES: Record<string, string> = {
  last1: '[{ keepLast: 1 }]',
  last2: '[{ keepLast: 2 }]',
  last3: '[{ keepLast: 3 }]',
  last5: '[{ keepLast: 5 }]',
  last8: '[{ keepLast: 8 }]',
  tools: '[removeAllTools]',
  reasoning: '[removeReasoning]',
  toolsThenLast3: '[removeAllTools, { keepLast: 3 }]',
  last3ThenTools: '[{ keepLast: 3 }, removeAllTools]',
  reasoningThenLast2: '[removeReasoning, { keepLast: 2 }]',
  last2ThenReasoning: '[{ keepLast: 2 }, removeReasoning]',
  everything: '[removeReasoning, { keepLast: 4 }, removeAllTools, { keepLast: 1 }]',
};

const YAML = [
  'version: 1',
  'name: filters',
  'entry: hub',
  'agents:',
  '  hub: { name: Hub, instructions: Route. }',
  '  spec: { name: Spec, instructions: Answer., handoffDescription: Answers questions. }',
  'filters:',
  ...Object.entries(PIPELINES).map(([name, steps]) => `  ${name}: ${steps}`),
  'handoffs:',
  '  - { from: hub, to: spec, filter: everything }',
  '  - { from: spec, to: hub, handback: true }',
].join('\n');

let dir: string;
let filters: Record<string, Filter>;

beforeAll(async () => {
  const result = validateSource(YAML, fromRoot('test/fixtures/filters.yaml'));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  dir = mkdtempSync(join(repoRoot, '.tmp-filters-'));
  writeOutput(dir, await compileTopology(result, { outDir: dir }));
  const module = (await import(pathToFileURL(join(dir, 'filters/agents.ts')).href)) as Record<string, Filter>;
  filters = Object.fromEntries(Object.keys(PIPELINES).map((name) => [name, module[`${name}Filter`]!]));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Items as the SDK holds them: plain protocol items in the history, RunItem classes for this run.
const agent = new Agent({ name: 'Hub' });
const target = new Agent({ name: 'Spec' });
let ids = 0;
const user = (text: string): AgentInputItem => ({ role: 'user', content: text });
const assistant = (text: string) => ({ type: 'message' as const, id: `msg_${++ids}`, role: 'assistant' as const, status: 'completed' as const, content: [{ type: 'output_text' as const, text }] });
const fnCall = (callId: string, name = 'lookup') => ({ type: 'function_call' as const, id: `fc_${++ids}`, callId, name, arguments: '{}', status: 'completed' as const });
const fnResult = (callId: string, name = 'lookup') => ({
  type: 'function_call_result' as const,
  callId,
  name,
  status: 'completed' as const,
  output: { type: 'text' as const, text: 'ok' },
});
const reasoning = () => ({ type: 'reasoning' as const, id: `rs_${++ids}`, content: [] as { type: 'input_text'; text: string }[] });
type Raw = ReturnType<typeof assistant | typeof fnCall | typeof fnResult | typeof reasoning>;

function runItem(raw: Raw): RunItem {
  switch (raw.type) {
    case 'message':
      return new RunMessageOutputItem(raw, agent);
    case 'function_call':
      return raw.name.startsWith('transfer_to_') ? new RunHandoffCallItem(raw, agent) : new RunToolCallItem(raw, agent);
    case 'function_call_result':
      return raw.name.startsWith('transfer_to_') ? new RunHandoffOutputItem(raw, agent, target) : new RunToolCallOutputItem(raw, agent, 'ok');
    case 'reasoning':
      return new RunReasoningItem(raw, agent);
  }
}

/** The handoff's own pair, which ends `newItems`. */
const handoffPair = (): RunItem[] => [runItem(fnCall('call_handoff', 'transfer_to_Spec')), runItem(fnResult('call_handoff', 'transfer_to_Spec'))];

/** What the target model is sent: the history, then the run items (approval placeholders are not sent). */
function modelInput(data: HandoffInputData): unknown[] {
  const history = typeof data.inputHistory === 'string' ? [user(data.inputHistory)] : data.inputHistory;
  return [...history, ...[...data.preHandoffItems, ...data.newItems].filter((i) => i.type !== 'tool_approval_item').map((i) => i.rawItem)];
}

const data = (inputHistory: string | AgentInputItem[], preHandoffItems: RunItem[], newItems: RunItem[]): HandoffInputData => ({ inputHistory, preHandoffItems, newItems });

describe('keepLast', () => {
  it('keeps the handoff call with its output, and the caller message, when N cuts between them', () => {
    const input = data([user('earlier'), assistant('reply') as AgentInputItem, user('LATEST: move my visit')], [], handoffPair());
    const out = modelInput(filters.last1!(input));
    expect(orphanedOutputs(out)).toEqual([]);
    expect(hasUserMessage(out, 'LATEST')).toBe(true);
    expect(out.map((i) => (i as { type?: string }).type ?? 'message')).toEqual(['message', 'function_call', 'function_call_result']);
  });

  it('moves the cut before a tool call whose output it would keep', () => {
    const input = data([user('LATEST')], [runItem(fnCall('call_a')), runItem(fnResult('call_a'))], handoffPair());
    const out = modelInput(filters.last3!(input));
    expect(orphanedOutputs(out)).toEqual([]);
    expect(out).toHaveLength(5);
  });

  it('keeps parallel calls together and the reasoning item before them', () => {
    const pre = [reasoning(), fnCall('call_a'), fnCall('call_b'), fnResult('call_a'), fnResult('call_b')].map(runItem);
    const out = modelInput(filters.last3!(data([user('LATEST')], pre, handoffPair())));
    expect(orphanedOutputs(out)).toEqual([]);
    expect(out.map((i) => (i as { type?: string }).type ?? 'message')).toEqual([
      'message',
      'reasoning',
      'function_call',
      'function_call',
      'function_call_result',
      'function_call_result',
      'function_call',
      'function_call_result',
    ]);
  });

  it('keeps a string input (the caller message) however small N is', () => {
    const out = filters.last2!(data('LATEST: hello', [runItem(assistant('hi'))], handoffPair()));
    expect(out.inputHistory).toBe('LATEST: hello');
    expect(out.preHandoffItems).toEqual([]);
  });

  it('keeps exactly the last N items when the cut splits nothing', () => {
    const history = Array.from({ length: 10 }, (_, i) => (i % 2 ? (assistant(`reply ${i}`) as AgentInputItem) : user(`message ${i}`)));
    const out = filters.last5!(data(history, [], []));
    expect(out.inputHistory).toEqual(history.slice(-5));
  });

  it('neither counts nor pairs approval placeholders, which the model never sees', () => {
    const call = fnCall('call_a');
    const approval = new RunToolApprovalItem(call, agent);
    const input = data([user('LATEST')], [runItem(call), approval, runItem(fnResult('call_a'))], handoffPair());
    const out = filters.last3!(input);
    expect(orphanedOutputs(modelInput(out))).toEqual([]);
    expect(out.preHandoffItems).toHaveLength(3);
  });
});

describe('removeReasoning', () => {
  it('drops reasoning items and unlinks the rest of their response from them (no server id)', () => {
    const history = [user('first'), reasoning(), fnCall('call_old'), fnResult('call_old'), user('LATEST')] as AgentInputItem[];
    const pre = [reasoning(), fnCall('call_a'), assistant('checking'), fnResult('call_a'), assistant('done')].map(runItem);
    const out = filters.reasoning!(data(history, pre, handoffPair()));
    expect(missingTheirReasoning(modelInput(data(history, pre, [])), modelInput(out))).toEqual([]);
    expect(out.inputHistory).toEqual([history[0], { ...history[2], id: undefined }, history[3], history[4]]);
    expect('id' in (out.inputHistory as AgentInputItem[])[1]!).toBe(false);
    const [call, checking, result, done] = out.preHandoffItems;
    expect(call).toBeInstanceOf(RunToolCallItem);
    expect(call!.rawItem).toEqual({ ...pre[1]!.rawItem, id: undefined });
    expect('id' in call!.rawItem).toBe(false);
    expect('id' in checking!.rawItem).toBe(false);
    // The later answer is its own response, with no reasoning: it keeps its id, as does everything else.
    expect(result).toBe(pre[3]);
    expect(done).toBe(pre[4]);
  });
});

describe('removeAllTools', () => {
  const sample = () =>
    data(
      [user('first'), fnCall('call_old') as AgentInputItem, fnResult('call_old') as AgentInputItem, reasoning() as AgentInputItem, user('LATEST')],
      [reasoning(), fnCall('call_a'), fnResult('call_a'), assistant('done')].map(runItem),
      handoffPair(),
    );

  it('drops what the SDK filter drops, for SDK items', () => {
    const input = sample();
    expect(filters.tools!(input)).toEqual(sdkRemoveAllTools(input));
    expect(modelInput(filters.tools!(input)).map((i) => (i as { role?: string }).role)).toEqual(['user', 'user', 'assistant']);
  });

  it('also drops items made by a second copy of the SDK (same `type`, other class), which instanceof misses', () => {
    const foreign = (raw: Raw, type: string) => ({ type, rawItem: raw, agent }) as unknown as RunItem;
    const input = data([user('LATEST')], [foreign(fnCall('call_a'), 'tool_call_item'), foreign(fnResult('call_a'), 'tool_call_output_item')], [
      foreign(fnCall('call_h', 'transfer_to_Spec'), 'handoff_call_item'),
      foreign(fnResult('call_h', 'transfer_to_Spec'), 'handoff_output_item'),
    ]);
    expect(sdkRemoveAllTools(input).preHandoffItems).toHaveLength(2);
    const out = filters.tools!(input);
    expect([...out.preHandoffItems, ...out.newItems]).toEqual([]);
  });
});

// Random conversations: user turns, answers (with or without reasoning) and tool rounds (reasoning
// and a preamble message optional) of one to three parallel calls whose outputs come back in any order.
const answer = fc.boolean().map((withReasoning): Raw[] => [...(withReasoning ? [reasoning()] : []), assistant('an answer')]);
const toolRound = fc.tuple(fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 3 }), fc.boolean()).map(([withReasoning, withPreamble, n, reversed]): Raw[] => {
  const callIds = Array.from({ length: n }, () => `call_${++ids}`);
  const results = callIds.map((id) => fnResult(id));
  return [
    ...(withReasoning ? [reasoning()] : []),
    ...(withPreamble ? [assistant('let me check')] : []),
    ...callIds.map((id) => fnCall(id)),
    ...(reversed ? results.reverse() : results),
  ];
});
const generated = fc.array(fc.oneof(answer, toolRound), { maxLength: 5 }).map((segments) => segments.flat());
const history = fc.array(fc.oneof(answer, toolRound, fc.constant(null).map(() => [user('an earlier message')] as unknown as Raw[])), { maxLength: 6 }).map((segments) => [
  ...(segments.flat() as AgentInputItem[]),
  user('LATEST'),
]);
const handoffData = fc
  .tuple(fc.oneof(history, fc.constant('LATEST')), generated, generated)
  .map(([inputHistory, pre, now]) => data(inputHistory, pre.map(runItem), [...now.map(runItem), ...handoffPair()]));

describe('every built-in step and composition, on random histories', () => {
  it('never leaves an output without its call, a reasoning item without its follower or a stored item without its reasoning, and keeps the caller message', () => {
    fc.assert(
      fc.property(handoffData, (input) => {
        for (const [name, filter] of Object.entries(filters)) {
          const out = modelInput(filter(input));
          expect(orphanedOutputs(out), name).toEqual([]);
          expect(strandedReasoning(out), name).toEqual([]);
          expect(hasUserMessage(out, 'LATEST'), name).toBe(true);
          expect(missingTheirReasoning(modelInput(input), out), name).toEqual([]);
        }
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('keepLast N keeps at least the last N items, as one unbroken tail plus the caller message', () => {
    fc.assert(
      fc.property(handoffData, fc.constantFrom(1, 2, 3, 5, 8), (input, n) => {
        const before = modelInput(input);
        const after = modelInput(filters[`last${n}`]!(input));
        const kept = after.map((item) => before.indexOf(item)).filter((i) => i >= 0);
        const caller = typeof input.inputHistory === 'string' ? 0 : input.inputHistory.length - 1;
        const first = Math.min(before.length, ...kept.filter((i) => i !== caller));
        const tail = Array.from({ length: before.length - first }, (_, k) => first + k);
        expect(kept).toEqual(kept.includes(caller) && caller < first ? [caller, ...tail] : tail);
        expect(after.length).toBeGreaterThanOrEqual(Math.min(n, before.length));
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
