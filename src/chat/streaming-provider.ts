/**
 * The chat runs the SDK in streaming mode, to print each handoff and tool call as the run makes it.
 * Every model source switchboard has (a --provider module, OpenAI, a replayed cassette, through the
 * eval's recording and retry layers) answers whole responses, so a streamed call is served as one
 * complete response (`response_done`): items still arrive one model call at a time.
 */
import type { Model, ModelProvider, ModelRequest, StreamEvent } from '@openai/agents';

export function streamingProvider(inner: ModelProvider): ModelProvider {
  let served = 0;
  return {
    getModel: async (name?: string): Promise<Model> => {
      const model = await inner.getModel(name);
      return {
        getResponse: (request: ModelRequest) => model.getResponse(request),
        getStreamedResponse: async function* (request: ModelRequest): AsyncGenerator<StreamEvent> {
          const response = await model.getResponse(request);
          const usage = response.usage;
          yield {
            type: 'response_done' as const,
            response: {
              id: response.responseId ?? `switchboard_chat_${++served}`,
              usage: { requests: usage.requests, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens },
              output: response.output,
            },
          } as StreamEvent;
        },
      };
    },
  };
}
