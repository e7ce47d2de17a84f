/**
 * OpenAI model names `model-known` accepts, from the model unions of the `openai` client the SDK
 * depends on (ChatModel, ResponsesModel, the realtime session and transcription models). Dated
 * snapshots (`gpt-4o-2024-08-06`) are accepted for every name here. A test checks this list against
 * the installed client, so a client upgrade that adds models shows up as a failing test.
 */
export const TEXT_MODELS: readonly string[] = [
  'chatgpt-4o-latest', 'codex-mini-latest', 'computer-use-preview',
  'gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'gpt-4', 'gpt-4-0125-preview', 'gpt-4-1106-preview', 'gpt-4-32k', 'gpt-4-turbo', 'gpt-4-turbo-preview', 'gpt-4-vision-preview',
  'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano',
  'gpt-4o', 'gpt-4o-audio-preview', 'gpt-4o-mini', 'gpt-4o-mini-audio-preview', 'gpt-4o-mini-search-preview', 'gpt-4o-search-preview',
  'gpt-5', 'gpt-5-chat-latest', 'gpt-5-codex', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5-pro',
  'gpt-5.1', 'gpt-5.1-chat-latest', 'gpt-5.1-codex', 'gpt-5.1-codex-max', 'gpt-5.1-mini',
  'gpt-5.2', 'gpt-5.2-chat-latest', 'gpt-5.2-pro', 'gpt-5.3-chat-latest',
  'gpt-5.4', 'gpt-5.4-mini', 'gpt-5.4-nano', 'gpt-5.5', 'gpt-5.5-pro',
  'gpt-5.6-cyber', 'gpt-5.6-luna', 'gpt-5.6-sol', 'gpt-5.6-terra',
  'gpt-6-astra', 'gpt-6-cyber', 'gpt-6-luna', 'gpt-6-rosalind', 'gpt-6-sol', 'gpt-6.1-sol', 'gpt-6.1-terra',
  'gpt-audio-mini', 'gpt-daybreak-blue-latest', 'gpt-daybreak-red-latest', 'gpt-rosalind-research',
  'o1', 'o1-mini', 'o1-preview', 'o1-pro', 'o3', 'o3-deep-research', 'o3-mini', 'o3-pro', 'o4-mini', 'o4-mini-deep-research',
];

/** Models of a realtime (voice) session: `voice.model`. */
export const REALTIME_MODELS: readonly string[] = [
  'gpt-4o-mini-realtime-preview', 'gpt-4o-realtime-preview', 'gpt-audio-1.5', 'gpt-audio-mini',
  'gpt-realtime', 'gpt-realtime-1.5', 'gpt-realtime-2', 'gpt-realtime-2.1', 'gpt-realtime-2.1-mini', 'gpt-realtime-mini',
];

/** Models that transcribe the caller: `voice.transcription.model`. */
export const TRANSCRIPTION_MODELS: readonly string[] = [
  'gpt-4o-mini-transcribe', 'gpt-4o-transcribe', 'gpt-4o-transcribe-diarize', 'gpt-live-transcribe', 'gpt-realtime-whisper', 'gpt-transcribe', 'whisper-1',
];

/** A dated snapshot of a listed name: `-2024-08-06`, or the older `-0613`. */
const SNAPSHOT = /-(?:\d{4}-\d{2}-\d{2}|\d{4})$/;

/** Whether `name` is `known` or a dated snapshot of a known name. */
export function isKnownModel(name: string, known: ReadonlySet<string>): boolean {
  return known.has(name) || known.has(name.replace(SNAPSHOT, ''));
}
