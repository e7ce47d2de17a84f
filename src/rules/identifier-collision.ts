import { defineRule } from './define.js';
import { agentIdentifier, toolIdentifier } from '../model/naming.js';

export default defineRule({
  id: 'identifier-collision',
  suppressible: false,
  defaultSeverity: 'error',
  description: 'Agent and tool ids map to distinct TypeScript identifiers.',
  docs: 'The compiler exports every agent and tool under a camelCase identifier (`tech-support` becomes `techSupportAgent`). Ids that differ only in `-`, `_` or case map to the same identifier and cannot both be exported. Rename one of them.',
  check({ topology, report }) {
    const groups: [readonly { id: string; pointer: string }[], (id: string) => string, string][] = [
      [topology.agents, agentIdentifier, 'agent'],
      [topology.tools, toolIdentifier, 'tool'],
    ];
    for (const [items, identifier, kind] of groups) {
      const seen = new Map<string, { id: string; pointer: string }>();
      for (const item of items) {
        const name = identifier(item.id);
        const earlier = seen.get(name);
        if (!earlier) {
          seen.set(name, item);
          continue;
        }
        report({
          pointer: item.pointer,
          onKey: true,
          message: `${kind} ids \`${earlier.id}\` and \`${item.id}\` both become the identifier \`${name}\``,
          related: [{ pointer: earlier.pointer, message: `\`${earlier.id}\` is declared here` }],
        });
      }
    }
  },
});
