import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';

export default defineRule({
  id: 'entry-input-guardrail',
  defaultSeverity: 'warning',
  description: 'In a topology marked `customerFacing: true`, the entry agent has an input guardrail.',
  docs: 'Everything the public says reaches the entry agent first. An input guardrail there (relevance, jailbreak or abuse checks) stops a bad request before any specialist or tool runs. Add one under `inputGuardrails`, or drop `customerFacing` if the topology only serves staff.',
  check({ topology, report }) {
    if (!topology.customerFacing) return;
    const entry = indexOf(topology).agents.get(topology.entry.value);
    if (!entry || entry.inputGuardrails.length > 0) return;
    report({
      pointer: entry.pointer,
      onKey: true,
      message: `the entry agent \`${entry.id}\` of a customer-facing topology has no input guardrail`,
      hint: 'add `inputGuardrails: [path/to/guardrails.ts#yourGuardrail]` to it',
    });
  },
});
