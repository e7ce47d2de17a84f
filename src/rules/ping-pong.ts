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
  docs: 'When A can hand off to B and B to A, a model that is unsure can bounce the caller between them with no user turn in between; each handoff costs a turn, and the SDK ends the loop only with MaxTurnsExceededError (10 turns by default). A hand-back edge to the entry (`handback: true`) is exempt: it is the designed return, and the entry\'s instructions decide what happens next. Mark the return edge `handback: true`, remove one direction, or make one direction conditional on state that the first handoff changes. `switchboard routes` lists every such pair.',
  check({ topology, report }) {
    const edges = liveEdges(topology).filter((e) => e.kind === 'handoff');
    const reported = new Set<string>();
    for (const back of edges) {
      if (back.handback || back.from.value === back.to.value) continue;
      const forward = edges.find((e) => e !== back && e.from.value === back.to.value && e.to.value === back.from.value && !e.handback);
      if (!forward) continue;
      const key = [back.from.value, back.to.value].sort().join('\u0000');
      if (reported.has(key) || edges.indexOf(forward) > edges.indexOf(back)) continue;
      reported.add(key);
      report({
        pointer: back.to.pointer,
        message: `\`${back.from.value}\` and \`${back.to.value}\` can hand the caller to each other with no user turn between (ping-pong until maxTurns)`,
        hint: back.to.value === topology.entry.value ? 'mark this edge `handback: true` if it returns the caller to the entry' : 'remove one direction, or route the return through the entry with a hand-back',
        related: [{ pointer: forward.to.pointer, message: `\`${forward.from.value}\` → \`${forward.to.value}\`` }],
      });
    }
  },
});
