import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { emitFlowchart } from '../../../src/emit/mermaid/emit-flowchart.js';
import { nodeId } from '../../../src/emit/mermaid/escape.js';
import type { Topology } from '../../../src/model/types.js';
import { validateFile } from '../../../src/validate.js';
import { fromRoot } from '../../helpers/paths.js';
import { hasVoiceRuntime } from '../../../src/model/voice.js';
import { SMALL_STAR, validateInline } from './build-topology.js';
import { loadMermaidParser, type MermaidParser } from './parse-mermaid.js';

const EXAMPLES = ['support-desk', 'clinic-scheduling', 'airline', 'support-desk-mcp'];
let parse: MermaidParser;
beforeAll(async () => {
  parse = await loadMermaidParser();
}, 120_000);

function example(name: string): Topology {
  const result = validateFile(fromRoot(`topologies/${name}.yaml`));
  expect(result.diagnostics).toEqual([]);
  return result.topology!;
}

/** The graph a diagram must show, computed from the model independently of the emitter. */
function expectedGraph(topology: Topology) {
  const escalationTools = new Set(topology.tools.filter((t) => t.kind === 'human-escalation').map((t) => t.id));
  const escalating = topology.agents.filter((a) => a.tools.some((t) => escalationTools.has(t.value)));
  const nodes = [...topology.agents.map((a) => nodeId('agent', a.id)), ...(escalating.length > 0 ? ['human'] : []), ...(hasVoiceRuntime(topology) ? ['voice_session'] : [])];
  const edges = [
    ...topology.edges.map((e) => ({ start: nodeId('agent', e.from.value), end: nodeId('agent', e.to.value), stroke: e.kind === 'delegate' ? 'thick' : e.handback ? 'dotted' : 'normal' })),
    ...escalating.map((a) => ({ start: nodeId('agent', a.id), end: 'human', stroke: 'dotted' })),
  ];
  return { nodes, edges };
}

/** Lines in `a` and not in `b` plus lines in `b` and not in `a`, counting repeats. */
function changedLines(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const line of a.split('\n')) counts.set(line, (counts.get(line) ?? 0) + 1);
  for (const line of b.split('\n')) counts.set(line, (counts.get(line) ?? 0) - 1);
  return [...counts.values()].reduce((sum, n) => sum + Math.abs(n), 0);
}

describe('emitFlowchart', () => {
  it.each(EXAMPLES)('matches the golden diagram of %s', async (name) => {
    const text = emitFlowchart(example(name), { source: `topologies/${name}.yaml` });
    await expect(text).toMatchFileSnapshot(`./__goldens__/${name}.mmd`);
  });

  it.each(EXAMPLES)('draws exactly the nodes and edges of %s, and they parse', async (name) => {
    const topology = example(name);
    const parsed = await parse(emitFlowchart(topology));
    const expected = expectedGraph(topology);
    expect([...parsed.nodes.keys()]).toEqual(expected.nodes);
    expect(parsed.edges.map(({ start, end, stroke }) => ({ start, end, stroke }))).toEqual(expected.edges);
  });

  it('shows the voice session, text-only agents and the filters voice does not apply', async () => {
    const result = validateFile(fromRoot('test/fixtures/compile/voice/topology.yaml'));
    const parsed = await parse(emitFlowchart(result.topology!));
    expect(parsed.nodes.get('voice_session')).toBe('voice session\n<small>gpt-realtime · voice cedar · audio pcm16/pcm16 · guardrail noCardNumbers</small>');
    expect(parsed.nodes.get('agent_records')).toContain('text only');
    const desk = await parse(emitFlowchart(example('support-desk')));
    expect(desk.edges.find((e) => e.start === 'agent_triage' && e.end === 'agent_billing')?.text).toBe('HandoffReason · filter clean (not in voice) · onHandoff');
    // The same filter on a text-only topology is drawn as before.
    const text = validateInline(SMALL_STAR);
    expect(emitFlowchart(text.topology)).not.toContain('not in voice');
  });

  it('labels the support-desk nodes and edges with what they carry', async () => {
    const parsed = await parse(emitFlowchart(example('support-desk')));
    expect(parsed.nodes.get('agent_triage')).toBe('Triage Agent (triage)');
    expect(parsed.nodes.get('agent_billing')).toBe('BillingAgent (billing)\n<small>lookup_invoice · issue_refund ⚠approval · change_plan</small>');
    expect(parsed.nodes.get('human')).toBe('Human operator');
    const label = (start: string, end: string) => parsed.edges.find((e) => e.start === start && e.end === end)?.text;
    expect(label('agent_triage', 'agent_billing')).toBe('HandoffReason · filter clean (not in voice) · onHandoff');
    expect(label('agent_billing', 'agent_triage')).toBe('hand back');
    expect(label('agent_tech', 'human')).toBe('escalate_to_human');
    expect(parsed.edges.some((e) => e.start === 'agent_sales' && e.end === 'human')).toBe(false);
  });

  it('labels inline inputs, inline filters and non-entry edges', async () => {
    const { topology } = validateInline(SMALL_STAR);
    const parsed = await parse(emitFlowchart(topology));
    expect(parsed.edges.map((e) => [e.start, e.end, e.stroke, e.text])).toEqual([
      ['agent_hub', 'agent_billing', 'normal', 'Reason · filter clean · onHandoff'],
      ['agent_hub', 'agent_tech_support__2d', 'normal', 'inline input'],
      ['agent_billing', 'agent_hub', 'dotted', 'hand back · filter removeReasoning + keepLast 4'],
      ['agent_tech_support__2d', 'agent_hub', 'dotted', 'hand back · filter removeReasoning + keepLast 4'],
      ['agent_billing', 'human', 'dotted', 'escalate'],
      ['agent_tech_support__2d', 'human', 'dotted', 'escalate'],
    ]);
    expect(parsed.nodes.get('agent_hub')).toBe('Hub (hub)');
    expect(parsed.nodes.get('agent_billing')).toBe('billing\n<small>lookup_invoice · refund ⚠approval</small>');
  });

  it('styles the entry and the human node, has one header line and no timestamps', () => {
    const text = emitFlowchart(example('support-desk'), { source: 'topologies/support-desk.yaml' });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('%% Generated by switchboard from topologies/support-desk.yaml — DO NOT EDIT.');
    expect(lines[1]).toBe('flowchart LR');
    expect(lines).toContain('    style agent_triage fill:#ffd');
    expect(lines).toContain('    style human fill:#fcc');
    expect(emitFlowchart(example('support-desk'), { source: 'topologies/support-desk.yaml' })).toBe(text);
  });

  it('draws no human node without escalation tools, and a plain solid edge between spokes', async () => {
    const { topology } = validateInline(`version: 1
name: mesh
policy: mesh
entry: a
agents:
  a: {}
  b: { handoffDescription: B. }
  c: { handoffDescription: C. }
handoffs:
  - { from: a, to: b }
  - { from: b, to: c }
`);
    const text = emitFlowchart(topology);
    expect(text).not.toContain('human');
    expect(text).toContain('    agent_b --> agent_c\n');
    const parsed = await parse(text);
    expect([...parsed.nodes.keys()]).toEqual(['agent_a', 'agent_b', 'agent_c']);
  });

  it('keeps a header path from ending the comment or forming a directive', async () => {
    const { topology } = validateInline(SMALL_STAR);
    const text = emitFlowchart(topology, { source: 'x\nflowchart TD\n%%{init: {"theme":"dark"}}%%.yaml' });
    expect(text.split('\n')[1]).toBe('flowchart LR');
    expect(text).not.toContain('%%{');
    await parse(text);
  });

  it.each(EXAMPLES)('changes at most two lines of %s when one edge is removed', (name) => {
    const topology = example(name);
    const before = emitFlowchart(topology);
    topology.edges.forEach((_, removed) => {
      const after = emitFlowchart({ ...topology, edges: topology.edges.filter((_, i) => i !== removed) });
      expect(changedLines(before, after)).toBeGreaterThan(0);
      expect(changedLines(before, after)).toBeLessThanOrEqual(2);
    });
  });

  it('changes one line when a target is dropped from a YAML edge list', () => {
    const yaml = readFileSync(fromRoot('topologies/support-desk.yaml'), 'utf8');
    const edited = yaml.replace('to: [billing, tech, sales]', 'to: [billing, sales]');
    expect(edited).not.toBe(yaml);
    const [before, after] = [yaml, edited].map((text) => emitFlowchart(validateInline(text.replaceAll('support-desk/', '../../../topologies/support-desk/')).topology));
    expect(changedLines(before!, after!)).toBe(1);
  });
});
