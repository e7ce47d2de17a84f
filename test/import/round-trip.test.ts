import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Runner, type ModelRequest } from '@openai/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles, importSource } from '../../src/import/index.js';
import { validateFile } from '../../src/validate.js';
import { compileTopology } from '../../src/compile.js';
import * as original from '../fixtures/import/round-trip/wiring.js';
import { call, say, ScriptedModelProvider, type ScriptStep } from '../helpers/scripted-model.js';
import { fromRoot } from '../helpers/paths.js';

// compile(import(code)) behaves like the code: the hand-written wiring and the compiled import of it
// are run with the same scripted model, and what every agent was sent and did is compared.
const fixture = fromRoot('test/fixtures/import/round-trip/wiring.ts');
const scratch = fromRoot(`test/fixtures/import/round-trip/.switchboard-tmp-${process.pid}`);
const yamlPath = join(scratch, 'wiring.yaml');

let compiled: { runWiring: (input: string, options: object) => Promise<{ newItems: unknown[]; finalOutput: unknown; lastAgent?: { name: string } }> };

beforeAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  const result = await importSource(readFileSync(fixture, 'utf8'), fixture, { outFile: yamlPath });
  expect(result.notes).toEqual([]);
  for (const file of importFiles(result, yamlPath)) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
  const validation = validateFile(yamlPath);
  expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const outDir = join(scratch, 'generated');
  for (const file of await compileTopology(validation, { outDir })) {
    mkdirSync(dirname(join(outDir, file.path)), { recursive: true });
    writeFileSync(join(outDir, file.path), file.contents);
  }
  compiled = (await import(join(outDir, 'wiring', 'index.ts'))) as typeof compiled;
}, 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What a request shows the model, without the ids that differ from run to run. */
function seen(entry: { model: string; request: ModelRequest }) {
  const { request } = entry;
  const input = typeof request.input === 'string' ? [request.input] : request.input.map((item) => {
    const { id: _id, callId: _callId, providerData: _p, ...rest } = item as Record<string, unknown>;
    return rest;
  });
  return {
    model: entry.model,
    instructions: request.systemInstructions,
    tools: request.tools.map((t) => (t as { name: string }).name).sort(),
    handoffs: request.handoffs.map((h) => [h.toolName, h.toolDescription]).sort(),
    settings: request.modelSettings.temperature,
    input,
  };
}

function script(): ScriptStep[] {
  return [
    () => [call('transfer_to_Billing_Agent', { reason: 'wants a refund' })],
    () => [call('lookup_invoice', { invoiceId: 'INV-1042', includeLines: null })],
    () => [call('issue_refund', { invoiceId: 'INV-1042', amount: 10, currency: 'EUR' })],
    () => [call('transfer_to_Triage_Agent', {})],
    () => [call('network_status', { input: 'Is the network up?' })],
    () => [call('check_status', {})],
    () => [say('All green.')],
    () => [call('transfer_to_Tech_Agent', {})],
    () => [say('Your calls should work again.')],
  ];
}

function route(items: unknown[]): string[] {
  return items
    .filter((i) => (i as { type: string }).type === 'handoff_output_item')
    .map((i) => `${(i as { sourceAgent: { name: string } }).sourceAgent.name} → ${(i as { targetAgent: { name: string } }).targetAgent.name}`);
}

describe('import round trip: the compiled import runs like the original code', () => {
  it('takes the same handoff path, makes the same tool calls and shows every agent the same input', async () => {
    const originalModel = new ScriptedModelProvider(script());
    original.calls.length = 0;
    const before = await new Runner({ modelProvider: originalModel, tracingDisabled: true }).run(original.triageAgent, 'I was charged twice.', { context: { customerId: 'C-1' } });
    const originalCalls = [...original.calls];

    const importedModel = new ScriptedModelProvider(script());
    original.calls.length = 0;
    const after = await compiled.runWiring('I was charged twice.', { modelProvider: importedModel, tracingDisabled: true, context: { customerId: 'C-1' } });

    expect(originalModel.remaining).toBe(0);
    expect(importedModel.remaining).toBe(0);
    expect(route(after.newItems)).toEqual(route(before.newItems));
    // The billing handoff's removeAllTools filter drops the run items before it, its handoff included.
    expect(route(before.newItems)).toEqual(['Billing Agent → Triage Agent', 'Triage Agent → Tech Agent']);
    expect(original.calls).toEqual(originalCalls);
    expect(originalCalls).toEqual(['logHandoff:wants a refund', 'lookupInvoice:INV-1042:null', 'issueRefund:INV-1042:10:EUR', 'checkStatus', 'markFiltered']);
    expect(importedModel.requests.map(seen)).toEqual(originalModel.requests.map(seen));
    expect(after.finalOutput).toBe(before.finalOutput);
  });
});
