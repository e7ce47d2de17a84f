import { defineRule } from './define.js';

export default defineRule({
  id: 'delegate-edge',
  defaultSeverity: 'error',
  description: 'A `delegate` edge (agent-as-tool) starts at the entry agent and carries no handoff options.',
  docs: 'A delegate edge runs the target agent as a tool of the caller: the caller keeps the conversation and gets the answer back. It therefore takes no `input`, `filter`, `onHandoff` or `handback` (those describe a transfer of the conversation). Under `policy: star` only the entry agent may delegate, so specialists stay leaves of the star.',
  check({ topology, report }) {
    const entry = topology.entry.value;
    const seen = new Set<string>();
    for (const edge of topology.edges) {
      if (edge.kind !== 'delegate') continue;
      const options = [edge.input && 'input', edge.filter && 'filter', edge.onHandoff && 'onHandoff', edge.handback && 'handback'].filter(Boolean);
      if (options.length && !seen.has(edge.pointer)) {
        seen.add(edge.pointer);
        report({ pointer: `${edge.pointer}/kind`, message: `a delegate edge cannot take ${options.map((o) => `\`${o}\``).join(', ')}; those describe a handoff`, hint: 'remove them, or make this a handoff edge' });
      }
      if (topology.policy === 'star' && edge.from.value !== entry) {
        report({ pointer: edge.from.pointer, message: `\`${edge.from.value}\` delegates to \`${edge.to.value}\`, but in a star only the entry agent \`${entry}\` may delegate` });
      }
    }
  },
});
