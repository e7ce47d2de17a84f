import { defineRule } from './define.js';
import { edgeFilterSteps, indexOf, isReasoningModel } from '../model/queries.js';

export default defineRule({
  id: 'reasoning-history',
  defaultSeverity: 'warning',
  description: 'An edge from a reasoning model to a non-reasoning one removes reasoning items from the history.',
  docs: 'Reasoning models (o-series, gpt-5) leave reasoning items in the conversation. Handed to a non-reasoning model, those items are sent back to an API that rejects or ignores them. Add `removeReasoning` (or `removeAllTools`, which also drops them) to the edge\'s filter.',
  check({ topology, report }) {
    const { agents } = indexOf(topology);
    for (const edge of topology.edges) {
      const from = agents.get(edge.from.value);
      const to = agents.get(edge.to.value);
      if (edge.kind === 'delegate' || !from || !to || !isReasoningModel(from.model?.value) || isReasoningModel(to.model?.value)) continue;
      const steps = edgeFilterSteps(topology, edge);
      if (steps.some((s) => s.kind === 'removeAllTools' || s.kind === 'removeReasoning')) continue;
      report({
        pointer: edge.filter?.pointer ?? edge.to.pointer,
        message: `\`${from.id}\` (${from.model!.value}) hands off to \`${to.id}\` (${to.model?.value ?? 'default model'}) with its reasoning items`,
        hint: 'add `removeReasoning` to this edge\'s filter',
      });
    }
  },
});
