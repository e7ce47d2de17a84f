import { defineRule, notFound } from './define.js';

export default defineRule({
  id: 'entry-exists',
  suppressible: false,
  defaultSeverity: 'error',
  required: 'the generated code starts every run from the entry agent',
  description: '`entry` names a declared agent.',
  docs: 'Every conversation starts at the entry agent, so it must be one of the agents under `agents`. Fix the id in `entry` or declare the agent.',
  check({ topology, report }) {
    const { entry, agents } = topology;
    if (entry.value === '' || agents.some((a) => a.id === entry.value)) return;
    report({ pointer: entry.pointer, ...notFound(entry.value, agents.map((a) => a.id), 'agent') });
  },
});
