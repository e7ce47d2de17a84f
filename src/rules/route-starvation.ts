import { defineRule } from './define.js';
import { indexOf, reachableFrom } from '../model/queries.js';
import type { Edge } from '../model/types.js';
import { outgoingOf } from '../analysis/routes.js';

/**
 * Statically known starvation: an agent the entry reaches only through edges declared `enabled: false`.
 * Predicates (`enabled: path#export`) are decided at run time, so they count as live here; the
 * `routes` command marks routes through them as conditional instead.
 */
export default defineRule({
  id: 'route-starvation',
  defaultSeverity: 'warning',
  description: 'No agent is reachable only through handoffs that are `enabled: false`.',
  docs: 'An edge with `enabled: false` is compiled with `isEnabled: false`: the SDK never offers it to the model. An agent that the entry reaches only through such edges (directly, or through agents that are themselves starved) receives no traffic, however good its prompt. Enable one of the edges, gate it with a predicate (`enabled: path#export`) if it should only sometimes be offered, or remove the agent. Predicates cannot be evaluated statically, so routes through them are not reported; `switchboard routes` lists them as conditional.',
  check({ topology, report }) {
    const { agents } = indexOf(topology);
    const entry = topology.entry.value;
    if (!agents.has(entry)) return;
    const everywhere = reachableFrom(topology, entry);
    const live = liveReach(entry, topology.edges);
    for (const agent of topology.agents) {
      if (!everywhere.has(agent.id) || live.has(agent.id)) continue; // unreachable is the `reachable` rule's finding
      const disabled = topology.edges.filter((e) => e.to.value === agent.id && e.enabled?.kind === 'static' && !e.enabled.value);
      report({
        pointer: agent.pointer,
        onKey: true,
        message: `agent \`${agent.id}\` is only reachable through handoffs with \`enabled: false\`; it never runs`,
        hint: 'enable one of the edges, or gate it with a predicate (`enabled: path#export`)',
        related: disabled.map((e) => ({ pointer: e.enabled!.pointer, message: `\`${e.from.value}\` → \`${e.to.value}\` is disabled here` })),
      });
    }
  },
});

function liveReach(start: string, edges: readonly Edge[]): Set<string> {
  const outgoing = outgoingOf(edges.filter((e) => !(e.enabled?.kind === 'static' && !e.enabled.value)));
  const seen = new Set([start]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    for (const edge of outgoing.get(queue[head]!) ?? []) {
      if (seen.has(edge.to.value)) continue;
      seen.add(edge.to.value);
      queue.push(edge.to.value);
    }
  }
  return seen;
}
