import { defineRule, notFound } from './define.js';
import { indexOf } from '../model/queries.js';

export default defineRule({
  id: 'unknown-reference',
  suppressible: false,
  defaultSeverity: 'error',
  required: 'the compiler needs every reference resolved to emit code',
  description: 'Every agent, tool, schema, filter and fragment reference resolves.',
  docs: 'Agents list tools by name, edges name agents in `from`/`to`, a schema in `input` and a pipeline in `filter`. Each must be declared in the matching top-level section. The message suggests the nearest declared name and lists the valid ones.',
  check({ topology, report }) {
    const index = indexOf(topology);
    const agentIds = [...index.agents.keys()];
    const fragments = topology.fragments.map((f) => f.name);
    for (const agent of topology.agents) {
      for (const tool of agent.tools) {
        if (!index.tools.has(tool.value)) report({ pointer: tool.pointer, ...notFound(tool.value, [...index.tools.keys()], 'tool') });
      }
      for (const fragment of agent.fragments) {
        if (!fragments.includes(fragment.value)) report({ pointer: fragment.pointer, ...notFound(fragment.value, fragments, 'fragment') });
      }
      if (agent.output?.kind === 'named' && !index.schemas.has(agent.output.name)) {
        report({ pointer: agent.output.pointer, ...notFound(agent.output.name, [...index.schemas.keys()], 'schema') });
      }
    }
    const seen = new Set<string>();
    const once = (pointer: string) => !seen.has(pointer) && seen.add(pointer) !== undefined;
    for (const edge of topology.edges) {
      for (const end of [edge.from, edge.to]) {
        if (!index.agents.has(end.value) && once(end.pointer)) report({ pointer: end.pointer, ...notFound(end.value, agentIds, 'agent') });
      }
      if (edge.input?.kind === 'named' && !index.schemas.has(edge.input.name) && once(edge.input.pointer)) {
        report({ pointer: edge.input.pointer, ...notFound(edge.input.name, [...index.schemas.keys()], 'schema') });
      }
      if (edge.filter?.kind === 'named' && !index.filters.has(edge.filter.name) && once(edge.filter.pointer)) {
        report({ pointer: edge.filter.pointer, ...notFound(edge.filter.name, [...index.filters.keys()], 'filter') });
      }
    }
  },
});
