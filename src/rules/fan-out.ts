import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';

export const DEFAULT_FAN_OUT = 8;

export default defineRule({
  id: 'fan-out',
  defaultSeverity: 'warning',
  description: 'The entry agent hands off to at most `rules.fan-out.max` specialists (default 8).',
  docs: 'Routing accuracy falls as the number of handoff choices grows. Past a handful of specialists, group them behind a second-level router or merge overlapping ones. Raise the limit with `rules: { fan-out: { max: 12 } }` when you have measured routing at that size.',
  check({ topology, options, report }) {
    const max = typeof options.max === 'number' ? options.max : DEFAULT_FAN_OUT;
    const entry = indexOf(topology).agents.get(topology.entry.value);
    if (!entry) return;
    const { agents: declared, outgoing } = indexOf(topology);
    const targets = new Set((outgoing.get(entry.id) ?? []).map((e) => e.to.value).filter((id) => id !== entry.id && declared.has(id)));
    if (targets.size <= max) return;
    report({
      pointer: entry.pointer,
      onKey: true,
      message: `the entry agent \`${entry.id}\` hands off to ${targets.size} agents; more than ${max} makes routing unreliable`,
      hint: 'group specialists behind a second-level router, or raise `rules.fan-out.max`',
    });
  },
});
