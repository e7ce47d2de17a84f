import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';

export default defineRule({
  id: 'handoff-description',
  defaultSeverity: 'error',
  description: 'Every handoff target other than the entry has a `handoffDescription` (or the edge has a `description`).',
  docs: 'The routing agent chooses a specialist by reading the handoff tool descriptions. Without one it sees only "Handoff to the X agent", and routing degrades silently. Describe what the agent handles, in the caller\'s terms.',
  check({ topology, report }) {
    const { agents } = indexOf(topology);
    if (!agents.has(topology.entry.value)) return; // entry-exists reports it; every agent would look like a target
    const reported = new Set<string>();
    for (const edge of topology.edges) {
      const target = agents.get(edge.to.value);
      if (!target || target.id === topology.entry.value || target.handoffDescription || edge.description) continue;
      if (reported.has(target.id)) continue;
      reported.add(target.id);
      report({
        pointer: target.pointer,
        onKey: true,
        message: `agent \`${target.id}\` is a ${edge.kind === 'delegate' ? 'delegation' : 'handoff'} target but has no \`handoffDescription\``,
        hint: `add \`handoffDescription\` to \`${target.id}\` (what it handles, in the caller's terms), or a \`description\` on each edge to it`,
      });
    }
  },
});
