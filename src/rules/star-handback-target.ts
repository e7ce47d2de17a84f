import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';

export default defineRule({
  id: 'star-handback-target',
  defaultSeverity: 'error',
  policy: 'star',
  description: 'A `handback` edge goes to the entry agent only.',
  docs: 'A hand-back returns the caller to triage so it can route again. A hand-back to any other agent is a spoke-to-spoke handoff in disguise. Point `to` at the entry agent, or drop `handback: true`.',
  check({ topology, report }) {
    const entry = topology.entry.value;
    if (!indexOf(topology).agents.has(entry)) return; // entry-exists reports it
    for (const edge of topology.edges) {
      if (!edge.handback || edge.kind === 'delegate' || edge.to.value === entry) continue;
      report({
        pointer: edge.to.pointer,
        message: `hand-back edge goes to \`${edge.to.value}\`; hand-backs must return to the entry agent \`${entry}\``,
        suggestion: entry,
      });
    }
  },
});
