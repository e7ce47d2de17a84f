/**
 * The model provider one evaluation attempt runs with. It forwards calls to the ModelCall chain and
 * records the routing decision from the entry model's raw output: the first function call naming one
 * of the handoffs offered in the request. (`removeAllTools` filters strip handoff items from the
 * run's items, so the raw output is the reliable place to read it.) In routing mode it then answers
 * the specialist's first model call with a canned message, so the specialist never reaches a model.
 */
import type { Model, ModelResponse } from '@openai/agents';
import type { CallContext, ModelCall, ModelProvider, ModelRequest, OutputItem, Sdk, TimedResponse, UsageRecord } from './types.js';
import { usageInput } from './usage.js';

export const STOPPED_REPLY = '[switchboard eval] routing recorded; the specialist was not run (use --full to run the whole turn).';

/** How a model requested as `''` (the SDK default) is shown. */
export const DEFAULT_MODEL_LABEL = '(default)';

export interface CallRecord {
  /** The model name as requested (`(default)` for the SDK default). */
  readonly model: string;
  readonly usage: UsageRecord;
  readonly latencyMs: number;
}

export interface RouteDecision {
  /** The handoff tool the entry model called, e.g. `transfer_to_BillingAgent`. */
  readonly toolName: string;
  /** Its raw JSON arguments: the handoff input (a HandoffReason, for the support desk). */
  readonly arguments: string;
}

export interface AttemptTrace {
  readonly calls: CallRecord[];
  decision?: RouteDecision;
  /** Set once the specialist's call was answered with the canned reply. */
  stopped: boolean;
}

/** A model call failed (after retries); `cause` is the provider's or the cassette's error. */
export class ModelCallError extends Error {
  override readonly name = 'ModelCallError';
}

export function newTrace(): AttemptTrace {
  return { calls: [], stopped: false };
}

export interface CaptureOptions {
  readonly call: ModelCall;
  readonly sdk: Pick<Sdk, 'Usage'>;
  readonly context: CallContext;
  readonly trace: AttemptTrace;
  /** Routing mode: do not run the specialist once the route is known. */
  readonly stopAfterRouting: boolean;
  /** Sees every real response (the `run` command prints handoff reasons from here). */
  readonly onResponse?: (request: ModelRequest, response: TimedResponse) => void;
}

type FunctionCall = { type: 'function_call'; name: string; arguments: string };

function isFunctionCall(item: OutputItem): item is OutputItem & FunctionCall {
  return item.type === 'function_call' && typeof (item as { name?: unknown }).name === 'string';
}

/** The first handoff call in a response, given the handoffs the request offered. */
export function findHandoffCall(request: ModelRequest, output: readonly OutputItem[]): RouteDecision | undefined {
  const offered = new Set(request.handoffs.map((h) => h.toolName));
  const call = output.find((item) => isFunctionCall(item) && offered.has(item.name)) as FunctionCall | undefined;
  return call ? { toolName: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}) } : undefined;
}

export function captureProvider(options: CaptureOptions): ModelProvider {
  const { trace, sdk } = options;
  return {
    getModel: (name?: string): Model => ({
      getResponse: async (request: ModelRequest): Promise<ModelResponse> => {
        if (options.stopAfterRouting && trace.decision) {
          trace.stopped = true;
          const reply = { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: STOPPED_REPLY }] } as OutputItem;
          return { output: [reply], usage: new sdk.Usage() };
        }
        const model = name ?? '';
        let response: TimedResponse;
        try {
          response = await options.call(model, request, options.context);
        } catch (error) {
          throw new ModelCallError(`${model || DEFAULT_MODEL_LABEL}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
        }
        trace.calls.push({ model: model === '' ? DEFAULT_MODEL_LABEL : model, usage: response.usage, latencyMs: response.latencyMs });
        if (!trace.decision) {
          const decision = findHandoffCall(request, response.output);
          if (decision) trace.decision = decision;
        }
        options.onResponse?.(request, response);
        return {
          output: response.output,
          usage: new sdk.Usage(usageInput(response.usage)),
          ...(response.responseId !== undefined ? { responseId: response.responseId } : {}),
        };
      },
      // The runner streams only when asked to; evaluation never asks.
      getStreamedResponse: async function* () {
        throw new Error('switchboard eval runs models without streaming');
      },
    }),
  };
}

/** The reason a handoff gave: the `reason` field of its input, else the input as compact JSON. */
export function handoffReason(argumentsJson: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(argumentsJson || '{}');
  } catch {
    return argumentsJson.trim() || undefined;
  }
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const reason = (data as Record<string, unknown>).reason;
    if (typeof reason === 'string') return reason;
    return Object.keys(data).length > 0 ? JSON.stringify(data) : undefined;
  }
  return data === null || data === '' ? undefined : JSON.stringify(data);
}
