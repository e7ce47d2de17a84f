import { defineRule } from './define.js';
import type { HostedToolType } from '../model/types.js';

/** The options each hosted tool takes, as the SDK's webSearchTool, fileSearchTool, codeInterpreterTool and imageGenerationTool offer them. */
const OPTIONS: Readonly<Record<HostedToolType, readonly string[]>> = {
  web_search: ['searchContextSize', 'allowedDomains', 'userLocation', 'externalWebAccess'],
  file_search: ['vectorStoreIds', 'maxNumResults', 'includeSearchResults'],
  code_interpreter: ['container'],
  image_generation: ['model', 'quality', 'size', 'background', 'outputFormat', 'outputCompression', 'moderation', 'partialImages'],
};

export default defineRule({
  id: 'hosted-tool-options',
  defaultSeverity: 'error',
  description: 'Each hosted tool has the options its type takes, and `file_search` names its vector stores.',
  docs: 'Hosted tools run inside the Responses API. `file_search` cannot run without `vectorStoreIds`; an option of another tool type (say `vectorStoreIds` on `web_search`) would be dropped silently; `outputCompression` applies only to `webp` and `jpeg` images; an agent offering one hosted tool type twice sends the API a duplicate tool.',
  check({ topology, report }) {
    for (const agent of topology.agents) {
      const seen = new Map<string, string>();
      for (const tool of agent.hostedTools) {
        if (tool.type === 'file_search' && !Array.isArray(tool.options.vectorStoreIds)) report({ pointer: tool.pointer, message: 'file_search needs `vectorStoreIds`', hint: 'list the ids of the vector stores to search (vs_…)' });
        for (const key of Object.keys(tool.options)) {
          if (!OPTIONS[tool.type].includes(key)) {
            const owner = (Object.keys(OPTIONS) as HostedToolType[]).find((t) => OPTIONS[t].includes(key));
            report({ pointer: `${tool.pointer}/${key}`, onKey: true, message: `\`${key}\` is not an option of ${tool.type}${owner ? ` (it belongs to ${owner})` : ''}`, hint: `${tool.type} takes ${OPTIONS[tool.type].map((o) => `\`${o}\``).join(', ')}` });
          }
        }
        if (tool.type === 'image_generation' && tool.options.outputCompression !== undefined && (tool.options.outputFormat ?? 'png') === 'png') {
          report({ pointer: `${tool.pointer}/outputCompression`, onKey: true, message: '`outputCompression` applies only to webp and jpeg output', hint: 'set `outputFormat: webp` or `jpeg`, or drop it' });
        }
        const earlier = seen.get(tool.type);
        if (earlier) report({ pointer: tool.pointer, message: `agent \`${agent.id}\` offers ${tool.type} twice`, related: [{ pointer: earlier, message: 'first declared here' }] });
        else seen.set(tool.type, tool.pointer);
      }
    }
  },
});
