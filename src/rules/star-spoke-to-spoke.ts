import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';

export default defineRule({
  id: 'star-spoke-to-spoke',
  defaultSeverity: 'error',
  policy: 'star',
  description: 'No handoff edge between two non-entry agents.',
  docs: 'In a star topology specialists only talk to the hub: a billing agent that hands straight to sales makes routing untestable and loops likely. Route through the entry agent instead (hand back with `handback: true`), set `policy: mesh`, or opt a single edge out with `allowSpokeToSpoke: <reason>`.',
  check({ topology, report }) {
    const { agents } = indexOf(topology);
    const entry = topology.entry.value;
    // Measured against the entry: with an undeclared one, entry-exists says all there is to say.
    if (!agents.has(entry)) return;
    for (const edge of topology.edges) {
      const { from, to } = edge;
      // Delegation has its own rule (delegate-edge); this one is about handoffs.
      if (edge.kind === 'delegate' || from.value === entry || to.value === entry || from.value === to.value) continue;
      if (!agents.has(from.value) || !agents.has(to.value) || edge.allowSpokeToSpoke) continue;
      report({
        pointer: to.pointer,
        message: `\`${from.value}\` hands off to \`${to.value}\`, but in a star only \`${entry}\` routes between specialists`,
        hint: `hand back to \`${entry}\` instead, or add \`allowSpokeToSpoke: <reason>\` to this edge`,
      });
    }
  },
});
