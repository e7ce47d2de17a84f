import { defineRule } from './define.js';
import { childPointer } from '../source/pointer.js';
import { voiceAgents } from '../model/voice.js';

export default defineRule({
  id: 'voice-session-model',
  defaultSeverity: 'warning',
  description: 'Under the voice runtime, an agent\'s own `model` and `modelSettings` do not apply: one model serves the whole session.',
  docs: 'A `RealtimeAgent` has no `model` or `modelSettings` (nor `toolUseBehavior`): every agent of a RealtimeSession is served by the session\'s one realtime model, chosen when the session connects, and a handoff cannot switch it. An agent\'s own `model: gpt-4o-mini` or `modelSettings` therefore applies only in the text runtime. Set the session\'s model under `voice.model` (for example `gpt-realtime`); if an agent needs a different model, mark it `runtime: [text]` and let a voice agent delegate to it (`kind: delegate`), which runs it as a text agent behind a tool.',
  check({ topology, report }) {
    const sessionModel = topology.voice?.model?.value ?? 'the SDK default realtime model';
    for (const agent of voiceAgents(topology)) {
      if (agent.model && agent.model.pointer === childPointer(agent.pointer, 'model')) {
        report({
          pointer: agent.model.pointer,
          message: `\`${agent.id}\` asks for \`${agent.model.value}\`, but in the voice session every agent runs on ${topology.voice?.model ? `\`${sessionModel}\`` : sessionModel}`,
          hint: 'the model still applies in the text runtime; set the session model under `voice.model`, or mark the agent `runtime: [text]` and delegate to it',
        });
      }
      if (agent.modelSettingsPointer) {
        report({
          pointer: agent.modelSettingsPointer,
          onKey: true,
          message: `\`${agent.id}\`'s \`modelSettings\` do not apply in the voice session: one session, one model configuration`,
          hint: 'they still apply in the text runtime; session-wide settings (turn detection, transcription, audio) go under `voice:`',
        });
      }
    }
  },
});
