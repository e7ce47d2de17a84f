import { defineRule } from './define.js';

export default defineRule({
  id: 'unused-definition',
  defaultSeverity: 'warning',
  description: 'Every declared tool, schema, filter and fragment is used.',
  docs: 'A tool no agent lists, a schema no edge takes as input, or a filter no edge applies is usually a typo elsewhere (the reference that should have used it) or leftover configuration. Use it or delete it.',
  check({ topology, report }) {
    const usedTools = new Set(topology.agents.flatMap((a) => a.tools.map((t) => t.value)));
    const usedSchemas = new Set([
      ...topology.edges.flatMap((e) => (e.input?.kind === 'named' ? [e.input.name] : [])),
      ...topology.agents.flatMap((a) => (a.output?.kind === 'named' ? [a.output.name] : [])),
    ]);
    const usedFragments = new Set(topology.agents.flatMap((a) => a.fragments.map((f) => f.value)));
    const usedFilters = new Set(topology.edges.flatMap((e) => (e.filter?.kind === 'named' ? [e.filter.name] : [])));
    const sections = [
      ['tool', topology.tools.map((t) => ({ name: t.id, pointer: t.pointer })), usedTools],
      ['schema', topology.schemas, usedSchemas],
      ['filter', topology.filters, usedFilters],
      ['fragment', topology.fragments, usedFragments],
    ] as const;
    for (const [kind, items, used] of sections) {
      for (const item of items) {
        if (!used.has(item.name)) report({ pointer: item.pointer, onKey: true, message: `${kind} \`${item.name}\` is declared but never used` });
      }
    }
  },
});
