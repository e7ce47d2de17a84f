import { defineRule } from './define.js';
import { isVoiceHandoff } from '../model/voice.js';

export default defineRule({
  id: 'voice-handoff-filter',
  defaultSeverity: 'warning',
  description: 'Under the voice runtime, input filters on handoffs between voice agents are not applied.',
  docs: 'A realtime session keeps one conversation on the server: on a handoff it only updates the session to the new agent\'s instructions and tools, and never calls a handoff\'s `inputFilter` (the SDK\'s RealtimeSession has no code path for it). The target hears the whole call, tool calls included. The filter still applies in the text runtime, so keep it there; for the voice session, write instructions that do not depend on a trimmed history, or trim it yourself with `session.updateHistory()` in an `agent_handoff` listener. voice.ts leaves the filter out. The diagram and the review page label these edges "(not in voice)".',
  check({ topology, report }) {
    const reported = new Set<number>();
    for (const edge of topology.edges) {
      if (!edge.filter || !isVoiceHandoff(topology, edge) || reported.has(edge.entryIndex)) continue;
      reported.add(edge.entryIndex);
      const targets = [...new Set(topology.edges.filter((e) => e.entryIndex === edge.entryIndex && isVoiceHandoff(topology, e)).map((e) => `\`${e.to.value}\``))];
      const filter = edge.filter.kind === 'named' ? `input filter \`${edge.filter.name}\`` : 'this inline input filter';
      report({
        pointer: edge.filter.pointer,
        message: `${filter} is not applied in the voice session: ${targets.join(', ')} hear${targets.length === 1 ? 's' : ''} the whole call`,
        hint: 'it still applies in the text runtime; in voice, trim the history with session.updateHistory() in an agent_handoff listener, or set `rules: { voice-handoff-filter: off }` once reviewed',
      });
    }
  },
});
