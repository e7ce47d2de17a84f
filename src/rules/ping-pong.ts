import { defineRule } from './define.js';
import { liveEdges } from '../analysis/routes.js';

/**
 * Two agents with handoff edges both ways and neither a hand-back: inside one run (no user turn) each
 * can pass the caller to the other until maxTurns ends the run. A star's hand-back to the entry is the
 * designed return (the entry asks the caller what else they need), so those pairs are not reported.
 */
export default defineRule({
  id: 'ping-pong',
  defaultSeverity: 'warning',
  description: 'No two agents can hand the conversation to each other except through a hand-back.',
  docs: 'When A can hand off to B and B to A, a model that is unsure can bounce the caller between them with no user turn in between; each handoff costs a turn, and the SDK ends the loop only with MaxTurnsExceededError (10 turns by default). A hand-back edge to the entry (`handback: true`) is exempt: it is the designed return, and the entry\'s instructions decide what happens next. Mark the return edge `handback: true` if it goes back to the entry, or remove one direction (conditional `enabled` predicates still count: they cannot be decided statically). `switchboard routes` lists every such pair.',
  check({ topology, report }) {
    const edges = liveEdges(topology).filter((e) => e.kind === 'handoff' && !e.handback);
    // The first ordinary edge per direction, so a pair is found in one pass (a hub may have thousands).
    const first = new Map<string, { edge: (typeof edges)[number]; index: number }>();
    edges.forEach((edge, index) => {
      const key = `${edge.from.value}\u0000${edge.to.value}`;
      if (!first.has(key)) first.set(key, { edge, index });
    });
    const reported = new Set<string>();
    for (const [index, back] of edges.entries()) {
      if (back.from.value === back.to.value) continue;
      const forward = first.get(`${back.to.value}\u0000${back.from.value}`);
      if (!forward || forward.index > index) continue;
      const key = [back.from.value, back.to.value].sort().join('\u0000');
      if (reported.has(key)) continue;
      reported.add(key);
      report({
        pointer: back.to.pointer,
        message: `\`${back.from.value}\` and \`${back.to.value}\` can hand the caller to each other with no user turn between (ping-pong until maxTurns)`,
        hint: back.to.value === topology.entry.value ? 'mark this edge `handback: true` if it returns the caller to the entry' : 'remove one direction, or route the return through the entry with a hand-back',
        related: [{ pointer: forward.edge.to.pointer, message: `\`${forward.edge.from.value}\` → \`${forward.edge.to.value}\`` }],
      });
    }
  },
});
