import { defineRule } from './define.js';
import { indexOf, reachableFrom } from '../model/queries.js';

export default defineRule({
  id: 'reachable',
  defaultSeverity: 'error',
  description: 'Every agent is reachable from the entry agent.',
  docs: 'An agent that no chain of handoffs from the entry reaches can never run: it is dead configuration, or a missing edge. Add an edge to it (usually from the entry) or delete it.',
  check({ topology, report }) {
    const entry = topology.entry.value;
    if (!indexOf(topology).agents.has(entry)) return;
    const reached = reachableFrom(topology, entry);
    for (const agent of topology.agents) {
      if (reached.has(agent.id)) continue;
      report({
        pointer: agent.pointer,
        onKey: true,
        message: `agent \`${agent.id}\` is not reachable from the entry agent \`${entry}\``,
        hint: `add an edge \`from: ${entry}\`, \`to: ${agent.id}\`, or remove the agent`,
      });
    }
  },
});
