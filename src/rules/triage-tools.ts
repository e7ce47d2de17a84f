import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';

export default defineRule({
  id: 'triage-tools',
  defaultSeverity: 'warning',
  description: 'The entry agent has no tools other than its handoffs.',
  docs: 'A triage agent that can also act (look up an invoice, book a demo) starts answering instead of routing, and its routing accuracy drops. Keep the entry agent to handoffs and give the tools to a specialist.',
  check({ topology, report }) {
    const entry = indexOf(topology).agents.get(topology.entry.value);
    for (const tool of entry?.tools ?? []) {
      report({ pointer: tool.pointer, message: `the entry agent \`${entry!.id}\` has the tool \`${tool.value}\`; keep triage to routing`, hint: 'move the tool to a specialist' });
    }
  },
});
