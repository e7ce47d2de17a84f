/**
 * Twenty scripted support-desk conversations run through the generated run helper with the SDK's real
 * tracing pipeline and only JsonlTraceProcessor registered (no exporter, no network). The test asserts
 * exact counts over them; docs/examples/support-desk.traces.jsonl was written by `writeExampleTraces`.
 */
import { appendFileSync } from 'node:fs';
import { setTraceProcessors, setTracingDisabled, MaxTurnsExceededError, type TracingProcessor } from '@openai/agents';
import { runSupportDesk } from '../../generated/support-desk/index.js';
import { JsonlTraceProcessor } from '../../src/tracing/jsonl-processor.js';
import { call, say, type ScriptStep } from '../helpers/scripted-model.js';
import { TracingScriptedModelProvider } from '../helpers/tracing-model.js';

const toBilling = (reason: string): ScriptStep => () => [call('transfer_to_BillingAgent', { reason })];
const toTech = (reason: string): ScriptStep => () => [call('transfer_to_TechSupportAgent', { reason })];
const toSales = (reason: string): ScriptStep => () => [call('transfer_to_SalesAgent', { reason })];
const back: ScriptStep = () => [call('transfer_to_Triage_Agent', {})];
const answer = (text: string): ScriptStep => () => [say(text)];
const escalate: ScriptStep = () => [call('escalate_to_human', { reason: 'Outage on our side', urgency: 'high', summary: 'Calls drop after 30 seconds since this morning.', callbackNumber: null })];
const lookup: ScriptStep = () => [call('lookup_invoice', { invoiceId: 'INV-1042' })];

export interface Scenario {
  readonly input: string;
  readonly steps: readonly ScriptStep[];
  readonly maxTurns?: number;
}

export const SCENARIOS: readonly Scenario[] = [
  // billing: 8 conversations (one of them bounces billing ↔ triage, two hand back)
  { input: 'I was charged twice for invoice INV-1042, please refund one.', steps: [toBilling('Double charge on INV-1042.'), lookup, answer('I see two charges; I have started a refund.')] },
  { input: 'Can you email a copy of invoice INV-2231 to ap@example.com?', steps: [toBilling('Wants an invoice copy.'), answer('Sent.')] },
  { input: 'We want to move from the scale plan down to growth next month.', steps: [toBilling('Plan downgrade.'), answer('Done from next month.')] },
  { input: "There's a charge of 480 dollars I don't recognise.", steps: [toBilling('Unrecognised charge.'), answer('That is your annual renewal.')] },
  { input: 'Our invoice is missing our VAT number.', steps: [toBilling('VAT number missing.'), answer('Reissued with the VAT number.')] },
  { input: 'I was charged twice for invoice INV-1042, please refund one.', steps: [toBilling('Double charge on INV-1042.'), answer('Refund started.')] },
  { input: 'Refund my last invoice, and my webhooks are failing too. Call me on +44 20 7946 0958.', steps: [toBilling('Refund request.'), back, answer('Anything else I can help with?')] },
  { input: 'Why did my bill go up this month?', steps: [toBilling('Bill went up.'), back, toBilling('Bill went up.'), answer('Your seats went from 8 to 10.')] },
  // tech: 7 conversations (two escalate, one exhausts maxTurns by bouncing)
  { input: 'Calls keep dropping after about 30 seconds.', steps: [toTech('Dropped calls.'), escalate, answer('A human operator will call you back.')] },
  { input: 'All our calls fail since this morning, we cannot take any calls!', steps: [toTech('Outage.'), escalate, answer('Escalated as high urgency.')] },
  { input: 'Our webhook for call.ended stopped arriving yesterday.', steps: [toTech('Webhook delivery.'), answer('Your endpoint returned 500s; fix it and we retry.')] },
  { input: 'Where can I see the call log for CALL-7Q2XK9?', steps: [toTech('Call log.'), answer('In the dashboard under Calls.')] },
  { input: 'The audio is choppy on every call.', steps: [toTech('Audio quality.'), answer('Switch to the Opus codec.')] },
  { input: 'Our CRM integration is not logging calls any more.', steps: [toTech('Integration fault.'), answer('Reconnect the CRM app.')] },
  { input: 'My calls fail and I also think I was overcharged, which is it?', steps: [toTech('Failed calls.'), back, toTech('Failed calls.'), back], maxTurns: 3 },
  // sales: 1 conversation
  { input: 'How much is the growth plan for 25 seats, billed annually? I am jane.doe@example.org, 415-555-0123.', steps: [toSales('Price quote.'), answer('That is 5,250 dollars a year.')] },
  // stay: 4 conversations the entry answers itself
  { input: 'Hello?', steps: [answer('Hello, what can I help you with today?')] },
  { input: 'Hi there', steps: [answer('Hi, what do you need help with?')] },
  { input: 'Write me a poem about telephones.', steps: [answer('I can only help with your phone service.')] },
  { input: 'Hello?', steps: [answer('Hello, what can I help you with today?')] },
];

/** Run every scenario with tracing into `file`; returns how many ended in MaxTurnsExceededError. */
export async function runScenarios(file: string, sdkFormatFile?: string): Promise<number> {
  setTraceProcessors([new JsonlTraceProcessor({ file, captureInput: true }), ...(sdkFormatFile ? [sdkFormatWriter(sdkFormatFile)] : [])]);
  setTracingDisabled(false);
  let exceeded = 0;
  try {
    for (const scenario of SCENARIOS) {
      const provider = new TracingScriptedModelProvider([...scenario.steps]);
      try {
        await runSupportDesk(scenario.input, { modelProvider: provider, tracingDisabled: false, ...(scenario.maxTurns ? { maxTurns: scenario.maxTurns } : {}) });
      } catch (error) {
        if (!(error instanceof MaxTurnsExceededError)) throw error;
        exceeded++;
      }
    }
  } finally {
    setTraceProcessors([]);
    setTracingDisabled(true);
  }
  return exceeded;
}

/** Writes what the SDK's exporters send: `Trace.toJSON()` and `Span.toJSON()`, one object per line. */
function sdkFormatWriter(file: string): TracingProcessor {
  const write = (value: object | null) => value && appendFileSync(file, `${JSON.stringify(value)}\n`);
  return {
    onTraceStart: async (trace) => void write(trace.toJSON()),
    onTraceEnd: async () => {},
    onSpanStart: async () => {},
    onSpanEnd: async (span) => void write(span.toJSON()),
    shutdown: async () => {},
    forceFlush: async () => {},
  };
}
