import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputGuardrailTripwireTriggered, setTraceProcessors, setTracingDisabled } from '@openai/agents';
import { runAirline } from '../../generated/airline/index.js';
import { newAirlineContext } from '../../topologies/airline/context.js';
import { parseTraceText } from '../../src/analysis/traces.js';
import { analyseTraffic } from '../../src/analysis/traffic.js';
import { DEFAULT_PRICES } from '../../src/eval/prices.js';
import { JsonlTraceProcessor } from '../../src/tracing/jsonl-processor.js';
import { validateFile } from '../../src/validate.js';
import { call, say } from '../helpers/scripted-model.js';
import { TracingScriptedModelProvider } from '../helpers/tracing-model.js';
import { fromRoot } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-airline-traffic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('airline traffic through the SDK tracing pipeline', () => {
  it('records guardrail, delegation (tool) and conditional-handoff spans, with the processor passed to the run helper', async () => {
    const file = join(dir, 'airline.jsonl');
    // No processors (not even the OpenAI exporter); the run helper's traceProcessors option registers ours.
    setTraceProcessors([]);
    setTracingDisabled(false);
    const processor = new JsonlTraceProcessor({ file });
    const traceProcessors = [processor];
    try {
      // 1: routed to seat booking (the predicate allows it before boarding), which answers.
      await runAirline('I want to change my seat', { context: newAirlineContext(), modelProvider: new TracingScriptedModelProvider([() => [call('transfer_to_Seat_Booking_Agent', {})], () => [say('Which seat would you like?')]]), tracingDisabled: false, traceProcessors });
      // 2: triage asks the flight-status agent as a tool, then answers itself.
      await runAirline('Is FLT-123 on time?', {
        context: newAirlineContext(),
        modelProvider: new TracingScriptedModelProvider([
          () => [call('Flight_Status_Agent', { input: 'FLT-123' })],
          () => [call('get_flight_status', { flight_number: 'FLT-123' })],
          () => [say(JSON.stringify({ flight_number: 'FLT-123', status: 'on time', gate: 'A10' }))],
          () => [say('FLT-123 is on time at gate A10.')],
        ]),
        tracingDisabled: false,
        traceProcessors,
      });
      // 3: the relevance guardrail trips.
      await expect(runAirline('Write me a poem about clouds', { context: newAirlineContext(), modelProvider: new TracingScriptedModelProvider([() => [say('…')]]), tracingDisabled: false, traceProcessors })).rejects.toBeInstanceOf(InputGuardrailTripwireTriggered);
    } finally {
      setTraceProcessors([]);
      setTracingDisabled(true);
    }
    const parsed = parseTraceText(readFileSync(file, 'utf8'), 'airline.jsonl');
    expect(parsed.errors).toEqual([]);
    // Registered once although passed to three runs: every record is written once.
    expect(readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"trace_start"'))).toHaveLength(3);
    const report = analyseTraffic(validateFile(fromRoot('topologies/airline.yaml')).topology!, parsed.traces, { prices: DEFAULT_PRICES });
    expect(report.conversations).toBe(3);
    expect(report.routes.map((r) => [r.route, r.conversations])).toEqual([['faq', 0], ['seat_booking', 1], ['stay', 2]]);
    expect(report.guardrailsTriggered).toEqual({ relevance: 1 });
    const functions = parsed.traces.flatMap((t) => t.spans.filter((s) => s.kind === 'function').map((s) => s.data.name));
    expect(functions).toEqual(['get_flight_status', 'Flight_Status_Agent']);
  }, 60_000);
});
