import * as sdk from '@openai/agents';
import { beforeEach, describe, expect, it } from 'vitest';
import { agents } from '../../generated/support-desk/index.js';
import { handoffLog } from '../../topologies/support-desk/hooks.js';
import { Cassette, recordingCall, replayingCall } from '../../src/eval/cassette.js';
import { loadDatasetFile, parseDataset, type Dataset, type DatasetContext } from '../../src/eval/dataset.js';
import { evaluateGates } from '../../src/eval/gates.js';
import { DEFAULT_PRICES } from '../../src/eval/prices.js';
import { liveCall } from '../../src/eval/provider.js';
import { buildReport, withGates, type EvalReport } from '../../src/eval/report.js';
import { formatJsonReport } from '../../src/eval/reports/json.js';
import { runEval, type EvalOutcome, type Progress, type RunEvalOptions } from '../../src/eval/runner.js';
import type { EvalClock, ModelProvider, ModelRequest, RuntimeTopology } from '../../src/eval/types.js';
import { createRoutingProvider, respond, type ScriptOptions } from '../fixtures/eval/scripted-routing.js';
import { fromRoot } from '../helpers/paths.js';

// The evaluation library, driven offline against the generated support desk with a scripted provider.
const topology: RuntimeTopology = { name: 'support-desk', entryId: 'triage', agents, sdk: { Runner: sdk.Runner, Usage: sdk.Usage } };
const context: DatasetContext = { topologyName: 'support-desk', entry: 'triage', agents: ['triage', 'billing', 'tech', 'sales'], routes: ['billing', 'tech', 'sales'] };
const dataset = loadDatasetFile(fromRoot('test/fixtures/eval/routing.yaml'), 'test/fixtures/eval/routing.yaml', context).dataset!;

/** A clock that advances only when a scripted model says so, and whose sleeps return at once. */
function steppingClock(): EvalClock & { advance(ms: number): void } {
  let t = 0;
  return { now: () => t, epochNow: () => 0, sleep: async () => {}, advance: (ms) => void (t += ms) };
}

function scripted(options: ScriptOptions = {}) {
  return createRoutingProvider(options);
}

async function evaluate(provider: ModelProvider, overrides: Partial<RunEvalOptions> = {}, clock: EvalClock = steppingClock()): Promise<EvalOutcome> {
  return runEval({ topology, dataset, settings: [{ label: 'default', overrides: {} }], call: liveCall(provider, clock), clock, concurrency: 4, ...overrides });
}

function report(outcome: EvalOutcome, extra: { judge?: string; mode?: 'routing' | 'full'; data?: Dataset } = {}): EvalReport {
  return buildReport(outcome, {
    topology: 'support-desk',
    entry: 'triage',
    dataset: extra.data ?? dataset,
    mode: extra.mode ?? 'routing',
    repeat: 1,
    ...(extra.judge ? { judge: extra.judge } : {}),
    routes: ['billing', 'tech', 'sales'],
    prices: DEFAULT_PRICES,
  });
}

const lastUser = (request: ModelRequest) => JSON.stringify(request.input);

beforeEach(() => {
  handoffLog.length = 0;
});

describe('runEval: structural score', () => {
  it('reads the route from the entry model output, stops before the specialist, and scores it exactly', async () => {
    const clock = steppingClock();
    const latencies = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
    const provider = scripted({ onCall: () => clock.advance(latencies.shift()!) });
    const outcome = await evaluate(provider, { concurrency: 1 }, clock);
    const r = report(outcome).runs[0]!;

    // Routing mode: only the entry model was called; the specialists got the canned reply.
    expect(provider.calls.map((c) => c.model)).toEqual(Array(10).fill('gpt-4o-mini'));
    // The onHandoff hook ran with the parsed HandoffReason (the handoff really happened).
    expect(handoffLog).toHaveLength(9);

    expect(r.summary).toMatchObject({ cases: 10, attempts: 10, ran: 10, correct: 8, incorrect: 2, errors: 0, notRun: 0, accuracy: 0.8, accuracyInterval: { low: 0.4902, high: 0.9433 }, flaky: 0 });
    expect(r.confusion).toEqual({
      labels: ['billing', 'tech', 'sales', 'stay'],
      columns: ['billing', 'tech', 'sales', 'stay', 'error'],
      matrix: [
        [3, 0, 1, 0, 0],
        [0, 2, 0, 0, 0],
        [0, 0, 2, 0, 0],
        [0, 1, 0, 1, 0],
      ],
    });
    expect(r.routes).toEqual({
      billing: { support: 4, predicted: 3, correct: 3, precision: 1, recall: 0.75, recallInterval: { low: 0.3006, high: 0.9544 }, f1: 0.8571 },
      tech: { support: 2, predicted: 3, correct: 2, precision: 0.6667, recall: 1, recallInterval: { low: 0.3424, high: 1 }, f1: 0.8 },
      sales: { support: 2, predicted: 3, correct: 2, precision: 0.6667, recall: 1, recallInterval: { low: 0.3424, high: 1 }, f1: 0.8 },
      stay: { support: 2, predicted: 1, correct: 1, precision: 1, recall: 0.5, recallInterval: { low: 0.0945, high: 0.9055 }, f1: 0.6667 },
    });
    const misrouted = r.cases.filter((c) => c.verdict === 'incorrect').map((c) => [c.id, c.attempts[0]!.actual, c.attempts[0]!.reason]);
    expect(misrouted).toEqual([
      ['bill-plan-upgrade', 'sales', 'Caller needs sales: I want to upgrade my plan from starter to growth.'],
      ['stay-vague', 'tech', 'Caller needs tech: I have a problem.'],
    ]);
    expect(r.cases.find((c) => c.id === 'stay-greeting')!.attempts[0]).toMatchObject({ actual: 'stay', reason: null, reply: 'Could you tell me a little more about what you need?' });
    // 10 calls × (100 in, 10 out) at gpt-4o-mini's $0.15 / $0.60 per 1M tokens.
    expect(r.cost).toEqual({ currency: 'USD', totalUsd: 0.00021, unpricedModels: [], byModel: { 'gpt-4o-mini': { requests: 10, inputTokens: 1000, cachedInputTokens: 0, outputTokens: 100, costUsd: 0.00021 } } });
    expect(r.latency).toEqual({ 'gpt-4o-mini': { requests: 10, p50Ms: 500, p95Ms: 1000 } });
  });

  it('applies gates to the first run', async () => {
    const outcome = await evaluate(scripted());
    const r = report(outcome);
    const passing = withGates(r, evaluateGates(r.runs[0]!, { minAccuracy: 0.8, minRecall: { billing: 0.75 } }));
    expect([passing.passed, passing.gates.map((g) => g.passed)]).toEqual([true, [true, true]]);
    const failing = withGates(r, evaluateGates(r.runs[0]!, { minAccuracy: 0.85, minRecall: { billing: 0.9, tech: 1 } }));
    expect(failing.passed).toBe(false);
    expect(failing.gates.filter((g) => !g.passed).map((g) => g.gate)).toEqual(['min-accuracy', 'min-recall:billing']);
  });

  it('records a failing case as an error and carries on', async () => {
    const provider = scripted({
      onCall: (_model, request) => {
        if (lastUser(request).includes('webhook')) throw Object.assign(new Error('Bad request: context too long'), { status: 400 });
      },
    });
    const r = report(await evaluate(provider)).runs[0]!;
    expect(r.summary).toMatchObject({ ran: 10, correct: 7, incorrect: 2, errors: 1, accuracy: 0.7 });
    expect(r.confusion.matrix[1]).toEqual([0, 1, 0, 0, 1]);
    const failed = r.cases.find((c) => c.id === 'tech-webhooks')!;
    expect(failed.verdict).toBe('error');
    expect(failed.attempts[0]!.error).toEqual({ kind: 'model', message: 'gpt-4o-mini: Bad request: context too long' });
  });

  it('times a case out on the injected clock without waiting', async () => {
    const timers: { ms: number; fire: () => void }[] = [];
    const clock: EvalClock = {
      now: () => 0,
      epochNow: () => 0,
      sleep: (ms, signal) =>
        new Promise((resolve) => {
          timers.push({ ms, fire: resolve });
          signal?.addEventListener('abort', () => resolve(), { once: true });
        }),
    };
    let hung!: () => void;
    const started = new Promise<void>((resolve) => (hung = resolve));
    const progress: Progress[] = [];
    let progressed!: () => void;
    const oneDone = new Promise<void>((resolve) => (progressed = resolve));
    const small = { ...dataset, cases: dataset.cases.filter((c) => ['bill-refund', 'tech-drops'].includes(c.id)) };
    const provider = scripted({
      onCall: (_model, request) => {
        if (!lastUser(request).includes('drop')) return;
        hung();
        return new Promise<void>(() => {}); // never answers, and ignores the abort signal
      },
    });
    const running = runEval({
      topology,
      dataset: small,
      settings: [{ label: 'default', overrides: {} }],
      call: liveCall(provider, clock),
      clock,
      concurrency: 2,
      timeoutMs: 5000,
      onProgress: (p) => {
        progress.push(p);
        if (p.done === 1) progressed();
      },
    });
    await started;
    await oneDone;
    for (const t of timers) t.fire();
    const outcome = await running;
    const attempts = outcome.settings[0]!.attempts;
    expect(attempts.map((a) => [a.caseId, a.status, a.error?.kind ?? a.actual])).toEqual([
      ['bill-refund', 'ok', 'billing'],
      ['tech-drops', 'error', 'timeout'],
    ]);
    expect(attempts[1]!.error!.message).toBe('timed out after 5 s');
    expect(timers.every((t) => t.ms === 5000)).toBe(true);
    expect(progress.at(-1)).toEqual({ setting: 'default', done: 2, total: 2, errors: 1 });
  });

  it('stops on interrupt and keeps what finished', async () => {
    const interrupt = new AbortController();
    let calls = 0;
    const provider = scripted({
      onCall: () => {
        if (++calls === 3) {
          interrupt.abort();
          return new Promise<void>(() => {});
        }
      },
    });
    const outcome = await evaluate(provider, { concurrency: 1, interrupt: interrupt.signal });
    expect(outcome.interrupted).toBe(true);
    const r = report(outcome);
    expect(r.interrupted).toBe(true);
    expect(r.passed).toBe(false);
    expect(r.runs[0]!.summary).toMatchObject({ attempts: 10, ran: 2, notRun: 8, correct: 2, accuracy: 1 });
    expect(r.runs[0]!.cases.map((c) => c.verdict)).toEqual(['correct', 'correct', ...Array(8).fill('not-run')]);
  });
});

describe('runEval: options', () => {
  it('--full runs the specialists and records every handoff, including hand-backs', async () => {
    const data = parseDataset(
      [
        'version: 1',
        'cases:',
        '  - { id: refund, input: "Refund INV-1042 please.", expect: billing, handback: false }',
        '  - { id: refund-more, input: "Refund INV-1042, and anything else?", expect: billing, handback: true }',
        '',
      ].join('\n'),
      'd.yaml',
      context,
    ).dataset!;
    const provider = scripted();
    const outcome = await evaluate(provider, { dataset: data, full: true });
    const r = report(outcome, { mode: 'full', data }).runs[0]!;
    expect(r.cases.map((c) => [c.id, c.attempts[0]!.actual, c.attempts[0]!.handoffs, c.attempts[0]!.handedBack])).toEqual([
      ['refund', 'billing', ['billing'], false],
      ['refund-more', 'billing', ['billing', 'triage'], true],
    ]);
    expect(r.summary.handback).toEqual({ evaluated: 2, correct: 2 });
    expect(r.summary.accuracy).toBe(1);
    // Specialist calls are real calls in full mode: they count toward cost and latency.
    expect(Object.keys(r.cost.byModel)).toEqual(['gpt-4o', 'gpt-4o-mini']);
  });

  it('--repeat exposes flaky cases', async () => {
    let vague = 0;
    const provider: ModelProvider = {
      getModel: (name) => ({
        getResponse: async (request) => {
          if (lastUser(request).includes('problem') && vague++ % 2 === 1) return respond('gpt-4o-mini', { ...request, input: 'hello' });
          return respond(name ?? '', request);
        },
        getStreamedResponse: async function* () {},
      }),
    };
    const outcome = await evaluate(provider, { repeat: 2, concurrency: 1 });
    const r = report(outcome).runs[0]!;
    expect(r.summary).toMatchObject({ attempts: 20, ran: 20, correct: 17, flaky: 1 });
    const flaky = r.cases.find((c) => c.verdict === 'flaky')!;
    expect([flaky.id, flaky.attempts.map((a) => a.actual)]).toEqual(['stay-vague', ['tech', 'stay']]);
  });

  it('--model and --compare run settings side by side and restore the agents', async () => {
    const provider = scripted();
    const outcome = await evaluate(provider, {
      settings: [
        { label: 'default', overrides: {} },
        { label: 'triage=gpt-4.1-mini', overrides: { triage: 'gpt-4.1-mini' } },
      ],
    });
    const r = report(outcome);
    expect(r.runs.map((x) => [x.label, x.models.triage, x.summary.accuracy, x.cost.totalUsd])).toEqual([
      ['default', 'gpt-4o-mini', 0.8, 0.00021],
      ['triage=gpt-4.1-mini', 'gpt-4.1-mini', 0.8, 0.00056],
    ]);
    expect(new Set(provider.calls.map((c) => c.model))).toEqual(new Set(['gpt-4o-mini', 'gpt-4.1-mini']));
    expect(agents.triage.model).toBe('gpt-4o-mini');
  });

  it('--judge scores handoff reasons beside the structural score', async () => {
    const outcome = await evaluate(scripted(), { judge: 'judge-model' });
    const r = report(outcome, { judge: 'judge-model' }).runs[0]!;
    expect(r.summary.accuracy).toBe(0.8);
    expect(r.judge).toEqual({
      model: 'judge-model',
      scored: 9,
      errors: 0,
      meanScore: 4.67,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 8 },
      weakReasonsOnCorrectRoutes: 0,
      cost: { requests: 9, inputTokens: 1800, cachedInputTokens: 0, outputTokens: 180, costUsd: null },
    });
    expect(r.cases.find((c) => c.id === 'bill-plan-upgrade')!.attempts[0]!.judge).toEqual({ score: 2, rationale: 'An existing customer changing plan is billing, not sales.' });
    expect(r.cases.find((c) => c.id === 'stay-greeting')!.attempts[0]!.judge).toBeUndefined();
  });
});

describe('record and replay', () => {
  it('a replay reproduces the recorded run byte for byte, offline', async () => {
    const cassette = new Cassette();
    let t = 0;
    const clock: EvalClock = { now: () => (t += 37), epochNow: () => 0, sleep: async () => {} };
    const live = recordingCall(liveCall(scripted(), clock), cassette);
    const recorded = formatJsonReport(report(await runEval({ topology, dataset, settings: [{ label: 'default', overrides: {} }], call: live, clock, judge: 'judge-model' }), { judge: 'judge-model' }));

    const offline = replayingCall(Cassette.parse(cassette.serialize()), 'c.json');
    const replayed = formatJsonReport(report(await runEval({ topology, dataset, settings: [{ label: 'default', overrides: {} }], call: offline, concurrency: 3, judge: 'judge-model' }), { judge: 'judge-model' }));
    expect(replayed).toBe(recorded);
    expect(JSON.parse(recorded).runs[0].latency['gpt-4o-mini'].requests).toBe(10);

    // A case the cassette has never seen fails with a clear error; the others still replay.
    const changed = { ...dataset, cases: [...dataset.cases.slice(0, 2), { id: 'new', input: 'Brand new question about invoices', expect: 'billing', tags: [], line: 99 }] };
    const partial = report(await runEval({ topology, dataset: changed, settings: [{ label: 'default', overrides: {} }], call: offline }), { data: changed }).runs[0]!;
    expect(partial.cases.map((c) => c.verdict)).toEqual(['correct', 'correct', 'error']);
    expect(partial.cases[2]!.attempts[0]!.error).toMatchObject({ kind: 'cassette-miss' });
    expect(partial.cases[2]!.attempts[0]!.error!.message).toMatch(/^request not in cassette c\.json \(model gpt-4o-mini, "Brand new question about invoices"/);
  });
});
