import { defineRule } from './define.js';
import type { Edge } from '../model/types.js';

export default defineRule({
  id: 'duplicate-edge',
  defaultSeverity: 'error',
  description: 'At most one edge per (from, to) pair.',
  docs: 'Two edges between the same agents generate two handoff tools with the same name; the SDK then dispatches only one of them. Merge the edges.',
  check({ topology, report }) {
    const first = new Map<string, Edge>();
    for (const edge of topology.edges) {
      const key = `${edge.kind}\0${edge.from.value}\0${edge.to.value}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, edge);
        continue;
      }
      report({
        pointer: edge.to.pointer,
        message: `a second ${edge.kind} edge from \`${edge.from.value}\` to \`${edge.to.value}\``,
        related: [{ pointer: earlier.to.pointer, message: 'first declared here' }],
      });
    }
  },
});
