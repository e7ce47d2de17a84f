/**
 * The Python importer: Agents SDK for Python source → a topology document, a side module of typed
 * TypeScript stubs (Python bodies cannot run in the generated TypeScript) and notes for everything
 * that could not be carried over as-is.
 */
import { basename } from 'node:path';
import type { EntryAmbiguity, ImportOptions, ImportResult, SideModuleExport, SourceLocation } from '../types.js';
import { camelCase, pascalCase } from '../../model/naming.js';
import { analyzeModule, callArguments, calleeName, locationOf, note, type PyAgent, type PyModule, type PyTool } from './analyze.js';
import { dedent, literalValue, stringValue } from './literals.js';
import { PythonImportError, withPythonTree, type PyNode } from './parser.js';
import type { JsonSchema } from './types-to-schema.js';
import { notImplemented, objectType } from './typescript-stubs.js';

export { PythonImportError } from './parser.js';

/** Thrown when the entry agent cannot be decided; lists the candidates for `--entry`. */
export class EntryAmbiguityError extends PythonImportError implements EntryAmbiguity {
  constructor(
    readonly kind: EntryAmbiguity['kind'],
    readonly candidates: EntryAmbiguity['candidates'],
    message: string,
  ) {
    super(message);
    this.name = 'EntryAmbiguityError';
  }
}

/** `support.yaml` → `support.switchboard.ts`: the side module written next to the YAML. */
export function sideModuleFileName(outFile: string): string {
  return `${basename(outFile).replace(/\.ya?ml$/i, '')}.switchboard.ts`;
}

type Doc = Record<string, unknown>;

interface Edge {
  from: string;
  to: string;
  kind?: 'delegate';
  fields: Doc;
}

export async function importPython(source: string, fileName: string, options: ImportOptions): Promise<ImportResult> {
  return withPythonTree(source, fileName, (root) => new Builder(analyzeModule(root, fileName), options).build());
}

const PYTHON_FILTERS: Record<string, string> = { remove_all_tools: 'removeAllTools' };
/** Filters of the Python SDK with no JavaScript counterpart (JS issue #681: nested handoff history). */
const SDK_ONLY_FILTERS = new Set(['nest_handoff_history']);
const AGENT_KEYS = new Set(['name', 'instructions', 'handoff_description', 'model', 'model_settings', 'tools', 'handoffs', 'output_type', 'input_guardrails', 'output_guardrails']);
const MODEL_SETTINGS: Record<string, string> = {
  temperature: 'temperature',
  top_p: 'topP',
  frequency_penalty: 'frequencyPenalty',
  presence_penalty: 'presencePenalty',
  max_tokens: 'maxTokens',
  tool_choice: 'toolChoice',
  parallel_tool_calls: 'parallelToolCalls',
  truncation: 'truncation',
  store: 'store',
};

/** What the Python SDK names a handoff or agent tool by default (lower case, unlike the JS SDK). */
function pythonFunctionStyle(name: string): string {
  return name.replace(/ /g, '_').replace(/[^a-zA-Z0-9_]/g, '_').toLowerCase();
}
function jsFunctionStyle(name: string): string {
  return name.replace(/\s/g, '_').replace(/[^a-zA-Z0-9]/g, '_');
}

class Builder {
  private readonly side: SideModuleExport[] = [];
  private readonly imports = new Set<string>();
  private readonly exportNames = new Set<string>();
  /** Export name by what it stubs (`tool:lookup_invoice`, `hook:on_handoff`), so each is written once. */
  private readonly stubs = new Map<string, string>();
  private readonly schemas: Record<string, JsonSchema> = {};
  private readonly agentIds = new Map<string, string>();
  private readonly usedTools = new Set<string>();
  private readonly edges: Edge[] = [];
  private readonly comments: Record<string, string> = {};
  private readonly sideFile: string;
  private context: string | undefined;

  constructor(
    private readonly module: PyModule,
    private readonly options: ImportOptions,
  ) {
    this.sideFile = sideModuleFileName(options.outFile);
  }

  build(): ImportResult {
    const { module } = this;
    for (const agent of module.agents.values()) this.agentIds.set(agent.variable, this.agentId(agent));
    if (module.agents.size === 0) throw new PythonImportError(`${module.file}: no Agent(...) assigned to a module-level variable was found, so there is nothing to import`);
    const agents: Doc = {};
    for (const agent of module.agents.values()) {
      const id = this.agentIds.get(agent.variable)!;
      agents[id] = this.agent(agent, id);
      this.comments[`/agents/${id}`] = `from ${where(agent.location)}`;
    }
    const entry = this.entry();
    const tools: Doc = {};
    for (const tool of module.tools.values()) {
      if (!this.usedTools.has(tool.name)) {
        note(module, tool.fn.node, 'info', `tool ${tool.name} is not given to any agent`, 'kept it under tools:');
      }
      tools[tool.name] = this.tool(tool);
      this.comments[`/tools/${tool.name}`] = `from ${where(tool.fn.location)}`;
    }
    const rules = this.lowerRules(entry, agents);
    const document: Doc = {
      version: 1,
      name: topologyName(this.options.outFile, module.file),
      description: `Imported from ${basename(module.file)} (OpenAI Agents SDK for Python).`,
      policy: this.isStar(entry) ? 'star' : 'mesh',
      entry,
      ...(this.context ? { context: this.context } : {}),
      agents,
      ...(Object.keys(tools).length ? { tools } : {}),
      ...(Object.keys(this.schemas).length ? { schemas: this.schemas } : {}),
      // The entry's edges first, then the rest in source order: the star reads from its hub outwards.
      ...(Object.keys(rules).length ? { rules } : {}),
      ...(this.edges.length ? { handoffs: [...this.edges].sort((a, b) => Number(a.from !== entry) - Number(b.from !== entry)).map((edge) => this.edgeDoc(edge, entry)) } : {}),
    };
    if (this.side.length) {
      module.notes.push({
        severity: 'info',
        message: `Python code cannot run in the generated TypeScript: the ${this.side.length} exports of ${this.sideFile} are typed stubs that throw "not implemented"`,
        action: `port each of them to TypeScript: ${this.side.map((s) => s.name).join(', ')}`,
        location: { file: module.file, line: 1, column: 1 },
      });
    }
    const notes = [...module.notes].sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
    return { document, comments: this.comments, sideModule: this.side, sideModuleImports: [...this.imports], notes };
  }

  /**
   * Python code may run several starting agents and needs no handoff_description; a topology has one
   * entry and the rules make those errors. The import keeps every agent and lowers those rules to
   * warnings, with a note per finding, so the imported file validates and the findings stay visible.
   */
  private lowerRules(entry: string, agents: Doc): Doc {
    const rules: Doc = {};
    const byId = new Map([...this.module.agents.values()].map((agent) => [this.agentIds.get(agent.variable)!, agent]));
    const reached = new Set([entry]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const edge of this.edges) if (reached.has(edge.from) && !reached.has(edge.to)) grew = reached.add(edge.to) !== undefined;
    }
    for (const id of Object.keys(agents)) {
      if (reached.has(id)) continue;
      rules.reachable = 'warning';
      note(this.module, byId.get(id)!.call, 'warning', `agent ${id} is not reachable from the entry ${entry} (a run may start from it separately)`, 'kept it and lowered the rule reachable to a warning: import again with --entry to make it the hub');
    }
    const targets = new Set(this.edges.filter((edge) => edge.kind !== 'delegate' && edge.to !== entry).map((edge) => edge.to));
    for (const id of targets) {
      if ((agents[id] as Doc).handoffDescription !== undefined) continue;
      rules['handoff-description'] = 'warning';
      note(this.module, byId.get(id)!.call, 'warning', `agent ${id} is a handoff target without a handoff_description`, 'lowered the rule handoff-description to a warning: add handoffDescription so triage can route to it');
    }
    return rules;
  }

  private agentId(agent: PyAgent): string {
    let id = agent.variable
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '_');
    if (!/^[a-z]/.test(id)) id = `agent_${id}`.replace(/__+/g, '_');
    id = id.slice(0, 64);
    if (id !== agent.variable) note(this.module, agent.call, 'info', `the variable ${agent.variable} is not a valid agent id`, `used the id ${id}`);
    return id;
  }

  private agent(agent: PyAgent, id: string): Doc {
    const { module } = this;
    const kw = agent.kwargs;
    const doc: Doc = {};
    const nameNode = kw.get('name');
    const name = stringValue(nameNode);
    if (name && name.interpolations.length === 0) doc.name = name.text;
    else {
      note(module, nameNode ?? agent.call, 'warning', nameNode ? `Agent ${agent.variable}: the name is computed (${nameNode.text})` : `Agent ${agent.variable} has no name`, `named it ${id}`);
    }
    const model = kw.get('model');
    if (model) {
      const value = stringValue(model);
      if (value && value.interpolations.length === 0) doc.model = value.text;
      else note(module, model, 'warning', `Agent ${agent.variable}: the model ${model.text} is not a string literal`, 'left out: the SDK default model is used');
    }
    const settings = kw.get('model_settings');
    if (settings) {
      const mapped = this.modelSettings(settings, agent.variable);
      if (Object.keys(mapped).length) doc.modelSettings = mapped;
    }
    Object.assign(doc, this.instructions(kw.get('instructions'), agent, id));
    const handoffDescription = stringValue(kw.get('handoff_description'));
    if (handoffDescription) doc.handoffDescription = dedent(handoffDescription.text);
    const tools = this.agentTools(agent, id);
    if (tools.length) doc.tools = tools;
    for (const item of agent.handoffItems) this.handoffItem(item, id, agent.variable);
    const output = kw.get('output_type');
    if (output && output.text !== 'str') {
      const schemaName = this.namedSchema(output, `Agent ${agent.variable}: output_type`);
      if (schemaName) doc.output = schemaName;
    }
    for (const [key, field] of [['input_guardrails', 'inputGuardrails'], ['output_guardrails', 'outputGuardrails']] as const) {
      const list = kw.get(key);
      if (!list) continue;
      const refs = (list.type === 'list' ? list.namedChildren : [list]).filter((n): n is PyNode => !!n && n.type !== 'comment').map((n) => this.guardrail(n, key === 'input_guardrails' ? 'input' : 'output'));
      if (refs.length) doc[field] = refs;
    }
    if (agent.contextType) this.contextType(agent.contextType, agent.call);
    for (const [key, value] of kw) {
      if (!AGENT_KEYS.has(key)) note(module, value, 'warning', `Agent ${agent.variable}: ${key} is not part of the topology format`, 'not carried over');
    }
    return doc;
  }

  private modelSettings(node: PyNode, variable: string): Doc {
    const result: Doc = {};
    if (node.type !== 'call' || calleeName(node) !== 'ModelSettings') {
      note(this.module, node, 'warning', `Agent ${variable}: model_settings is not a ModelSettings(...) call`, 'not carried over');
      return result;
    }
    for (const [key, value] of callArguments(node).keywords) {
      const literal = literalValue(value);
      if (MODEL_SETTINGS[key] && literal !== undefined && literal !== null) result[MODEL_SETTINGS[key]] = literal;
      else if (key === 'verbosity' && typeof literal === 'string') result.text = { verbosity: literal };
      else if (key === 'reasoning' && value.type === 'call' && calleeName(value) === 'Reasoning') {
        const reasoning: Doc = {};
        for (const [rk, rv] of callArguments(value).keywords) {
          const rl = literalValue(rv);
          if ((rk === 'effort' || rk === 'summary') && typeof rl === 'string') reasoning[rk] = rl;
          else note(this.module, rv, 'warning', `Agent ${variable}: Reasoning ${rk} is not carried over`, 'ignored');
        }
        result.reasoning = reasoning;
      } else note(this.module, value, 'warning', `Agent ${variable}: model setting ${key}=${value.text} is not carried over`, 'ignored');
    }
    return result;
  }

  /** instructions= as text, with the SDK's recommended prefix recognised, or a function → a stub. */
  private instructions(node: PyNode | undefined, agent: PyAgent, id: string): Doc {
    if (!node) return {};
    const resolved = node.type === 'identifier' && this.module.constants.has(node.text) ? this.module.constants.get(node.text)! : node;
    const parts = flattenConcat(resolved);
    let prefix = false;
    const texts: string[] = [];
    for (const part of parts) {
      if (part.type === 'identifier' && part.text === 'RECOMMENDED_PROMPT_PREFIX' && texts.length === 0 && !prefix) {
        prefix = true;
        continue;
      }
      if (part.type === 'call' && calleeName(part) === 'prompt_with_handoff_instructions') {
        prefix = true;
        const inner = callArguments(part).positional[0];
        if (inner) texts.push(...this.textOf(inner, agent));
        continue;
      }
      const constant = part.type === 'identifier' ? this.module.constants.get(part.text) : undefined;
      if (constant && stringValue(constant)) {
        texts.push(...this.textOf(constant, agent));
        continue;
      }
      if (part.type === 'identifier' && this.module.functions.has(part.text) && parts.length === 1) {
        const fn = this.module.functions.get(part.text)!;
        const name = this.stub(`instructions:${fn.name}`, camelCase(fn.name), 'instructions', (exportName) =>
          [`/** Dynamic instructions of ${id}, from ${where(fn.location)}. */`, `export function ${exportName}(_runContext: unknown, _agent: unknown): string | Promise<string> {`, `  ${notImplemented(fn.name, where(fn.location))}`, '}'].join('\n'),
        );
        note(this.module, node, 'warning', `Agent ${agent.variable}: instructions come from the Python function ${fn.name}`, `wrote a stub ${name} in ${this.sideFile}`);
        return { instructions: { implementation: this.ref(name) } };
      }
      const value = stringValue(part);
      if (!value) {
        note(this.module, part, 'warning', `Agent ${agent.variable}: instructions ${part.text} cannot be read statically`, texts.length || prefix ? 'left out this part' : 'left the agent without instructions');
        continue;
      }
      texts.push(...this.textOf(part, agent, () => prefix = true));
    }
    const text = dedent(texts.join(''));
    return { ...(prefix ? { instructionsPrefix: 'recommended' } : {}), ...(text ? { instructions: text } : {}) };
  }

  /** A string's text; an f-string starting with {RECOMMENDED_PROMPT_PREFIX} sets the prefix, other interpolations are kept as text with a note. */
  private textOf(node: PyNode, agent: PyAgent, onPrefix?: () => void): string[] {
    const value = stringValue(node);
    if (!value) return [];
    let text = value.text;
    if (value.interpolationAtStart === '{RECOMMENDED_PROMPT_PREFIX}' && onPrefix) {
      onPrefix();
      text = text.slice('{RECOMMENDED_PROMPT_PREFIX}'.length);
    }
    const others = value.interpolations.filter((i, index) => !(index === 0 && i === '{RECOMMENDED_PROMPT_PREFIX}' && onPrefix));
    for (const interpolation of others) {
      const constant = this.module.constants.get(interpolation.slice(1, -1));
      const constantText = constant ? stringValue(constant) : undefined;
      if (constantText && constantText.interpolations.length === 0) {
        text = text.replace(interpolation, constantText.text);
        continue;
      }
      note(this.module, node, 'warning', `Agent ${agent.variable}: the f-string interpolation ${interpolation} has no static value`, 'kept it as literal text in the instructions');
    }
    return [text];
  }

  private agentTools(agent: PyAgent, id: string): string[] {
    const names: string[] = [];
    for (const item of agent.toolItems) {
      const tool = item.type === 'identifier' ? this.module.toolsByVariable.get(item.text) : undefined;
      if (tool) {
        names.push(tool.name);
        this.usedTools.add(tool.name);
        continue;
      }
      const asTool = this.asToolCall(item);
      if (asTool) {
        this.delegate(asTool, id, agent.variable);
        continue;
      }
      note(this.module, item, 'warning', `Agent ${agent.variable}: the tool ${item.text} is not a @function_tool defined in this file`, 'not carried over (hosted, MCP and imported tools need declaring by hand)');
    }
    return names;
  }

  private asToolCall(item: PyNode): PyNode | undefined {
    const node = item.type === 'identifier' ? this.module.constants.get(item.text) : item;
    if (node?.type !== 'call') return undefined;
    const callee = node.childForFieldName('function');
    return callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'as_tool' ? node : undefined;
  }

  private delegate(call: PyNode, from: string, variable: string): void {
    const target = call.childForFieldName('function')!.childForFieldName('object')!;
    const to = this.agentIds.get(target.text);
    if (!to) {
      note(this.module, call, 'warning', `Agent ${variable}: ${target.text}.as_tool(...) is not on an agent of this file`, 'not carried over');
      return;
    }
    const { keywords, positional } = callArguments(call);
    const fields: Doc = {};
    const toolName = stringValue(keywords.get('tool_name') ?? positional[0]);
    const targetName = this.agentName(target.text);
    if (toolName) fields.toolName = toolName.text;
    else if (pythonFunctionStyle(targetName) !== jsFunctionStyle(targetName)) fields.toolName = pythonFunctionStyle(targetName);
    const description = stringValue(keywords.get('tool_description') ?? positional[1]);
    if (description) fields.description = dedent(description.text);
    for (const key of keywords.keys()) if (key !== 'tool_name' && key !== 'tool_description') note(this.module, keywords.get(key)!, 'warning', `${target.text}.as_tool: ${key} is not carried over`, 'ignored');
    this.edges.push({ from, to, kind: 'delegate', fields });
  }

  private agentName(variable: string): string {
    const name = stringValue(this.module.agents.get(variable)?.kwargs.get('name'));
    return name && name.interpolations.length === 0 ? name.text : (this.agentIds.get(variable) ?? variable);
  }

  private handoffItem(item: PyNode, from: string, variable: string): void {
    const node = item.type === 'identifier' && !this.agentIds.has(item.text) ? (this.module.constants.get(item.text) ?? item) : item;
    if (node.type === 'identifier') {
      const to = this.agentIds.get(node.text);
      if (!to) {
        note(this.module, item, 'warning', `Agent ${variable}: the handoff ${item.text} is not an agent of this file`, 'not carried over');
        return;
      }
      this.pushEdge({ from, to, fields: this.defaultToolName(node.text) }, item);
      return;
    }
    if (node.type !== 'call' || calleeName(node) !== 'handoff') {
      note(this.module, item, 'warning', `Agent ${variable}: the handoff ${item.text} cannot be read statically`, 'not carried over');
      return;
    }
    const { keywords, positional } = callArguments(node);
    const target = keywords.get('agent') ?? positional[0];
    const to = target ? this.agentIds.get(target.text) : undefined;
    if (!target || !to) {
      note(this.module, node, 'warning', `Agent ${variable}: handoff(${target?.text ?? ''}) does not target an agent of this file`, 'not carried over');
      return;
    }
    const fields: Doc = {};
    const toolName = stringValue(keywords.get('tool_name_override'));
    Object.assign(fields, toolName ? { toolName: toolName.text } : this.defaultToolName(target.text));
    const description = stringValue(keywords.get('tool_description_override'));
    if (description) fields.description = dedent(description.text);
    const inputType = keywords.get('input_type');
    if (inputType) {
      const schemaName = this.namedSchema(inputType, `handoff to ${target.text}: input_type`);
      if (schemaName) fields.input = schemaName;
    }
    const onHandoff = keywords.get('on_handoff');
    if (onHandoff) {
      const inputTs = typeof fields.input === 'string' ? fields.input : 'unknown';
      const name = this.functionStub(onHandoff, 'hook', 'on_handoff', (exportName, fn, at) =>
        [`/** on_handoff hook (receives the parsed handoff input), from ${at}. */`, `export async function ${exportName}(_context: unknown, _input${inputTs === 'unknown' ? '?' : ''}: ${inputTs}): Promise<void> {`, `  ${notImplemented(fn, at)}`, '}'].join('\n'),
      );
      if (name) fields.onHandoff = this.ref(name);
    }
    const filter = keywords.get('input_filter');
    if (filter) {
      const step = this.filterStep(filter);
      if (step) fields.filter = [step];
    }
    const enabled = keywords.get('is_enabled');
    if (enabled) {
      const literal = literalValue(enabled);
      if (typeof literal === 'boolean') fields.enabled = literal;
      else {
        const name = this.functionStub(enabled, 'hook', 'is_enabled', (exportName, fn, at) =>
          [`/** is_enabled predicate of a handoff, from ${at}. */`, `export function ${exportName}(_args: { runContext: unknown; agent: unknown }): boolean | Promise<boolean> {`, `  ${notImplemented(fn, at)}`, '}'].join('\n'),
        );
        if (name) fields.enabled = this.ref(name);
      }
    }
    for (const key of keywords.keys()) {
      if (!['agent', 'tool_name_override', 'tool_description_override', 'input_type', 'on_handoff', 'input_filter', 'is_enabled'].includes(key)) note(this.module, keywords.get(key)!, 'warning', `handoff(${target.text}): ${key} is not carried over`, 'ignored');
    }
    this.pushEdge({ from, to, fields }, node);
  }

  /** A second handoff between the same two agents is one the SDK would offer twice under one tool name. */
  private pushEdge(edge: Edge, at: PyNode): void {
    if (this.edges.some((e) => e.kind === edge.kind && e.from === edge.from && e.to === edge.to)) {
      note(this.module, at, 'warning', `a second handoff from ${edge.from} to ${edge.to}`, 'kept the first one');
      return;
    }
    this.edges.push(edge);
  }

  /** The Python SDK's default handoff tool name is lower case; keep it when the JS default would differ. */
  private defaultToolName(variable: string): Doc {
    const name = this.agentName(variable);
    const python = `transfer_to_${pythonFunctionStyle(name)}`;
    return python === `transfer_to_${jsFunctionStyle(name)}` ? {} : { toolName: python };
  }

  private filterStep(node: PyNode): unknown {
    const last = node.type === 'attribute' ? node.childForFieldName('attribute')?.text : node.text;
    if (last && PYTHON_FILTERS[last] && (node.type === 'identifier' || /^(agents\.extensions\.)?handoff_filters\.\w+$/.test(node.text))) return PYTHON_FILTERS[last];
    const sdkOnly = last && SDK_ONLY_FILTERS.has(last) ? `input_filter ${node.text}: the JavaScript SDK has no ${last}` : undefined;
    const name = this.functionStub(node, 'filter', 'input_filter', (exportName, fn, at) => {
      this.imports.add('import type { HandoffInputData } from "@openai/agents";');
      return [`/** Handoff input filter, from ${at}. Keep a call and its output together, and the caller's latest message. */`, `export function ${exportName}(_data: HandoffInputData): HandoffInputData {`, `  ${notImplemented(fn, at)}`, '}'].join('\n');
    }, sdkOnly);
    return name ? { implementation: this.ref(name) } : undefined;
  }

  private guardrail(node: PyNode, side: 'input' | 'output'): string {
    const type = side === 'input' ? 'InputGuardrail' : 'OutputGuardrail';
    const name = this.functionStub(node, 'guardrail', `${side}_guardrail`, (exportName, fn, at) => {
      this.imports.add(`import type { ${type} } from "@openai/agents";`);
      return [`/** ${side} guardrail, from ${at}. */`, `export const ${exportName}: ${type} = {`, `  name: ${JSON.stringify(fn)},`, '  execute: async () => {', `    ${notImplemented(fn, at)}`, '  },', '};'].join('\n');
    });
    return name ? this.ref(name) : this.ref('missingGuardrail');
  }

  /** A stub for a Python callable passed as a hook, filter, predicate or guardrail. */
  private functionStub(node: PyNode, kind: SideModuleExport['kind'], role: string, code: (exportName: string, fnName: string, at: string) => string, message?: string): string | undefined {
    const fnName = node.type === 'identifier' ? node.text : node.type === 'attribute' ? node.childForFieldName('attribute')?.text : undefined;
    const fn = fnName ? this.module.functions.get(fnName) : undefined;
    const at = fn ? where(fn.location) : where(locationOf(this.module.file, node));
    const label = fnName ?? `${role}_${node.startPosition.row + 1}`;
    const known = this.stubs.has(`${kind}:${label}`);
    const exportName = this.stub(`${kind}:${label}`, camelCase(label), kind, (name) => code(name, label, at));
    if (!known) note(this.module, node, 'warning', message ?? `${role} ${node.text.length > 60 ? `${node.text.slice(0, 57)}...` : node.text} is Python code`, `wrote a stub ${exportName} in ${this.sideFile}`);
    return exportName;
  }

  private stub(key: string, wanted: string, kind: SideModuleExport['kind'], code: (name: string) => string): string {
    const existing = this.stubs.get(key);
    if (existing) return existing;
    let name = /^[A-Za-z_$]/.test(wanted) ? wanted : `_${wanted}`;
    for (let i = 2; this.exportNames.has(name); i++) name = `${wanted}${i}`;
    this.exportNames.add(name);
    this.stubs.set(key, name);
    this.side.push({ name, kind, code: code(name) });
    return name;
  }

  private ref(exportName: string): string {
    return `${this.sideFile}#${exportName}`;
  }

  /** A pydantic model used as input_type/output_type → schemas[Name] and an exported interface. */
  private namedSchema(node: PyNode, what: string): string | undefined {
    const model = this.module.models.get(node.text);
    if (!model) {
      note(this.module, node, 'warning', `${what} ${node.text} is not a pydantic model defined in this file`, 'not carried over');
      return undefined;
    }
    const name = pascalCase(model.name).slice(0, 64);
    if (!this.schemas[name]) {
      this.schemas[name] = model.schema;
      this.comments[`/schemas/${name}`] = `from ${where(model.location)}`;
      this.stub(`schema:${name}`, name, 'schema', (exportName) => [`/** ${model.name}, from ${where(model.location)}. */`, `export interface ${exportName} ${objectType(model.schema)}`].join('\n'));
    }
    return name;
  }

  private contextType(text: string, at: PyNode): void {
    const model = this.module.models.get(text);
    if (!model) {
      note(this.module, at, 'warning', `the run context type ${text} is not a pydantic model defined in this file`, 'left the context untyped');
      return;
    }
    const name = this.stub(`context:${text}`, pascalCase(text), 'schema', (exportName) => [`/** The run context, from ${where(model.location)}. */`, `export interface ${exportName} ${objectType({ ...model.schema, required: [] })}`].join('\n'));
    this.context = this.ref(name);
  }

  private tool(tool: PyTool): Doc {
    const paramsType = `${pascalCase(tool.name)}Params`;
    const exportName = this.stub(`tool:${tool.name}`, camelCase(tool.fn.name), 'tool', (name) =>
      [
        `/** Arguments of ${tool.name} (from the Python signature). */`,
        `export interface ${paramsType} ${objectType(tool.parameters)}`,
        '',
        `/** ${tool.name}, from ${where(tool.fn.location)}. */`,
        `export async function ${name}(_args: ${paramsType}): Promise<unknown> {`,
        `  ${notImplemented(tool.name, where(tool.fn.location))}`,
        '}',
      ].join('\n'),
    );
    note(this.module, tool.fn.node, 'info', `tool ${tool.name} is Python code`, `wrote a typed stub ${exportName} in ${this.sideFile}`);
    const escalation = /escalat|human|operator/i.test(tool.name);
    return {
      ...(escalation ? { kind: 'human-escalation' } : {}),
      description: tool.description,
      parameters: tool.parameters,
      ...(tool.needsApproval ? { needsApproval: true } : {}),
      ...(tool.strict ? {} : { strict: false }),
      implementation: this.ref(exportName),
    };
  }

  private entry(): string {
    const { module } = this;
    const byName = (wanted: string) => [...module.agents.values()].find((a) => a.variable === wanted || this.agentIds.get(a.variable) === wanted || this.agentName(a.variable) === wanted);
    if (this.options.entry !== undefined) {
      const agent = byName(this.options.entry);
      if (!agent) throw new EntryAmbiguityError('entry-missing', this.allCandidates(), `--entry ${this.options.entry}: no agent of ${module.file} has that id, variable or name; candidates: ${this.allCandidates().map((c) => c.agent).join(', ')}`);
      return this.agentIds.get(agent.variable)!;
    }
    const found = new Map<string, SourceLocation>();
    for (const call of module.runnerCalls) {
      for (const variable of this.resolveAgentArgument(call.agentArg)) if (!found.has(variable)) found.set(variable, call.location);
    }
    if (found.size === 1) return this.agentIds.get([...found.keys()][0]!)!;
    if (found.size > 1) {
      const candidates = [...found].map(([variable, location]) => ({ agent: this.agentIds.get(variable)!, location }));
      throw new EntryAmbiguityError('entry-ambiguous', candidates, `${module.file}: runs start from ${candidates.length} different agents (${candidates.map((c) => `${c.agent} at ${where(c.location)}`).join(', ')}); choose one with --entry`);
    }
    // No Runner call: the only agent nothing hands off to.
    const targets = new Set(this.edges.map((e) => e.to));
    const roots = [...module.agents.values()].filter((a) => !targets.has(this.agentIds.get(a.variable)!));
    if (roots.length === 1) {
      note(module, roots[0]!.call, 'info', 'no Runner.run(...) call names the starting agent', `used ${this.agentIds.get(roots[0]!.variable)}, the only agent no other agent hands off to`);
      return this.agentIds.get(roots[0]!.variable)!;
    }
    const candidates = (roots.length ? roots : [...module.agents.values()]).map((a) => ({ agent: this.agentIds.get(a.variable)!, location: a.location }));
    throw new EntryAmbiguityError('entry-missing', candidates, `${module.file}: no Runner.run(...) call names the starting agent; choose one with --entry (${candidates.map((c) => c.agent).join(', ')})`);
  }

  private allCandidates(): EntryAmbiguity['candidates'] {
    return [...this.module.agents.values()].map((a) => ({ agent: this.agentIds.get(a.variable)!, location: a.location }));
  }

  /** Runner.run(triage_agent) or Runner.run(current_agent) where current_agent = triage_agent in the same scope. */
  private resolveAgentArgument(arg: PyNode | undefined): string[] {
    if (!arg || arg.type !== 'identifier') return [];
    if (this.module.agents.has(arg.text)) return [arg.text];
    let scope: PyNode | null = arg.parent;
    while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
    const sources = new Set<string>();
    const visit = (node: PyNode) => {
      if (node.type === 'assignment' && node.childForFieldName('left')?.text === arg.text) {
        const right = node.childForFieldName('right');
        if (right?.type === 'identifier' && this.module.agents.has(right.text)) sources.add(right.text);
      }
      for (const child of node.namedChildren) if (child) visit(child);
    };
    if (scope) visit(scope);
    return [...sources];
  }

  private isStar(entry: string): boolean {
    return this.edges.every((edge) => edge.from === entry || edge.to === entry);
  }

  private edgeDoc(edge: Edge, entry: string): Doc {
    return {
      ...(edge.kind ? { kind: edge.kind } : {}),
      from: edge.from,
      to: edge.to,
      ...(edge.kind !== 'delegate' && edge.to === entry ? { handback: true } : {}),
      ...edge.fields,
    };
  }
}

/** `a + b + c` and parenthesised strings → the operands, in order. */
function flattenConcat(node: PyNode): PyNode[] {
  if (node.type === 'parenthesized_expression' && node.namedChildren.length === 1) return flattenConcat(node.namedChildren[0]!);
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '+') {
    return [...flattenConcat(node.childForFieldName('left')!), ...flattenConcat(node.childForFieldName('right')!)];
  }
  return [node];
}

function where(location: SourceLocation): string {
  return `${basename(location.file)}:${location.line}`;
}

/** The topology name: the YAML file's base name, kebab-cased. */
function topologyName(outFile: string, pythonFile: string): string {
  const base = basename(outFile).replace(/\.ya?ml$/i, '') || basename(pythonFile).replace(/\.py$/, '');
  const name = base
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(?=[0-9])/, 'topology-');
  return (name || 'imported').slice(0, 64);
}

