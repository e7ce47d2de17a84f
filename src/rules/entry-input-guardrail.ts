import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';
import { listNames } from '../diagnostics/suggest.js';
import { startsRuns } from './guardrail-placement.js';

export default defineRule({
  id: 'entry-input-guardrail',
  defaultSeverity: 'warning',
  description: 'In a topology marked `customerFacing: true`, the entry agent has an input guardrail.',
  docs: 'Everything the public says reaches the entry agent first. An input guardrail there (relevance, jailbreak or abuse checks) stops a bad request before any specialist or tool runs. Add one under `inputGuardrails`, or drop `customerFacing` if the topology only serves staff. Input guardrails on agents a run does not start with never run (rule `guardrail-placement`); when a specialist has one, the finding says to move it here.',
  check({ topology, report }) {
    if (!topology.customerFacing) return;
    const entry = indexOf(topology).agents.get(topology.entry.value);
    if (!entry || entry.inputGuardrails.length > 0) return;
    // Guardrails written on specialists were probably meant for the entry: the SDK never runs them there.
    const misplaced = topology.agents.filter((a) => a.inputGuardrails.length > 0 && !startsRuns(topology, a)).map((a) => a.id);
    report({
      pointer: entry.pointer,
      onKey: true,
      message: `the entry agent \`${entry.id}\` of a customer-facing topology has no input guardrail`,
      hint: misplaced.length
        ? `move the input guardrails of ${listNames(misplaced)} here: the SDK runs input guardrails only for the agent a run starts with`
        : 'add `inputGuardrails: [path/to/guardrails.ts#yourGuardrail]` to it',
    });
  },
});
