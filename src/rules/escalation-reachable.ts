import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';
import { liveEdges } from '../analysis/routes.js';
import { isDeadEnd } from './specialist-dead-end.js';

export default defineRule({
  id: 'escalation-reachable',
  defaultSeverity: 'warning',
  description: 'When the topology has a human escape hatch, every specialist can reach it (within `rules.escalation-reachable.maxHops` handoffs, default any).',
  docs: 'A tool of `kind: human-escalation` is the escape hatch for callers the agents must not handle alone. A specialist that neither holds such a tool nor can hand the caller (through live edges, hand-backs included) to an agent that holds one strands the angry or urgent caller. By default any chain of handoffs counts; `rules: { escalation-reachable: { maxHops: 0 } }` requires every specialist to hold the tool itself, and `maxHops: 1` allows one handoff (for example a hand-back to an entry that escalates). Give the specialist the escalation tool, or an edge towards an agent that has it. Specialists with no way out at all are reported by `specialist-dead-end` instead.',
  check({ topology, options, report }) {
    const { agents, tools } = indexOf(topology);
    const entry = topology.entry.value;
    if (!agents.has(entry)) return;
    const maxHops = typeof options.maxHops === 'number' && options.maxHops >= 0 ? Math.floor(options.maxHops) : Infinity;
    const escalates = (id: string) => agents.get(id)?.tools.some((t) => tools.get(t.value)?.kind === 'human-escalation') ?? false;
    const holders = topology.agents.filter((a) => escalates(a.id));
    if (holders.length === 0) return; // no escape hatch declared: nothing to reach
    const edges = liveEdges(topology).filter((e) => e.kind === 'handoff');
    const handedTo = new Set(edges.map((e) => e.to.value));
    for (const agent of topology.agents) {
      if (agent.id === entry || !handedTo.has(agent.id) || escalates(agent.id) || isDeadEnd(topology, agent)) continue;
      // Breadth-first, so `maxHops` counts the fewest handoffs to an escalating agent.
      const seen = new Set([agent.id]);
      let frontier = [agent.id];
      let found = false;
      for (let hops = 1; hops <= maxHops && frontier.length > 0 && !found; hops++) {
        const next: string[] = [];
        for (const id of frontier) {
          for (const edge of edges) {
            if (edge.from.value !== id || seen.has(edge.to.value)) continue;
            if (escalates(edge.to.value)) found = true;
            seen.add(edge.to.value);
            next.push(edge.to.value);
          }
        }
        frontier = next;
      }
      if (found) continue;
      const within = maxHops === Infinity ? '' : maxHops === 0 ? ' itself' : ` within ${maxHops} handoff${maxHops === 1 ? '' : 's'}`;
      report({
        pointer: agent.pointer,
        onKey: true,
        message: `agent \`${agent.id}\` cannot reach the human escape hatch${within}; ${holders.map((h) => `\`${h.id}\``).join(', ')} can escalate`,
        hint: 'give it a tool of `kind: human-escalation`, or an edge towards an agent that has one',
      });
    }
  },
});
