import { describe, expect, it } from 'vitest';
import { Agent, handoff, Runner, type InputGuardrail, type OutputGuardrail } from '@openai/agents';
import { RULES } from '../../src/rules/index.js';
import { checkInstalledSdk, SDK_RANGE } from '../../src/emit/sdk-version.js';
import { ScriptedModelProvider, call, say } from '../helpers/scripted-model.js';
import { repoRoot } from '../helpers/paths.js';

/**
 * Rules whose meaning depends on SDK behaviour declare the @openai/agents range they encode. These
 * tests run that behaviour on the INSTALLED SDK, so bumping the SDK re-checks every such rule, and a
 * rule cannot claim a range other than the one the generated code is written for.
 */
const sdkRules = RULES.filter((rule) => rule.sdk);

describe('SDK-dependent rules', () => {
  it('declare the SDK range the generated code targets, and the installed SDK is in it', () => {
    expect(sdkRules.map((r) => r.id).sort()).toEqual(['guardrail-placement', 'strict-input-schema']);
    for (const rule of sdkRules) {
      expect(rule.sdk!.range).toBe(SDK_RANGE.text);
      expect(rule.docs).toContain(`@openai/agents ${SDK_RANGE.text}`);
    }
    expect(checkInstalledSdk(repoRoot)).toMatchObject({ status: 'ok' });
  });
});

/** Guardrails that record the agents they ran for. */
function recorder() {
  const ran: string[] = [];
  const input = (name: string): InputGuardrail => ({ name, execute: async () => (ran.push(`in:${name}`), { outputInfo: null, tripwireTriggered: false }) });
  const output = (name: string): OutputGuardrail => ({ name, execute: async () => (ran.push(`out:${name}`), { outputInfo: null, tripwireTriggered: false }) });
  return { ran, input, output };
}

describe('guardrail-placement encodes the installed SDK', () => {
  it('runs input guardrails for the first agent only, and output guardrails for the agent that finishes', async () => {
    const { ran, input, output } = recorder();
    const billing = new Agent({ name: 'billing', instructions: 'Bill.', inputGuardrails: [input('billing')], outputGuardrails: [output('billing')] });
    const triage = new Agent({ name: 'triage', instructions: 'Route.', handoffs: [billing], inputGuardrails: [input('triage')], outputGuardrails: [output('triage')] });
    const provider = new ScriptedModelProvider([() => [call('transfer_to_billing', {})], () => [say('Your invoice is paid.')]]);
    const result = await new Runner({ modelProvider: provider, tracingDisabled: true }).run(triage, 'Is my invoice paid?');
    expect(result.finalOutput).toBe('Your invoice is paid.');
    expect(ran.sort()).toEqual(['in:triage', 'out:billing']);
  });

  it('runs the input and output guardrails of an agent used as a tool (delegate edge)', async () => {
    const { ran, input, output } = recorder();
    const kb = new Agent({ name: 'kb', instructions: 'Search.', inputGuardrails: [input('kb')], outputGuardrails: [output('kb')] });
    const triage = new Agent({ name: 'triage', instructions: 'Route.', tools: [kb.asTool({ toolName: 'kb', toolDescription: 'Search the help centre.' })] });
    const provider = new ScriptedModelProvider([() => [call('kb', { input: 'reset password' })], () => [say('Article 12.')], () => [say('See article 12.')]]);
    await new Runner({ modelProvider: provider, tracingDisabled: true }).run(triage, 'How do I reset my password?');
    expect(ran.sort()).toEqual(['in:kb', 'out:kb']);
  });

  it('resets a forced tool choice once the agent has used a tool', async () => {
    const billing = new Agent({ name: 'billing', instructions: 'Bill.' });
    const triage = new Agent({ name: 'triage', instructions: 'Route.', modelSettings: { toolChoice: 'required' }, handoffs: [billing] });
    billing.handoffs = [triage];
    const provider = new ScriptedModelProvider([() => [call('transfer_to_billing', {})], () => [call('transfer_to_triage', {})], () => [say('Anything else?')]]);
    const result = await new Runner({ modelProvider: provider, tracingDisabled: true }).run(triage, 'Hi');
    expect(provider.requests.map((r) => r.request.modelSettings.toolChoice)).toEqual(['required', undefined, undefined]);
    expect(result.lastAgent?.name).toBe('triage');
  });
});

describe('strict-input-schema encodes the installed SDK', () => {
  it('handoff() forces strict mode on an input type', () => {
    const target = new Agent({ name: 'billing', instructions: 'Bill.' });
    const parameters = { type: 'object', properties: { reason: { type: 'string' } }, required: ['reason'], additionalProperties: false } as const;
    const edge = handoff(target, { inputType: { type: 'json_schema', name: 'Reason', strict: false, schema: parameters } as never, onHandoff: () => {} });
    expect(edge.strictJsonSchema).toBe(true);
  });
});
