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
    // Handoffs from each agent to the nearest holder of an escalation tool: one breadth-first search
    // backwards from every holder at once.
    const incoming = new Map<string, string[]>();
    for (const edge of edges) {
      const list = incoming.get(edge.to.value);
      if (list) list.push(edge.from.value);
      else incoming.set(edge.to.value, [edge.from.value]);
    }
    const hops = new Map(holders.map((h) => [h.id, 0]));
    const queue = holders.map((h) => h.id);
    for (let head = 0; head < queue.length; head++) {
      const id = queue[head]!;
      for (const from of incoming.get(id) ?? []) {
        if (hops.has(from)) continue;
        hops.set(from, hops.get(id)! + 1);
        queue.push(from);
      }
    }
    for (const agent of topology.agents) {
      if (agent.id === entry || !handedTo.has(agent.id) || escalates(agent.id) || isDeadEnd(topology, agent)) continue;
      const found = (hops.get(agent.id) ?? Infinity) <= maxHops;
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
