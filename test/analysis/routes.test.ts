import { describe, expect, it } from 'vitest';
import { MaxTurnsExceededError } from '@openai/agents';
import { analyseRoutes, pivotBudget } from '../../src/analysis/routes.js';
import { routeText } from '../../src/analysis/format-routes.js';
import { findingAnnotations } from '../../src/analysis/annotate.js';
import { emitFlowchart } from '../../src/emit/mermaid/emit-flowchart.js';
import { validateFile, validateSource } from '../../src/validate.js';
import { runSupportDesk } from '../../generated/support-desk/index.js';
import { call, say, ScriptedModelProvider, type ScriptStep } from '../helpers/scripted-model.js';
import { fromRoot } from '../helpers/paths.js';

const supportDesk = () => validateFile(fromRoot('topologies/support-desk.yaml')).topology!;

describe('analyseRoutes', () => {
  it('lists every route from the entry of the support desk, with hand-back cycles', () => {
    const analysis = analyseRoutes(supportDesk());
    expect(analysis.routes.map((r) => [routeText(r), r.handoffs, r.turns, r.cycle])).toEqual([
      ['triage → billing', 1, 2, false],
      ['triage → billing ⇢ triage', 2, 3, true],
      ['triage → tech', 1, 2, false],
      ['triage → tech ⇢ triage', 2, 3, true],
      ['triage → sales', 1, 2, false],
      ['triage → sales ⇢ triage', 2, 3, true],
    ]);
    expect(analysis.handbackCycles).toHaveLength(3);
    expect(analysis.pingPong.map((p) => [p.a, p.b, p.handback])).toEqual([['triage', 'billing', true], ['triage', 'tech', true], ['triage', 'sales', true]]);
    expect(analysis.unboundedChains).toBe(true);
    expect(analysis.advice[0]).toBe('A caller who pivots twice needs 6 turns (9 with one tool call per specialist); maxTurns 10 allows 4 pivots (2 with one tool call each).');
  });

  it('computes the pivot budget and advises raising maxTurns when it is too small', () => {
    expect(pivotBudget(10, 0, true)).toMatchObject({ baseTurns: 2, turnsPerPivot: 2, maxPivots: 4 });
    expect(pivotBudget(10, 1, true)).toMatchObject({ baseTurns: 3, turnsPerPivot: 3, maxPivots: 2 });
    expect(pivotBudget(1, 0, true).maxPivots).toBe(0);
    expect(pivotBudget(10, 0, false).maxPivots).toBe(-1);
    const analysis = analyseRoutes(supportDesk(), { maxTurns: 6 });
    expect(analysis.advice[1]).toBe('Raise maxTurns to at least 9 (runSupportDesk(input, { maxTurns })) so twice-pivoting callers with a tool call per visit do not hit MaxTurnsExceededError.');
  });

  it('matches the SDK: two pivots cost 6 turns, so maxTurns 6 passes and 5 fails', async () => {
    const script = (): ScriptStep[] => [
      () => [call('transfer_to_BillingAgent', { reason: 'Invoice question.' })],
      () => [call('transfer_to_Triage_Agent', {})],
      () => [call('transfer_to_TechSupportAgent', { reason: 'Webhooks.' })],
      () => [call('transfer_to_Triage_Agent', {})],
      () => [call('transfer_to_SalesAgent', { reason: 'Pricing.' })],
      () => [say('Here is a quote.')],
    ];
    const turns = analyseRoutes(supportDesk()).pivots[0]!;
    const needed = turns.baseTurns + 2 * turns.turnsPerPivot;
    expect(needed).toBe(6);
    const ok = await runSupportDesk('invoice, then webhooks, then prices', { modelProvider: new ScriptedModelProvider(script()), tracingDisabled: true, maxTurns: needed });
    expect(ok.lastAgent?.name).toBe('SalesAgent');
    await expect(runSupportDesk('invoice, then webhooks, then prices', { modelProvider: new ScriptedModelProvider(script()), tracingDisabled: true, maxTurns: needed - 1 })).rejects.toBeInstanceOf(MaxTurnsExceededError);
  });

  it('finds ping-pong pairs without a hand-back and the longest chain in a mesh', () => {
    const yaml = ['version: 1', 'name: mesh', 'policy: mesh', 'entry: a', 'agents:', '  a: { instructions: Route. }', '  b: { instructions: B., handoffDescription: B things. }', '  c: { instructions: C., handoffDescription: Looks up the weather forecast. }', 'handoffs:', '  - { from: a, to: b }', '  - { from: b, to: c }', '  - { from: c, to: b }', ''].join('\n');
    const result = validateSource(yaml, fromRoot('test/fixtures/mesh.yaml'));
    const analysis = analyseRoutes(result.topology!);
    expect(analysis.pingPong.map((p) => [p.a, p.b, p.handback])).toEqual([['b', 'c', false]]);
    expect(routeText(analysis.longestChain!)).toBe('a → b → c');
    expect(analysis.advice).toContain('1 pair of agents can hand to each other with no hand-back between: b ↔ c.');
    expect(result.diagnostics.map((d) => d.ruleId)).toContain('ping-pong');
    // The finding is drawn on the edge that closes the pair.
    const diagram = emitFlowchart(result.topology!, { annotations: findingAnnotations(result.topology!, result.diagnostics) });
    expect(diagram).toContain('agent_c agent_c__to__b@-->|"⚠ ping-pong"| agent_b');
    expect(diagram).toContain('class agent_c__to__b finding');
  });

  it('counts a structured output as a way out for specialist-dead-end, and lists delegations', () => {
    const yaml = (output: string) =>
      ['version: 1', 'name: out', 'entry: a', 'agents:', '  a: { instructions: Route. }', `  b: { instructions: B., handoffDescription: Books a table at a restaurant.${output} }`, '  c: { instructions: C., handoffDescription: Looks up the weather forecast. }', 'handoffs:', '  - { from: a, to: b }', '  - { from: a, to: c, kind: delegate }', ''].join('\n');
    const ids = (text: string) => validateSource(text, fromRoot('test/fixtures/out.yaml')).diagnostics.map((d) => d.ruleId);
    expect(ids(yaml(''))).toEqual(['specialist-dead-end']);
    expect(ids(yaml(', output: { type: object, properties: { done: { type: boolean } }, required: [done], additionalProperties: false }'))).toEqual([]);
    const analysis = analyseRoutes(validateSource(yaml(''), fromRoot('test/fixtures/out.yaml')).topology!);
    expect(analysis.routes.map((r) => [routeText(r), r.handoffs, r.turns])).toEqual([['a → b', 1, 2], ['a ⇒ c', 0, 2]]);
    expect(routeText(analysis.longestChain!)).toBe('a → b');
  });

  it('leaves the default diagram unchanged without annotations', () => {
    const topology = supportDesk();
    expect(emitFlowchart(topology, { annotations: undefined })).toBe(emitFlowchart(topology));
    expect(emitFlowchart(topology)).not.toContain('classDef finding');
  });
});
