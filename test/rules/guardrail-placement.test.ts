import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build-model.js';
import { runRules } from '../../src/validate.js';
import entryInputGuardrail from '../../src/rules/entry-input-guardrail.js';
import guardrailPlacement from '../../src/rules/guardrail-placement.js';

const files = { root: '/project', baseDir: '/project', byReference: new Map() };
const guard = 'guards.ts#relevance';

function run(agents: Record<string, unknown>, handoffs: unknown[], extra: Record<string, unknown> = {}) {
  const data = { version: 1, name: 'demo', entry: 'triage', customerFacing: true, agents, handoffs, ...extra };
  return runRules(buildModel(data, 'demo.yaml')!, files, [entryInputGuardrail, guardrailPlacement]).map((d) => ({ ruleId: d.ruleId, pointer: d.pointer, hint: d.hint }));
}

describe('guardrail-placement with entry-input-guardrail', () => {
  it('tells the customer-facing entry to take over the guardrail a specialist cannot run', () => {
    expect(run({ triage: { instructions: 'Route.' }, billing: { instructions: 'Bill.', inputGuardrails: [guard] } }, [{ from: 'triage', to: 'billing' }])).toEqual([
      { ruleId: 'entry-input-guardrail', pointer: '/agents/triage', hint: 'move the input guardrails of `billing` here: the SDK runs input guardrails only for the agent a run starts with' },
      { ruleId: 'guardrail-placement', pointer: '/agents/billing/inputGuardrails/0', hint: 'runs start at the entry agent `triage`: move the guardrail to its `inputGuardrails`' },
    ]);
  });

  it('an output guardrail on a forced-handoff agent runs once a handoff can lead back to it', () => {
    const agents = { triage: { instructions: 'Route.', inputGuardrails: [guard], outputGuardrails: [guard], modelSettings: { toolChoice: 'transfer_to_billing' } }, billing: { instructions: 'Bill.' } };
    expect(run(agents, [{ from: 'triage', to: 'billing' }]).map((d) => d.pointer)).toEqual(['/agents/triage/outputGuardrails/0']);
    expect(run(agents, [{ from: 'triage', to: 'billing' }, { from: 'billing', to: 'triage', handback: true }])).toEqual([]);
  });

  it('a forced choice of a function tool lets the agent finish', () => {
    const agents = { triage: { instructions: 'Route.', inputGuardrails: [guard], outputGuardrails: [guard], modelSettings: { toolChoice: 'required' }, tools: ['lookup'] }, billing: { instructions: 'Bill.' } };
    const tools = { lookup: { description: 'Look up.', parameters: { type: 'object', properties: {}, required: [], additionalProperties: false }, implementation: 'a.ts#b' } };
    expect(run(agents, [{ from: 'triage', to: 'billing' }], { tools })).toEqual([]);
  });
});
