import { withResponseSpan, type Model, type ModelRequest, type ModelResponse } from '@openai/agents';
import { ScriptedModelProvider } from './scripted-model.js';

/**
 * The scripted provider, tracing each call the way the SDK's OpenAI Responses model does
 * (agents-openai `openaiResponsesModel.js` getResponse): a response span carrying the request input in
 * `_input` and the response (model, usage) in `_response`, when the run traces with sensitive data.
 */
export class TracingScriptedModelProvider extends ScriptedModelProvider {
  override getModel(name?: string): Model {
    const inner = super.getModel(name);
    return {
      getResponse: (request: ModelRequest): Promise<ModelResponse> =>
        withResponseSpan(async (span) => {
          const response = await inner.getResponse(request);
          if (request.tracing === true) {
            span.spanData.response_id = response.responseId;
            span.spanData._input = request.input as never;
            span.spanData._response = { id: response.responseId, model: name ?? 'default', usage: { input_tokens: response.usage.inputTokens, output_tokens: response.usage.outputTokens } };
          }
          return response;
        }),
      getStreamedResponse: inner.getStreamedResponse.bind(inner),
    };
  }
}
