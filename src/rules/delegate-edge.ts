import { defineRule } from './define.js';
import { indexOf } from '../model/queries.js';
import { hasVoiceRuntime, isVoiceAgent } from '../model/voice.js';

export default defineRule({
  id: 'delegate-edge',
  defaultSeverity: 'error',
  description: 'A `delegate` edge (agent-as-tool) starts at the entry agent and carries no handoff options.',
  docs: 'A delegate edge runs the target agent as a tool of the caller: the caller keeps the conversation and gets the answer back. It therefore takes no `input`, `filter`, `onHandoff` or `handback` (those describe a transfer of the conversation). Under `policy: star` only the entry agent may delegate, so specialists stay leaves of the star; the one exception is a voice agent delegating to a text-only agent (`runtime: [text]`), the way a voice specialist reaches what a voice session cannot run (see voice.md).',
  check({ topology, report }) {
    const entry = topology.entry.value;
    const { agents } = indexOf(topology);
    // Voice agents cannot hand off to text agents; calling one as a tool is how they reach it.
    const voiceToText = (from: string, to: string) => {
      const [a, b] = [agents.get(from), agents.get(to)];
      return hasVoiceRuntime(topology) && !!a && !!b && isVoiceAgent(topology, a) && !isVoiceAgent(topology, b);
    };
    const seen = new Set<string>();
    for (const edge of topology.edges) {
      if (edge.kind !== 'delegate') continue;
      const options = [edge.input && 'input', edge.filter && 'filter', edge.onHandoff && 'onHandoff', edge.handback && 'handback'].filter(Boolean);
      if (options.length && !seen.has(edge.pointer)) {
        seen.add(edge.pointer);
        report({ pointer: `${edge.pointer}/kind`, message: `a delegate edge cannot take ${options.map((o) => `\`${o}\``).join(', ')}; those describe a handoff`, hint: 'remove them, or make this a handoff edge' });
      }
      if (topology.policy === 'star' && edge.from.value !== entry && !voiceToText(edge.from.value, edge.to.value)) {
        report({ pointer: edge.from.pointer, message: `\`${edge.from.value}\` delegates to \`${edge.to.value}\`, but in a star only the entry agent \`${entry}\` may delegate` });
      }
    }
  },
});
