/**
 * Benchmark 5: what the argument check costs per tool call. The generated `run_webhook_diagnostic`
 * (a pattern, an enum and two date-time formats) against the same tool built without the check, both
 * called through the SDK's own `invoke` (JSON parse, strict-schema input normalisation, execute), in
 * alternating rounds of the same process. The model call that precedes every tool call takes hundreds
 * of milliseconds; this is the part the check adds.
 */
import { performance } from 'node:perf_hooks';
import { RunContext, tool, type FunctionTool } from '@openai/agents';
import { runWebhookDiagnosticTool } from '../generated/support-desk/agents.js';
import { runWebhookDiagnostic } from '../topologies/support-desk/tech.js';

const CALLS = 5_000;
const ROUNDS = 9;
const args = JSON.stringify({ webhookUrl: 'https://hooks.example.com/calls', eventType: 'call.ended', windowStart: '2026-11-20T09:00:00Z', windowEnd: '2026-11-20T17:00:00Z' });
const unchecked = tool({
  name: runWebhookDiagnosticTool.name,
  description: runWebhookDiagnosticTool.description,
  parameters: runWebhookDiagnosticTool.parameters as never,
  strict: true,
  execute: (input) => runWebhookDiagnostic(input as never),
});
const context = new RunContext();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function perCall(subject: Pick<FunctionTool<any, any, any>, "invoke">): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) await subject.invoke(context, args);
  return ((performance.now() - start) * 1000) / CALLS;
}

const validated: number[] = [];
const unvalidated: number[] = [];
await perCall(runWebhookDiagnosticTool);
await perCall(unchecked);
for (let round = 0; round < ROUNDS; round++) {
  validated.push(await perCall(runWebhookDiagnosticTool));
  unvalidated.push(await perCall(unchecked));
}
const [withCheck, without] = [median(validated), median(unvalidated)];
console.log(
  `5. one tool call through the SDK's invoke (run_webhook_diagnostic): validated ${withCheck.toFixed(1)} µs vs unvalidated ${without.toFixed(1)} µs ` +
    `→ ${(withCheck / without).toFixed(2)}×, +${(withCheck - without).toFixed(1)} µs per call (medians of ${ROUNDS} rounds of ${CALLS} calls)`,
);
