import { docComment, jsonDoc, lit, multiline, propertyKey } from '../code.js';
import { typeMembers } from './schema-to-type.js';
import { assignment, object, render, str, unionType } from './layout.js';
import { allFilterSteps, describeFilterStep, indexOf } from '../../model/queries.js';
import type { FilterStep, JsonSchema, Topology } from '../../model/types.js';
import { bindingKey, bindings, schemaKey, schemaUses, type Names } from './names.js';

// Fixed declarations, written as prettier prints them (the layout tests hold them to that).
const TOOL_IMPLEMENTATION = [
  docComment('What a tool implementation receives: its declared parameters and the SDK run context.'),
  'export type ToolImplementation<Params> = (',
  '  args: Params,',
  '  context?: RunContext<TopologyContext>,',
  ') => unknown;',
];
const HANDOFF_HOOK = [
  docComment("An edge's `onHandoff` hook: the run context and the parsed handoff input."),
  'export type HandoffHook<Input> = (',
  '  context: RunContext<TopologyContext>,',
  '  input: Input,',
  ') => void | Promise<void>;',
];
const HANDOFF_INPUT_FILTER = [docComment('A handoff input filter (the SDK requires them to be synchronous).'), 'export type HandoffInputFilter = (data: HandoffInputData) => HandoffInputData;'];
const HANDOFF_ENABLED = [
  docComment("An edge's `enabled` predicate: whether the model is offered the handoff on this turn."),
  'export type HandoffEnabled = (args: {',
  '  runContext: RunContext<TopologyContext>;',
  '  agent: Agent<any, any>;',
  '}) => boolean | Promise<boolean>;',
];
const DYNAMIC_INSTRUCTIONS = [
  docComment('Instructions built at run time.'),
  'export type DynamicInstructions = (',
  '  runContext: RunContext<TopologyContext>,',
  '  agent: Agent<TopologyContext, any>,',
  ') => string | Promise<string>;',
];

/** The signatures user code must have; tsc checks every user export against one of them. */
export function emitSignatures(topology: Topology, contextType: string | undefined): string[] {
  return [
    docComment(contextType ? `The run context every tool, hook and filter receives (${contextType}).` : 'This topology declares no `context:`, so the run context is untyped.'),
    `export type TopologyContext = ${contextType ?? 'unknown'};`,
    ...TOOL_IMPLEMENTATION,
    ...HANDOFF_HOOK,
    ...(allFilterSteps(topology).length ? HANDOFF_INPUT_FILTER : []),
    ...(topology.edges.some((e) => e.enabled?.kind === 'predicate') ? HANDOFF_ENABLED : []),
    ...(topology.agents.some((a) => a.instructions?.kind === 'dynamic') ? DYNAMIC_INSTRUCTIONS : []),
    '',
  ];
}

/** Parameter types of tools, input/output types and their JSON Schemas, and prompt fragments. */
export function emitTypes(topology: Topology, names: Names): string[] {
  const out: string[] = [];
  for (const tool of topology.tools) {
    out.push(docComment(`Parameters of the tool \`${tool.id}\`; its implementation must accept this type.`), unionType(typeMembers(tool.parameters), 0, `export type ${names.params.get(tool.id)} = `, ';'), '');
  }
  const schemas = indexOf(topology).schemas;
  for (const use of schemaUses(topology)) {
    const key = schemaKey(use);
    const schema: JsonSchema = use.kind === 'named' ? (schemas.get(use.name)?.schema ?? {}) : use.schema;
    out.push(
      docComment(use.kind === 'named' ? `The schema \`${use.name}\`.` : 'A schema declared inline.'),
      unionType(typeMembers(schema), 0, `export type ${names.schemaType.get(key)} = `, ';'),
      render(jsonDoc(sdkRootSchema(schema)), 0, `export const ${names.schemaConst.get(key)} = `, ` satisfies ${SCHEMA_CONSTRAINT};`),
    );
    const output = names.outputConst.get(key);
    if (output) {
      const definition = object([['type', str('"json_schema"')], ['name', str(lit(names.schemaType.get(key)!))], ['strict', 'true'], ['schema', names.schemaConst.get(key)!]]);
      out.push(render(definition, 0, `export const ${output} = `, ' satisfies JsonSchemaDefinition;'));
    }
    out.push('');
  }
  if (topology.fragments.length) {
    const fragments = object(topology.fragments.map((f) => [propertyKey(f.name), multiline(f.text)] as const), true);
    out.push(docComment('Reusable prompt fragments (`fragments:` in the YAML).'), render(fragments, 0, 'export const promptFragments = ', ' as const;'), '');
  }
  return out;
}

/**
 * The SDK types a JSON-Schema root as exactly `{ type, properties, required, additionalProperties,
 * description }`, so `satisfies ToolInputParameters` alone rejects any other root keyword (`title`,
 * `$defs`, `examples`, …: TS2353) although the SDK passes them through to the API. The open record
 * keeps the shape check and lets such keywords through.
 */
export const SCHEMA_CONSTRAINT = 'ToolInputParameters & Record<string, unknown>';

/** The schema with `properties` and `required` present at the root, which the SDK's type requires (same meaning). */
export function sdkRootSchema(schema: JsonSchema): JsonSchema {
  return { ...schema, properties: schema.properties ?? {}, required: schema.required ?? [] };
}

/**
 * Each user export bound to a typed constant, so tsc reports a signature mismatch here, by name.
 * `include` picks a subset by binding key (voice.ts binds only the hooks and predicates it uses).
 */
export function emitBindings(topology: Topology, names: Names, include?: (key: string) => boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const [ref, type, what] of bindings(topology, names.params, names.schemaType)) {
    const key = bindingKey(ref, type);
    if (seen.has(key) || (include && !include(key))) continue;
    seen.add(key);
    out.push(docComment(`${what} (${ref.path}#${ref.exportName}).`), assignment(`const ${names.binding.get(key)}: ${type}`, `${names.module.get(ref.path)}.${ref.exportName}`));
  }
  return out.length ? [...out, ''] : [];
}

export function emitFilters(topology: Topology, names: Names): string[] {
  const steps = allFilterSteps(topology);
  const out: string[] = [];
  if (steps.some((s) => s.kind !== 'custom')) out.push(...ITEM_TYPE_HELPER);
  if (steps.some((s) => s.kind === 'removeAllTools' || s.kind === 'removeReasoning')) out.push(...DROP_ITEMS_HELPER);
  if (steps.some((s) => s.kind === 'removeAllTools')) out.push(...REMOVE_ALL_TOOLS_HELPER);
  if (steps.some((s) => s.kind === 'keepLast')) out.push(...KEEP_LAST_HELPER);
  if (steps.some((s) => s.kind === 'removeReasoning')) out.push(...REMOVE_REASONING_HELPER);
  for (const filter of topology.filters) {
    out.push(
      docComment(`Filter pipeline \`${filter.name}\`: ${filter.steps.map(describeFilterStep).join(' → ')}.`),
      `export function ${names.filter.get(filter.name)}(data: HandoffInputData): HandoffInputData {`,
      ...filter.steps.map((s) => `  data = ${stepCall(s, names)};`),
      '  return data;',
      '}',
      '',
    );
  }
  return out;
}

export function stepCall(step: FilterStep, names: Names, data = 'data'): string {
  switch (step.kind) {
    case 'removeAllTools':
      return `removeAllTools(${data})`;
    case 'removeReasoning':
      return `removeReasoningItems(${data})`;
    case 'keepLast':
      return `keepLastItems(${data}, ${step.count})`;
    case 'custom':
      return `${names.binding.get(bindingKey(step.implementation, 'HandoffInputFilter'))}(${data})`;
  }
}

/** The SDK version the built-in filter helpers and the recommended prompt prefix were copied from. */
export const SDK_SOURCE_VERSION = '@openai/agents 0.20.0';

/**
 * The SDK's RECOMMENDED_PROMPT_PREFIX (agents-core `extensions/handoffPrompt`), inlined because
 * generated code imports only `@openai/agents`, which does not re-export it. A test compares it with
 * the installed SDK's constant, so a change upstream is caught.
 */
export const SDK_RECOMMENDED_PROMPT_PREFIX = `# System context
You are part of a multi-agent system called the Agents SDK, designed to make agent coordination and execution easy. Agents uses two primary abstractions: **Agents** and **Handoffs**. An agent encompasses instructions and tools and can hand off a conversation to another agent when appropriate. Handoffs are achieved by calling a handoff function, generally named \`transfer_to_<agent_name>\`. Transfers between agents are handled seamlessly in the background; do not mention or draw attention to these transfers in your conversation with the user.`;

/** `const RECOMMENDED_PROMPT_PREFIX = …;` for agents with `instructionsPrefix: recommended`. */
export function emitRecommendedPrefix(): string[] {
  return [
    docComment(`The SDK's RECOMMENDED_PROMPT_PREFIX, copied from ${SDK_SOURCE_VERSION}: the package does not export it.`),
    render(multiline(SDK_RECOMMENDED_PROMPT_PREFIX), 0, 'const RECOMMENDED_PROMPT_PREFIX = ', ';'),
    '',
  ];
}

// The built-in filter steps. Items are recognised by their `type` fields, never by `instanceof`: with
// two copies of the SDK installed, class checks silently stop matching.
const ITEM_TYPE_HELPER = `
/** An item's \`type\`, or "" (a plain \`{ role, content }\` message has none). */
function itemType(item: unknown): string {
  const type = (item as { type?: unknown } | undefined)?.type;
  return typeof type === "string" ? type : "";
}

/** Item types a model response is made of, besides assistant messages; reasoning comes first. */
const MODEL_ITEM_TYPES = new Set([
  "reasoning",
  "function_call",
  "computer_call",
  "shell_call",
  "apply_patch_call",
  "hosted_tool_call",
  "tool_search_call",
  "program",
]);

/** Whether an item is part of a model response (not the caller's input, not a tool's output). */
function isModelItem(item: unknown): boolean {
  const role = (item as { role?: unknown } | undefined)?.role;
  return MODEL_ITEM_TYPES.has(itemType(item)) || role === "assistant";
}
`.trimStart().split('\n');

const DROP_ITEMS_HELPER = `
/**
 * The history and run items without those \`keep\` rejects. Kept items of a model response whose
 * reasoning item was dropped lose their server \`id\`: the Responses API rejects a stored message or
 * call sent without its reasoning item ("… was provided without its required 'reasoning' item");
 * without the id it is sent as plain content.
 */
function dropItems(
  data: HandoffInputData,
  keep: (item: unknown, runItemType?: string) => boolean,
): HandoffInputData {
  const history = typeof data.inputHistory === "string" ? [] : data.inputHistory;
  const runItems = [...data.preHandoffItems, ...data.newItems];
  // Approval placeholders are never sent to the model, so they belong to no response.
  const raw = [
    ...history,
    ...runItems.map((item) => (item.type === "tool_approval_item" ? undefined : item.rawItem)),
  ];
  const kept = [
    ...history.map((item) => keep(item)),
    ...runItems.map((item) => keep(item.rawItem, item.type)),
  ];
  const unlinked = new Set<number>();
  for (let i = 0, reasoningDropped = false; i < raw.length; i++) {
    if (!isModelItem(raw[i])) reasoningDropped = false;
    else if (itemType(raw[i]) === "reasoning") reasoningDropped = !kept[i];
    else if (reasoningDropped && kept[i]) unlinked.add(i);
  }
  function withoutId<T>(item: T): T {
    const copy = { ...item } as T & { id?: unknown };
    delete copy.id;
    return copy;
  }
  const runItem = <T extends { rawItem?: unknown }>(item: T, i: number): T =>
    unlinked.has(history.length + i)
      ? Object.assign(Object.create(Object.getPrototypeOf(item)) as T, item, {
          rawItem: withoutId(item.rawItem),
        })
      : item;
  const pre = data.preHandoffItems.length;
  const inputHistory = history.map((item, i) => (unlinked.has(i) ? withoutId(item) : item));
  return {
    ...data,
    inputHistory:
      typeof data.inputHistory === "string"
        ? data.inputHistory
        : inputHistory.filter((_, i) => kept[i]),
    preHandoffItems: data.preHandoffItems.map(runItem).filter((_, i) => kept[history.length + i]),
    newItems: data.newItems
      .map((item, i) => runItem(item, pre + i))
      .filter((_, i) => kept[history.length + pre + i]),
  };
}
`.trimStart().split('\n');

const REMOVE_ALL_TOOLS_HELPER = `
/** Input item types \`removeAllTools\` drops: the SDK's list (${SDK_SOURCE_VERSION}). */
const TOOL_INPUT_TYPES = new Set([
  "function_call",
  "function_call_result",
  "tool_search_call",
  "tool_search_output",
  "computer_call",
  "computer_call_result",
  "shell_call",
  "shell_call_output",
  "apply_patch_call",
  "apply_patch_call_output",
  "program",
  "program_output",
  "hosted_tool_call",
  "reasoning",
]);
/** Run item types \`removeAllTools\` drops: the classes the SDK's filter checks, by their \`type\`. */
const TOOL_RUN_ITEM_TYPES = new Set([
  "handoff_call_item",
  "handoff_output_item",
  "tool_search_call_item",
  "tool_search_output_item",
  "tool_call_item",
  "tool_call_output_item",
  "reasoning_item",
  "tool_approval_item",
]);

/**
 * \`removeAllTools\`: the SDK's filter of that name (tool, tool-search and handoff calls and results,
 * approvals and reasoning go; messages stay), matching items by \`type\` so it works with any copy of
 * the SDK. It also drops run items that wrap a tool item, so no call or output is left without its
 * pair, and unlinks messages from the reasoning it drops (see \`dropItems\`).
 */
function removeAllTools(data: HandoffInputData): HandoffInputData {
  return dropItems(
    data,
    (item, runItemType = "") =>
      !TOOL_RUN_ITEM_TYPES.has(runItemType) && !TOOL_INPUT_TYPES.has(itemType(item)),
  );
}
`.trimStart().split('\n');

const KEEP_LAST_HELPER = `
/** Item types that answer a call (the SDK's names, and the API's), matched to it by call id. */
const OUTPUT_TYPES = new Set([
  "function_call_result",
  "function_call_output",
  "computer_call_result",
  "computer_call_output",
  "shell_call_output",
  "apply_patch_call_output",
  "program_output",
  "tool_search_output",
  "custom_tool_call_output",
]);

/** The call id an item carries (\`callId\`, \`call_id\`, or in \`providerData\` for tool search). */
function callIdOf(item: unknown): string | undefined {
  const ids = item as { callId?: unknown; call_id?: unknown; providerData?: unknown } | undefined;
  const provider = ids?.providerData as { callId?: unknown; call_id?: unknown } | undefined;
  const id = ids?.callId ?? ids?.call_id ?? provider?.call_id ?? provider?.callId;
  return typeof id === "string" ? id : undefined;
}

/**
 * \`keepLast: N\`: the target sees the last N items of the conversation (the earlier history and this
 * turn's items counted together), with the cut moved earlier where it would split what the API takes
 * only together: a kept tool or handoff output keeps its call, and a model response cut in two keeps
 * its reasoning item and what follows it. The caller's latest message is always kept, even when it
 * lies before the cut. So the target may see more than N items, never an output without its call.
 */
function keepLastItems(data: HandoffInputData, count: number): HandoffInputData {
  const history: unknown[] =
    typeof data.inputHistory === "string"
      ? [{ role: "user", content: data.inputHistory }]
      : data.inputHistory;
  // Approval placeholders are never sent to the model: they are neither counted nor paired.
  const runItems = [...data.preHandoffItems, ...data.newItems].map((item) =>
    item.type === "tool_approval_item" ? undefined : item.rawItem,
  );
  const items = [...history, ...runItems];
  let start = items.length;
  for (let seen = 0; start > 0 && seen < count; start--) if (items[start - 1] !== undefined) seen++;
  // Walking back over the kept items (the loop bound follows \`start\` as it moves): each output
  // pulls its call in.
  for (let i = items.length - 1; i >= start; i--) {
    if (!OUTPUT_TYPES.has(itemType(items[i]))) continue;
    const answered = callIdOf(items[i]);
    for (let j = start - 1; j >= 0 && answered !== undefined; j--) {
      if (!OUTPUT_TYPES.has(itemType(items[j])) && callIdOf(items[j]) === answered) start = j;
    }
  }
  // A cut inside a model response moves back to its first reasoning item, if it has one.
  if (isModelItem(items[start])) {
    for (let i = start - 1; i >= 0 && isModelItem(items[i]); i--) {
      if (itemType(items[i]) === "reasoning") start = i;
    }
  }
  let latestUserMessage = -1;
  for (let i = 0; i < history.length; i++) {
    const role = (history[i] as { role?: unknown } | undefined)?.role;
    if (role === "user" && ["", "message"].includes(itemType(history[i]))) latestUserMessage = i;
  }
  const kept = (index: number) => index >= start || index === latestUserMessage;
  const offset = history.length;
  return {
    ...data,
    inputHistory:
      typeof data.inputHistory === "string"
        ? data.inputHistory
        : data.inputHistory.filter((_, i) => kept(i)),
    preHandoffItems: data.preHandoffItems.filter((_, i) => kept(offset + i)),
    newItems: data.newItems.filter((_, i) => kept(offset + data.preHandoffItems.length + i)),
  };
}
`.trimStart().split('\n');

const REMOVE_REASONING_HELPER = `
/**
 * \`removeReasoning\`: drop reasoning items, which a non-reasoning model cannot take as input, and
 * unlink the rest of their responses from them (see \`dropItems\`).
 */
function removeReasoningItems(data: HandoffInputData): HandoffInputData {
  return dropItems(data, (item) => itemType(item) !== "reasoning");
}
`.trimStart().split('\n');
