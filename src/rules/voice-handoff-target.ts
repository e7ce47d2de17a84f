import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';
import { hasVoiceRuntime, isVoiceAgent } from '../model/voice.js';

export default defineRule({
  id: 'voice-handoff-target',
  defaultSeverity: 'error',
  description: 'Under the voice runtime, voice agents hand off only to voice agents, and the entry agent is a voice agent.',
  docs: 'A RealtimeSession runs RealtimeAgents only: a handoff from a voice agent to an agent marked `runtime: [text]` has nothing to hand the call to, so voice.ts leaves it out and the caller would be stuck. Make the edge `kind: delegate` (the text agent runs as a tool of the voice agent and its answer comes back to the call; the SDK maintainers\' advice for voice-to-text), or add `voice` to the target\'s `runtime`. The entry agent starts every call, so it must run in voice too.',
  check({ topology, report }) {
    if (!hasVoiceRuntime(topology)) return;
    const { agents } = indexOf(topology);
    const entry = agents.get(topology.entry.value);
    if (entry && !isVoiceAgent(topology, entry)) {
      report({
        pointer: entry.runtime?.pointer ?? entry.pointer,
        message: `the entry agent \`${entry.id}\` is text-only, but every voice call starts with it`,
        hint: 'add `voice` to its `runtime`',
      });
    }
    for (const edge of topology.edges) {
      const from = agents.get(edge.from.value);
      const to = agents.get(edge.to.value);
      if (edge.kind !== 'handoff' || !from || !to || !isVoiceAgent(topology, from) || isVoiceAgent(topology, to)) continue;
      report({
        pointer: edge.to.pointer,
        message: `voice agent \`${from.id}\` hands off to \`${to.id}\`, which is text-only: a voice session can only hand the call to another voice agent`,
        hint: `make this edge \`kind: delegate\` (\`${to.id}\` answers as a tool) or add \`voice\` to \`${to.id}\`'s runtime`,
      });
    }
  },
});
