import { describe, expect, it } from 'vitest';
import { previewTopology, nodesFor, edgesFor } from '../../src/preview/snapshot.js';
import { validateFile, validateSource } from '../../src/validate.js';
import { fromRoot } from '../helpers/paths.js';
import { readFileSync } from 'node:fs';

const path = fromRoot('topologies/support-desk.yaml');
const text = readFileSync(path, 'utf8');

describe('preview snapshot', () => {
  it('links pointers to the diagram nodes they are about', () => {
    const { topology } = validateFile(path);
    expect(nodesFor(topology!, '/entry')).toEqual(['agent_triage']);
    expect(nodesFor(topology!, '/agents/billing/tools/0')).toEqual(['agent_billing']);
    expect(nodesFor(topology!, '/handoffs/0/to/1')).toEqual(['agent_tech']);
    expect(nodesFor(topology!, '/handoffs/0/input')).toEqual(['agent_triage', 'agent_billing', 'agent_tech', 'agent_sales']);
    expect(nodesFor(topology!, '/tools/escalate_to_human')).toEqual(['agent_billing', 'agent_tech', 'human']);
    expect(nodesFor(topology!, '/schemas/HandoffReason')).toEqual(['agent_triage', 'agent_billing', 'agent_tech', 'agent_sales']);
    expect(nodesFor(topology!, '/defaults/model')).toEqual([]);
    expect(edgesFor(topology!, '/handoffs/0/to/1')).toEqual([{ from: 'agent_triage', to: 'agent_tech', id: 'agent_triage__to__tech' }]);
    expect(edgesFor(topology!, '/handoffs/1/from').map((e) => e.from)).toEqual(['agent_billing', 'agent_tech', 'agent_sales']);
    expect(edgesFor(topology!, '/agents/billing')).toEqual([]);
  });

  it('keeps the last good diagram while the file has errors, and gives each diagnostic a code frame', () => {
    const good = validateSource(text, path, { displayPath: 'support-desk.yaml' });
    const first = previewTopology(good, undefined);
    expect(first.stale).toBe(false);
    expect(first.agents.map((a) => a.id)).toEqual(['triage', 'billing', 'tech', 'sales']);
    expect(first.agents[1]!.instructions).toMatchObject({ kind: 'file', source: 'support-desk/prompts/billing.md' });
    expect(first.agents[1]!.instructions!.text).toContain('billing specialist');

    const renamed = validateSource(text.replace('name: BillingAgent', 'name: InvoiceAgent').replace('entry: triage', 'entry: triag'), path, { displayPath: 'support-desk.yaml' });
    const shown = previewTopology(renamed, { topology: good.topology! });
    expect(shown.stale).toBe(true);
    expect(shown.diagram).toBe(first.diagram);
    expect(shown.diagnostics).toHaveLength(1);
    const [d] = shown.diagnostics;
    expect(d).toMatchObject({ ruleId: 'entry-exists', line: 9, column: 8, nodes: [], caret: { line: 9, start: 8, end: 13 } });
    expect(d!.frame.map((l) => l.number)).toEqual([8, 9, 10]);

    // With no good version yet, the current model is drawn.
    const fresh = previewTopology(renamed, undefined);
    expect(fresh.stale).toBe(false);
    expect(fresh.diagram).toContain('InvoiceAgent');
    // A file that does not parse has nothing to draw.
    expect(previewTopology(validateSource('agents: [', path), undefined).diagram).toBeUndefined();
  });
});
