import { defineRule } from './define.js';
import { handoffToolName, indexOf } from '../model/queries.js';

const MAX_LENGTH = 64;

export default defineRule({
  id: 'tool-name-valid',
  defaultSeverity: 'error',
  description: 'Tool and generated handoff tool names fit the model API\'s limit of 64 characters.',
  docs: 'The OpenAI API rejects a request whose function names are longer than 64 characters, at run time, on the first call. A handoff tool is named `transfer_to_` plus the target\'s `name`, so long agent names hit the limit. Shorten the agent name or set `toolName` on the edge.',
  check({ topology, report }) {
    const { agents } = indexOf(topology);
    for (const tool of topology.tools) {
      if (tool.id.length > MAX_LENGTH) report({ pointer: tool.pointer, onKey: true, message: `tool name \`${tool.id}\` is ${tool.id.length} characters; the limit is ${MAX_LENGTH}` });
    }
    const reported = new Set<string>();
    for (const edge of topology.edges) {
      const target = agents.get(edge.to.value);
      if (!target) continue;
      const name = handoffToolName(edge, target);
      const pointer = edge.toolName?.pointer ?? edge.to.pointer;
      if (name.length <= MAX_LENGTH || reported.has(pointer)) continue;
      reported.add(pointer);
      report({
        pointer,
        message: `handoff tool name \`${name}\` is ${name.length} characters; the limit is ${MAX_LENGTH}`,
        hint: 'shorten the target agent\'s `name`, or set `toolName` on this edge',
      });
    }
  },
});
