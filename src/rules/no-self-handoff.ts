import { defineRule } from './define.js';

export default defineRule({
  id: 'no-self-handoff',
  defaultSeverity: 'error',
  description: 'No agent hands off to itself.',
  docs: 'A handoff from an agent to itself restarts the same agent with a filtered history: it loops without making progress. Remove the agent from `to`.',
  check({ topology, report }) {
    for (const edge of topology.edges) {
      if (edge.from.value !== edge.to.value) continue;
      report({ pointer: edge.to.pointer, message: `\`${edge.from.value}\` hands off to itself` });
    }
  },
});
