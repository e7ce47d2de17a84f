/**
 * Checks on what a model is given as input, for the invariants the Responses API enforces: every tool
 * output follows its call (else 400 "No tool call found for function call output"), and the run keeps
 * the caller's own message.
 */

/** Output item types (the SDK's names and the API's) that answer an earlier call with the same call id. */
const OUTPUT_TYPES = new Set([
  'function_call_result',
  'function_call_output',
  'computer_call_result',
  'computer_call_output',
  'shell_call_output',
  'apply_patch_call_output',
  'program_output',
  'tool_search_output',
]);

type Item = { type?: unknown; callId?: unknown; call_id?: unknown; role?: unknown; content?: unknown };

const typeOf = (item: unknown) => String((item as Item).type ?? 'message');
const callIdOf = (item: unknown) => (item as Item).callId ?? (item as Item).call_id;

/** The call ids of outputs that have no call before them in `items`. */
export function orphanedOutputs(items: readonly unknown[]): string[] {
  const calls = new Set<unknown>();
  const orphans: string[] = [];
  for (const item of items) {
    if (OUTPUT_TYPES.has(typeOf(item))) {
      if (!calls.has(callIdOf(item))) orphans.push(String(callIdOf(item)));
    } else if (callIdOf(item) !== undefined) calls.add(callIdOf(item));
  }
  return orphans;
}

/** Whether a user message whose text contains `text` is among the items. */
export function hasUserMessage(items: readonly unknown[], text: string): boolean {
  return items.some((item) => (item as Item).role === 'user' && JSON.stringify((item as Item).content).includes(text));
}

/** Reasoning items the item after which was removed (last in the list, or followed by a user message). */
export function strandedReasoning(items: readonly unknown[]): number[] {
  return items.flatMap((item, i) => {
    if (typeOf(item) !== 'reasoning') return [];
    const next = items[i + 1];
    return next === undefined || (next as Item).role === 'user' ? [i] : [];
  });
}

const MODEL_TYPES = new Set(['reasoning', 'function_call', 'computer_call', 'shell_call', 'apply_patch_call', 'hosted_tool_call', 'tool_search_call', 'program']);
const isModelItem = (item: unknown) => MODEL_TYPES.has(typeOf(item)) || (item as Item).role === 'assistant';
const idOf = (item: unknown) => (item as { id?: unknown }).id;

/**
 * Server ids of items in `after` whose model response had a reasoning item in `before` that `after`
 * lacks: the Responses API rejects those ("… was provided without its required 'reasoning' item").
 */
export function missingTheirReasoning(before: readonly unknown[], after: readonly unknown[]): string[] {
  const sent = new Set<unknown>(after.map(idOf).filter((id) => id !== undefined));
  const missing: string[] = [];
  let reasoning: unknown;
  for (const item of before) {
    if (!isModelItem(item)) reasoning = undefined;
    else if (typeOf(item) === 'reasoning') reasoning = idOf(item);
    else if (reasoning !== undefined && sent.has(idOf(item)) && !sent.has(reasoning)) missing.push(String(idOf(item)));
  }
  return missing;
}
