import { defineRule } from './define.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { childPointer } from '../source/pointer.js';
import { isKnownModel, REALTIME_MODELS, TEXT_MODELS, TRANSCRIPTION_MODELS } from './known-models.js';

/** Names that claim to be OpenAI's: an unknown one of these is a typo or a retired model. */
const OPENAI_LOOKING = /^(?:gpt|chatgpt|o\d|codex|computer-use|whisper)/i;

export default defineRule({
  id: 'model-known',
  defaultSeverity: 'warning',
  description: 'Every model name is one OpenAI serves (text models for agents, realtime and transcription models under `voice:`), or is listed in the configuration\'s `models`.',
  docs: 'A misspelt model (`gpt-4o-mnii`) passes every other check and fails only when the first request is sent, with a 404 from the API. This rule knows the model names of the `openai` client the SDK uses, accepts their dated snapshots (`gpt-4o-2024-08-06`), and suggests the closest one. Names with a `/` or `:` (another provider\'s model, a fine-tune such as `ft:gpt-4o-mini:acme::abc`) are not checked. For a model this list does not know yet, or a custom model provider, add the names to `models` in switchboard.config.json (or `rules: { model-known: { models: [...] } }` in the topology), or turn the rule off.',
  check({ topology, options, report }) {
    const extra = Array.isArray(options.models) ? options.models.filter((m): m is string => typeof m === 'string') : [];
    const seen = new Set<string>();
    const check = (name: unknown, pointer: string, kind: string, known: readonly string[]) => {
      if (typeof name !== 'string' || seen.has(pointer)) return;
      seen.add(pointer);
      const all = new Set([...known, ...extra]);
      if (/[/:]/.test(name) || isKnownModel(name, all)) return;
      const suggestion = didYouMean(name, all);
      if (!suggestion && !OPENAI_LOOKING.test(name)) return;
      report({
        pointer,
        message: `unknown ${kind} \`${name}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        hint: 'a model this list does not know yet goes under `models` in switchboard.config.json',
        ...(suggestion ? { suggestion } : {}),
      });
    };
    for (const agent of topology.agents) if (agent.model) check(agent.model.value, agent.model.pointer, 'model', TEXT_MODELS);
    const voice = topology.voice;
    if (voice?.model) check(voice.model.value, voice.model.pointer, 'realtime model', REALTIME_MODELS);
    if (voice?.transcription) check(voice.transcription.model, childPointer(voice.pointer, 'transcription', 'model'), 'transcription model', TRANSCRIPTION_MODELS);
  },
});
