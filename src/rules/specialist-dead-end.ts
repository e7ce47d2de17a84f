import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';
import type { Agent, Topology } from '../model/types.js';

/**
 * A specialist with no way out: it cannot hand back to the entry, escalate to a human, or end the run
 * with a declared structured output. Agents only ever delegated to run as tools and return on their
 * own, so they are never dead ends.
 */
export function isDeadEnd(topology: Topology, agent: Agent): boolean {
  const { tools, outgoing } = indexOf(topology);
  const entry = topology.entry.value;
  if (agent.id === entry) return false;
  const { handedTo, targeted } = targetsOf(topology);
  if (!handedTo.has(agent.id) && targeted.has(agent.id)) return false;
  const handsBack = (outgoing.get(agent.id) ?? []).some((e) => e.to.value === entry);
  const escalates = agent.tools.some((t) => tools.get(t.value)?.kind === 'human-escalation');
  return !handsBack && !escalates && agent.output === undefined;
}

const targetSets = new WeakMap<Topology, { handedTo: Set<string>; targeted: Set<string> }>();

/** Agents that receive a handoff, and agents that are the target of any edge (delegations included). */
function targetsOf(topology: Topology): { handedTo: Set<string>; targeted: Set<string> } {
  let sets = targetSets.get(topology);
  if (!sets) {
    sets = { handedTo: new Set(topology.edges.filter((e) => e.kind === 'handoff').map((e) => e.to.value)), targeted: new Set(topology.edges.map((e) => e.to.value)) };
    targetSets.set(topology, sets);
  }
  return sets;
}

export default defineRule({
  id: 'specialist-dead-end',
  defaultSeverity: 'warning',
  description: 'Every specialist can hand back to the entry agent, escalate to a human, or end with a structured output.',
  docs: 'A specialist with neither a hand-back edge nor a human-escalation tool traps a caller whose request turns out to be for someone else. Add `handback: true` edge to the entry, or give it a tool of `kind: human-escalation`. A specialist that declares a structured `output` ends the run with a final output the application acts on, which counts as a way out.',
  check({ topology, report }) {
    const entry = topology.entry.value;
    if (!indexOf(topology).agents.has(entry)) return; // entry-exists reports it
    for (const agent of topology.agents) {
      if (!isDeadEnd(topology, agent)) continue;
      report({
        pointer: agent.pointer,
        onKey: true,
        message: `agent \`${agent.id}\` can neither hand back to \`${entry}\` nor escalate to a human`,
        hint: `add an edge \`from: ${agent.id}\`, \`to: ${entry}\`, \`handback: true\`, a human-escalation tool, or a structured \`output\``,
      });
    }
  },
});
