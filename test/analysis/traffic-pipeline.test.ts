import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceText } from '../../src/analysis/traces.js';
import { analyseTraffic, STAY } from '../../src/analysis/traffic.js';
import { DEFAULT_PRICES } from '../../src/eval/prices.js';
import { validateFile } from '../../src/validate.js';
import { fromRoot } from '../helpers/paths.js';
import { runScenarios, SCENARIOS } from './support-desk-traffic.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-traffic-'));
const file = join(dir, 'traces.jsonl');
const sdkFile = join(dir, 'sdk-export.jsonl');
let exceeded = 0;

beforeAll(async () => {
  exceeded = await runScenarios(file, sdkFile);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const topology = () => validateFile(fromRoot('topologies/support-desk.yaml')).topology!;

describe('traces from the SDK tracing pipeline', () => {
  it('writes one trace per run with agent, handoff, tool, turn and response spans', () => {
    const parsed = parseTraceText(readFileSync(file, 'utf8'), 'traces.jsonl');
    expect(parsed.errors).toEqual([]);
    expect(exceeded).toBe(1);
    expect(parsed.traces).toHaveLength(SCENARIOS.length);
    const kinds = (kind: string) => parsed.traces.reduce((n, t) => n + t.spans.filter((s) => s.kind === kind).length, 0);
    // 16 first routings, 2 re-routes after a hand-back, 3 hand-backs.
    expect(kinds('handoff')).toBe(21);
    expect(kinds('function')).toBe(3); // lookup_invoice once, escalate_to_human twice
    // One turn span (one model call) per scripted step, except the maxTurns run's 4th step, never made.
    expect(kinds('turn')).toBe(SCENARIOS.reduce((n, s) => n + s.steps.length, 0) - 1);
    expect(kinds('response')).toBe(kinds('turn'));
  });

  it('counts traffic per route exactly', () => {
    const report = analyseTraffic(topology(), parseTraceText(readFileSync(file, 'utf8'), 'traces.jsonl').traces, { prices: DEFAULT_PRICES });
    expect(report.conversations).toBe(20);
    expect(report.routed).toBe(16);
    expect(report.maxTurnsExceeded).toBe(1);
    const route = (id: string) => report.routes.find((r) => r.route === id)!;
    expect(report.routes.map((r) => [r.route, r.conversations])).toEqual([['billing', 8], ['tech', 7], ['sales', 1], [STAY, 4]]);
    expect(route('billing').share).toBeCloseTo(0.4);
    expect(route('billing').handoffs).toBe(9);
    expect(route('billing').handBacks).toBe(2);
    expect(route('billing').handBackRate).toBeCloseTo(2 / 9);
    expect(route('billing').pingPongRate).toBeCloseTo(1 / 8);
    expect(route('tech').handoffs).toBe(8);
    expect(route('tech').handBacks).toBe(1);
    expect(route('tech').escalationRate).toBeCloseTo(2 / 7);
    expect(route('tech').maxTurnsExceeded).toBe(1);
    expect(route('tech').pingPongRate).toBeCloseTo(1 / 7);
    expect(route('sales').escalationRate).toBe(0);
    expect(report.escalations).toEqual({ tech: 2 });
    expect(report.unknownAgents).toEqual([]);
    // Every model call reports 100 input and 20 output tokens: triage (gpt-4o-mini) costs 27e-6 USD a call.
    const triageCalls = 16 + 3; // plus one triage call after each of the three hand-backs
    expect(report.entryCostPerRoutedConversation).toBeCloseTo((triageCalls * 27e-6) / 16, 10);
    expect(report.advice.some((a) => a.startsWith('sales gets 1 of 20 conversations (5%'))).toBe(true);
    expect(route('billing').latencyMs).not.toBeNull();
  });

  it('reads the SDK export format (Trace/Span toJSON) to the same counts, without caller inputs', () => {
    const ours = analyseTraffic(topology(), parseTraceText(readFileSync(file, 'utf8'), 'traces.jsonl').traces, { prices: DEFAULT_PRICES });
    const parsed = parseTraceText(readFileSync(sdkFile, 'utf8'), 'sdk-export.jsonl');
    expect(parsed.errors).toEqual([]);
    const sdk = analyseTraffic(topology(), parsed.traces, { prices: DEFAULT_PRICES });
    const counts = (r: typeof ours) => ({ ...r, routes: r.routes.map(({ latencyMs: _l, ...rest }) => rest) });
    expect(counts(sdk)).toEqual(counts(ours));
    expect(parsed.traces.flatMap((t) => t.spans).some((s) => 'input' in s.data)).toBe(false);
  });

  it('records caller inputs only with captureInput, once per trace', () => {
    const parsed = parseTraceText(readFileSync(file, 'utf8'), 'traces.jsonl');
    const inputs = parsed.traces.map((t) => t.spans.filter((s) => typeof s.data.input === 'string').map((s) => s.data.input));
    expect(inputs).toEqual(SCENARIOS.map((s) => [s.input]));
  });
});
