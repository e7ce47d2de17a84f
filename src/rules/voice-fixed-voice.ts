import { defineRule } from './define.js';
import { startingVoice, voiceAgents } from '../model/voice.js';

export default defineRule({
  id: 'voice-fixed-voice',
  defaultSeverity: 'warning',
  description: 'Under the voice runtime, an agent\'s `voice` differs from the voice the session starts with, and the voice cannot change once audio was produced.',
  docs: 'The Realtime API fixes a session\'s voice once the model has produced audio: the first agent greets the caller, so a specialist declaring another voice makes the handoff\'s session update fail. And when `voice.voice` is set, the SDK sends it in every session update, so agents\' own voices are ignored. Declare one voice under `voice.voice` and remove the per-agent voices (or give them all the same voice as the entry agent).',
  check({ topology, report }) {
    const start = startingVoice(topology);
    for (const agent of voiceAgents(topology)) {
      if (!agent.voice) continue;
      if (start?.source === 'session') {
        if (agent.voice.value === start.value) continue;
        report({
          pointer: agent.voice.pointer,
          message: `\`${agent.id}\`'s voice \`${agent.voice.value}\` is ignored: the session voice \`${start.value}\` (\`voice.voice\`) wins for every agent`,
          hint: 'remove the agent\'s `voice`',
          related: [{ pointer: start.pointer, message: 'the session voice' }],
        });
      } else if (agent.id !== topology.entry.value && agent.voice.value !== start?.value) {
        report({
          pointer: agent.voice.pointer,
          message: `\`${agent.id}\` speaks as \`${agent.voice.value}\`, but the call starts as ${start ? `\`${start.value}\`` : 'the default voice'} and the voice cannot change after the first agent spoke; the handoff to \`${agent.id}\` fails`,
          hint: 'declare one voice under `voice.voice` and remove the per-agent voices',
          ...(start ? { related: [{ pointer: start.pointer, message: 'the voice the call starts with' }] } : {}),
        });
      }
    }
  },
});
