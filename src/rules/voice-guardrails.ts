import { defineRule } from './define.js';
import { childPointer } from '../source/pointer.js';
import { voiceAgents } from '../model/voice.js';

export default defineRule({
  id: 'voice-guardrails',
  defaultSeverity: 'warning',
  description: 'Under the voice runtime, per-agent input and output guardrails do not run; the session runs its own output guardrails on transcripts.',
  docs: 'A `RealtimeAgent` takes no `inputGuardrails` or `outputGuardrails`. Nothing checks the caller\'s audio before the model answers. Output guardrails belong to the RealtimeSession (`voice.outputGuardrails`, each an SDK `RealtimeOutputGuardrail`): they run on the transcript of whatever any voice agent says, every `voice.guardrailDebounceTextLength` characters (SDK default 100; -1 runs them once on the full transcript) while the agent is still speaking and again when the response ends; a trip emits `guardrail_tripped`, cuts the speech off (cancels a text response) and sends the model a message naming the guardrail (or its `policyHint`) so it corrects itself. Tool input and output guardrails run as in text. Move output checks to `voice.outputGuardrails`; for input checks use tool input guardrails or a delegate that validates.',
  check({ topology, report }) {
    const session = topology.voice?.outputGuardrails ?? [];
    for (const agent of voiceAgents(topology)) {
      if (agent.inputGuardrails.length) {
        report({
          pointer: childPointer(agent.pointer, 'inputGuardrails'),
          onKey: true,
          message: `\`${agent.id}\`'s input guardrails do not run in the voice session: the caller's speech reaches the model unchecked`,
          hint: 'they still run in the text runtime; in voice, check arguments with tool input guardrails, or validate in a delegate',
        });
      }
      if (agent.outputGuardrails.length) {
        const moved = agent.outputGuardrails.every((g) => session.some((s) => s.path === g.path && s.exportName === g.exportName));
        if (moved) continue;
        report({
          pointer: childPointer(agent.pointer, 'outputGuardrails'),
          onKey: true,
          message: `\`${agent.id}\`'s output guardrails do not run in the voice session; the session runs \`voice.outputGuardrails\` on every agent's transcript instead`,
          hint: 'add them to `voice.outputGuardrails` (as RealtimeOutputGuardrails): they then check what every voice agent says, while it speaks',
        });
      }
    }
  },
});
