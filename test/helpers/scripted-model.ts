import { Usage, type Model, type ModelProvider, type ModelRequest, type ModelResponse } from '@openai/agents';

type OutputItem = ModelResponse['output'][number];

/** One scripted model turn: sees the request (to assert on it) and returns the model's output items. */
export type ScriptStep = (request: ModelRequest) => OutputItem[];

let callCounter = 0;

/** A function call the model "makes" — a tool or a handoff (`transfer_to_…`). */
export function call(name: string, args: object): OutputItem {
  return { type: 'function_call', callId: `call_${++callCounter}`, name, arguments: JSON.stringify(args), status: 'completed' };
}

/** An assistant message ending the turn. */
export function say(text: string): OutputItem {
  return { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] } as OutputItem;
}

/**
 * A fake model driven by a script, shared by every agent: each `getResponse` consumes the next step.
 * It records every request with the model name it was asked for, so tests can check what each agent saw.
 */
export class ScriptedModelProvider implements ModelProvider {
  readonly requests: { model: string; request: ModelRequest }[] = [];
  private readonly steps: ScriptStep[];

  constructor(steps: ScriptStep[]) {
    this.steps = [...steps];
  }

  get remaining(): number {
    return this.steps.length;
  }

  getModel(name?: string): Model {
    return {
      getResponse: async (request: ModelRequest): Promise<ModelResponse> => {
        this.requests.push({ model: name ?? '(default)', request });
        const step = this.steps.shift();
        if (!step) throw new Error(`script exhausted: unexpected model call #${this.requests.length} (${name})`);
        return { output: step(request), usage: new Usage({ requests: 1, inputTokens: 100, outputTokens: 20, totalTokens: 120 }), responseId: `resp_${this.requests.length}` };
      },
      getStreamedResponse: () => {
        throw new Error('the scripted model does not stream');
      },
    };
  }
}

/** The item types in what a model was given as input (to check filters). */
export function inputTypes(request: ModelRequest): string[] {
  return typeof request.input === 'string' ? ['message'] : request.input.map((item) => String(item.type ?? 'message'));
}

/** The names of the tools and handoff tools offered to the model in a request. */
export function offeredTools(request: ModelRequest): string[] {
  return [...request.tools.map((t) => String((t as { name?: string }).name)), ...request.handoffs.map((h) => h.toolName)];
}
