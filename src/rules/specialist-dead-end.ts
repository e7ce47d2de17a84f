import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';

export default defineRule({
  id: 'specialist-dead-end',
  defaultSeverity: 'warning',
  description: 'Every specialist can hand back to the entry agent or escalate to a human.',
  docs: 'A specialist with neither a hand-back edge nor a human-escalation tool traps a caller whose request turns out to be for someone else. Add `handback: true` edge to the entry, or give it a tool of `kind: human-escalation`.',
  check({ topology, report }) {
    const { agents, tools, outgoing } = indexOf(topology);
    const entry = topology.entry.value;
    if (!agents.has(entry)) return; // entry-exists reports it
    // An agent only ever delegated to runs as a tool and returns on its own; it cannot strand a caller.
    const handedTo = new Set(topology.edges.filter((e) => e.kind === 'handoff').map((e) => e.to.value));
    for (const agent of topology.agents) {
      if (agent.id === entry || (!handedTo.has(agent.id) && topology.edges.some((e) => e.to.value === agent.id))) continue;
      const handsBack = (outgoing.get(agent.id) ?? []).some((e) => e.to.value === entry);
      const escalates = agent.tools.some((t) => tools.get(t.value)?.kind === 'human-escalation');
      if (handsBack || escalates) continue;
      report({
        pointer: agent.pointer,
        onKey: true,
        message: `agent \`${agent.id}\` can neither hand back to \`${entry}\` nor escalate to a human`,
        hint: `add an edge \`from: ${agent.id}\`, \`to: ${entry}\`, \`handback: true\`, or a human-escalation tool`,
      });
    }
  },
});
