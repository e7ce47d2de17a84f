import { describe, expect, it } from 'vitest';
import { validateSchema } from '../../src/schema/validate-schema.js';

const base = { version: 1, name: 'demo', entry: 'triage', agents: { triage: { instructions: 'Route.' } } };
const check = (patch: Record<string, unknown>) => validateSchema({ ...base, ...patch }).map((d) => ({ ruleId: d.ruleId, pointer: d.pointer, message: d.message }));

describe('schema: the voice runtime', () => {
  it('accepts runtime, the voice block and agents\' runtime and voice', () => {
    const voice = { model: 'gpt-realtime', voice: 'marin', turnDetection: { type: 'semantic_vad', eagerness: 'low' }, transcription: { model: 'gpt-4o-mini-transcribe', language: 'en' }, inputAudioFormat: 'g711_ulaw', outputAudioFormat: 'pcm16', outputGuardrails: ['g.ts#noPii'], guardrailDebounceTextLength: -1 };
    expect(check({ runtime: ['text', 'voice'], voice, agents: { triage: { instructions: 'Route.', runtime: ['text'], voice: 'cedar' } } })).toEqual([]);
  });

  it('names the runtimes a list may hold (text is always compiled)', () => {
    expect(check({ runtime: ['voice'] })).toEqual([
      { ruleId: 'schema/enum', pointer: '/runtime', message: '`runtime` must be one of `[text]`, `[text, voice]` and `[voice, text]`, not a list' },
    ]);
  });

  it('reports a voice block without a runtime on the block', () => {
    expect(check({ voice: { model: 'gpt-realtime' } })).toEqual([
      { ruleId: 'schema/dependencies', pointer: '/voice', message: '`voice` needs `runtime` beside it: add `runtime: [text, voice]` to compile the voice session' },
    ]);
  });

  it('checks the session settings', () => {
    expect(check({ runtime: ['text', 'voice'], voice: { inputAudioFormat: 'mp3', guardrailDebounceTextLength: 0 } }).map((d) => d.pointer)).toEqual([
      '/voice/inputAudioFormat',
      '/voice/guardrailDebounceTextLength',
    ]);
  });
});
