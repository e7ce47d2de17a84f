import { defineRule } from './define.js';
import { liveEdges, outgoingOf } from '../analysis/routes.js';
import type { Edge } from '../model/types.js';

export const DEFAULT_CHAIN_DEPTH = 3;
/** Paths explored before the search gives up (a dense mesh has exponentially many). */
const SEARCH_LIMIT = 20_000;

export default defineRule({
  id: 'chain-depth',
  defaultSeverity: 'warning',
  description: 'No chain of handoffs from the entry, without repeating an agent, is longer than `rules.chain-depth.max` (default 3).',
  docs: 'Every handoff costs one model call (an SDK turn) before anyone answers the caller, adds latency, and is one more routing decision that can go wrong; the run fails with MaxTurnsExceededError after `maxTurns` (default 10) calls. The rule follows handoff edges from the entry without visiting an agent twice (hand-backs that return to an agent already on the chain end it) and reports the edge that makes a chain longer than the limit. Configure the limit with `rules: { chain-depth: { max: 4 } }`; `switchboard routes --depth` lists the chains.',
  check({ topology, options, report }) {
    const max = typeof options.max === 'number' && options.max >= 1 ? Math.floor(options.max) : DEFAULT_CHAIN_DEPTH;
    const outgoing = outgoingOf(liveEdges(topology).filter((e) => e.kind === 'handoff'));
    const entry = topology.entry.value;
    const reported = new Set<Edge>();
    let explored = 0;
    const walk = (path: string[]) => {
      if (explored++ > SEARCH_LIMIT) return;
      for (const edge of outgoing.get(path[path.length - 1]!) ?? []) {
        if (path.includes(edge.to.value)) continue;
        if (path.length === max + 1) {
          if (reported.has(edge)) continue;
          reported.add(edge);
          report({
            pointer: edge.to.pointer,
            message: `the chain ${[...path, edge.to.value].join(' → ')} is ${path.length} handoffs deep, more than ${max}: ${path.length + 1} turns before anyone answers`,
            hint: 'route through the entry with a hand-back, or raise `rules.chain-depth.max`',
          });
        } else walk([...path, edge.to.value]);
      }
    };
    if (outgoing.has(entry)) walk([entry]);
  },
});
