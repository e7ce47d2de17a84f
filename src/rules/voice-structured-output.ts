import { defineRule } from './define.js';
import { voiceAgents } from '../model/voice.js';

export default defineRule({
  id: 'voice-structured-output',
  defaultSeverity: 'warning',
  description: 'Under the voice runtime, structured `output` is not supported: a voice agent speaks.',
  docs: 'A `RealtimeAgent` has no `outputType`: the Realtime API produces audio and its transcript, never a schema-checked final output, so the voice agent compiled from an agent with `output:` just talks. The schema still applies in the text runtime. When a voice call needs structured data (a flight status, a booking), mark the agent `runtime: [text]` and let a voice agent delegate to it (`kind: delegate`): the text agent produces the structured output as a tool result the voice agent reads out.',
  check({ topology, report }) {
    for (const agent of voiceAgents(topology)) {
      if (!agent.output) continue;
      report({
        pointer: agent.output.pointer,
        message: `\`${agent.id}\` declares a structured output, which a voice agent cannot produce; in the voice session it answers in speech`,
        hint: 'mark the agent `runtime: [text]` and delegate to it from a voice agent (`kind: delegate`)',
      });
    }
  },
});
