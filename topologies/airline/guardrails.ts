import type { InputGuardrail } from '@openai/agents';

const OFF_TOPIC = /\b(poem|joke|essay|homework|recipe|write (me )?(a|some) code)\b/i;

/**
 * Input guardrail on triage: trips on requests that have nothing to do with air travel. The SDK
 * example uses a model as the judge; a keyword check keeps this one offline and deterministic.
 */
export const relevanceGuardrail: InputGuardrail = {
  name: 'relevance',
  execute: async ({ input }) => {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    const offTopic = OFF_TOPIC.test(text);
    return { tripwireTriggered: offTopic, outputInfo: { offTopic } };
  },
};
