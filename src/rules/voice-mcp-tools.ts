import { defineRule } from './define.js';
import { voiceAgents } from '../model/voice.js';

export default defineRule({
  id: 'voice-mcp-tools',
  defaultSeverity: 'warning',
  description: 'Under the voice runtime, hosted tools and MCP servers of voice agents are not available in the voice session.',
  docs: 'The realtime SDK keeps only function tools and hosted MCP tools of a `RealtimeAgent` (`isValidRealtimeTool` in @openai/agents-realtime 0.20): web search, file search, code interpreter and image generation are dropped without a word. The compiled voice session (voice.ts) also does not connect MCP servers yet, so MCP tools exist only in the text runtime. Mark the agent `runtime: [text]` and let a voice agent delegate to it (`kind: delegate`), or give the voice agent local function tools.',
  check({ topology, report }) {
    for (const agent of voiceAgents(topology)) {
      for (const tool of agent.hostedTools) {
        report({ pointer: tool.pointer, message: `\`${agent.id}\` offers the hosted tool ${tool.type}, which the voice session drops`, hint: 'mark the agent `runtime: [text]` and delegate to it from a voice agent' });
      }
      for (const use of agent.mcpServers) {
        report({ pointer: use.server.pointer, message: `\`${agent.id}\` uses MCP server \`${use.server.value}\`, whose tools the compiled voice session does not offer`, hint: 'mark the agent `runtime: [text]` and delegate to it from a voice agent' });
      }
    }
  },
});
