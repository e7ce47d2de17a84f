/**
 * Reads an Agents SDK (Python) module into facts: the pydantic models, function tools, plain functions
 * and module constants it defines, the agents built at module level and what is done to them after
 * construction, and the Runner calls that start a run. Anything dynamic becomes a located note.
 */
import type { ImportNote, SourceLocation } from '../types.js';
import type { PyNode } from './parser.js';
import { cleandoc, literalValue, stringValue } from './literals.js';
import { annotationSchema, parseDocstring, type JsonSchema, type TypeScope } from './types-to-schema.js';

export interface PyFunction {
  name: string;
  node: PyNode;
  location: SourceLocation;
  /** Parameters with their annotation text (undefined when unannotated), in order. */
  params: Array<{ name: string; annotation?: string; hasDefault: boolean }>;
  docstring?: string;
  decorators: PyNode[];
}

export interface PyTool {
  /** The name the model calls (name_override, else the function's name). */
  name: string;
  fn: PyFunction;
  description: string;
  parameters: JsonSchema;
  needsApproval: boolean;
  strict: boolean;
}

export interface PyModel {
  name: string;
  location: SourceLocation;
  schema: JsonSchema;
}

export interface PyAgent {
  variable: string;
  call: PyNode;
  location: SourceLocation;
  /** `Agent[Context](...)`: the context type's source text. */
  contextType?: string;
  kwargs: Map<string, PyNode>;
  /** Handoff list items, in order, from the constructor and from later appends/assignments. */
  handoffItems: PyNode[];
  /** Tool list items, in order. */
  toolItems: PyNode[];
}

export interface RunnerCall {
  node: PyNode;
  location: SourceLocation;
  /** The first argument (starting_agent). */
  agentArg: PyNode | undefined;
}

export interface PyModule {
  file: string;
  functions: Map<string, PyFunction>;
  tools: Map<string, PyTool>;
  /** Tools by the Python variable (function) name. */
  toolsByVariable: Map<string, PyTool>;
  models: Map<string, PyModel>;
  enums: Map<string, JsonSchema>;
  /** Module-level `NAME = <expression>` assignments other than agents (strings, handoff(...), as_tool(...)). */
  constants: Map<string, PyNode>;
  agents: Map<string, PyAgent>;
  runnerCalls: RunnerCall[];
  notes: ImportNote[];
}

export function locationOf(file: string, node: PyNode): SourceLocation {
  return { file, line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

export function note(module: Pick<PyModule, 'file' | 'notes'>, node: PyNode, severity: ImportNote['severity'], message: string, action?: string): void {
  module.notes.push({ severity, message, ...(action ? { action } : {}), location: locationOf(module.file, node) });
}

/** `Agent(...)`, `Agent[Ctx](...)`, `agents.Agent(...)`: the context type text, or undefined when not an Agent call. */
export function agentCall(node: PyNode): { contextType?: string } | undefined {
  if (node.type !== 'call') return undefined;
  let callee = node.childForFieldName('function');
  let contextType: string | undefined;
  if (callee?.type === 'subscript') {
    contextType = callee.childForFieldName('subscript')?.text;
    callee = callee.childForFieldName('value');
  }
  if (!callee) return undefined;
  const name = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee.text;
  if (name !== 'Agent') return undefined;
  return contextType ? { contextType } : {};
}

/** The callee's last name: `handoff` for `handoff(...)` and `agents.handoff(...)`. */
export function calleeName(node: PyNode): string | undefined {
  const callee = node.childForFieldName('function');
  if (!callee) return undefined;
  if (callee.type === 'identifier') return callee.text;
  if (callee.type === 'attribute') return callee.childForFieldName('attribute')?.text;
  return undefined;
}

export function callArguments(call: PyNode): { positional: PyNode[]; keywords: Map<string, PyNode>; splats: PyNode[] } {
  const positional: PyNode[] = [];
  const keywords = new Map<string, PyNode>();
  const splats: PyNode[] = [];
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') splats.push(arg);
    else positional.push(arg);
  }
  return { positional, keywords, splats };
}

const TOOL_DECORATORS = new Set(['function_tool', 'tool']);

export function analyzeModule(root: PyNode, file: string): PyModule {
  const module: PyModule = {
    file,
    functions: new Map(),
    tools: new Map(),
    toolsByVariable: new Map(),
    models: new Map(),
    enums: new Map(),
    constants: new Map(),
    agents: new Map(),
    runnerCalls: [],
    notes: [],
  };
  const statements = root.namedChildren.filter((n): n is PyNode => !!n);
  // Classes first: tools and agents refer to models defined anywhere at module level.
  const classes = statements.map(unwrapDecorated).filter((n) => n.type === 'class_definition');
  for (const cls of classes) collectEnum(module, cls);
  for (const cls of classes) collectModel(module, cls, classes);
  const toolDefinitions: Array<{ fn: PyFunction; decorator: PyNode }> = [];
  for (const statement of statements) {
    const definition = unwrapDecorated(statement);
    if (definition.type === 'function_definition') {
      const fn = readFunction(module, definition, statement.type === 'decorated_definition' ? statement : undefined);
      module.functions.set(fn.name, fn);
      const decorator = fn.decorators.find((d) => TOOL_DECORATORS.has(decoratorName(d) ?? ''));
      if (decorator) toolDefinitions.push({ fn, decorator });
    }
  }
  for (const { fn, decorator } of toolDefinitions) {
    const tool = readTool(module, fn, decorator);
    if (module.tools.has(tool.name)) note(module, fn.node, 'warning', `a second function tool is named ${tool.name}`, 'kept the first one');
    else module.tools.set(tool.name, tool);
    module.toolsByVariable.set(fn.name, tool);
  }
  const handled = new Set<number>();
  for (const statement of statements) {
    if (statement.type !== 'expression_statement') continue;
    const expression = statement.namedChildren[0];
    if (!expression) continue;
    if (expression.type === 'assignment') readAssignment(module, expression, handled);
    else if (expression.type === 'augmented_assignment') readAugmented(module, expression, handled);
    else if (expression.type === 'call') readAfterConstruction(module, expression, handled);
  }
  for (const statement of statements) if (statement.type === 'for_statement') readAgentLoop(module, statement, handled);
  // Everything else: Agent(...) built in loops, functions or comprehensions, and Runner calls anywhere.
  walk(root, (node) => {
    if (node.type !== 'call') return;
    if (isAgentListMutation(node) && !handled.has(node.id)) {
      note(module, node, 'warning', `${node.text.split('\n')[0]!.slice(0, 80)}: a change to an agent's handoffs or tools that cannot be followed`, 'not carried over: add the edge or tool in the topology by hand');
    }
    if (agentCall(node) && !handled.has(node.id)) {
      note(module, node, 'warning', `an Agent is built ${dynamicContext(node)}; only agents assigned to a module-level variable can be imported`, 'not imported: declare it in the topology by hand');
    }
    const callee = node.childForFieldName('function');
    if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'clone' && module.agents.has(callee.childForFieldName('object')?.text ?? '')) {
      note(module, node, 'warning', `${callee.text}(...) makes a copy of an agent, which the importer does not follow`, 'not imported: declare the copy in the topology by hand');
    }
    if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === 'Runner' && /^run(_sync|_streamed)?$/.test(callee.childForFieldName('attribute')?.text ?? '')) {
      const { positional, keywords } = callArguments(node);
      module.runnerCalls.push({ node, location: locationOf(file, node), agentArg: keywords.get('starting_agent') ?? positional[0] });
    }
  });
  return module;
}

function readAssignment(module: PyModule, assignment: PyNode, handled: Set<number>): void {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (!left || !right) return;
  if (left.type === 'identifier') {
    const agent = agentCall(right);
    if (agent) {
      handled.add(right.id);
      const { keywords, positional, splats } = callArguments(right);
      const variable = left.text;
      for (const extra of [...positional, ...splats]) note(module, extra, 'warning', `Agent ${variable}: an argument that is not a keyword argument cannot be read`, 'ignored');
      module.agents.set(variable, {
        variable,
        call: right,
        location: locationOf(module.file, left),
        ...(agent.contextType ? { contextType: agent.contextType } : {}),
        kwargs: keywords,
        handoffItems: listItems(module, keywords.get('handoffs'), `${variable}.handoffs`),
        toolItems: listItems(module, keywords.get('tools'), `${variable}.tools`),
      });
      return;
    }
    module.constants.set(left.text, right);
    return;
  }
  // agent.handoffs = [...] / agent.tools = [...]
  if (left.type === 'attribute') {
    const target = module.agents.get(left.childForFieldName('object')?.text ?? '');
    const field = left.childForFieldName('attribute')?.text;
    if (target && (field === 'handoffs' || field === 'tools')) {
      const items = listItems(module, right, `${target.variable}.${field}`);
      if (field === 'handoffs') target.handoffItems = items;
      else target.toolItems = items;
      markAgentCalls(right, handled);
      handled.add(assignment.id);
    } else if (target) {
      note(module, assignment, 'warning', `${target.variable}.${field ?? '?'} is set after construction`, 'not carried over');
    }
  }
}

/** `x.handoffs.append(...)`, `x.handoffs = [...]`, `x.tools.extend(...)`: what the importer follows or notes. */
function isAgentListMutation(node: PyNode): boolean {
  const target = node.type === 'call' ? node.childForFieldName('function')?.childForFieldName('object') : node.type === 'assignment' || node.type === 'augmented_assignment' ? node.childForFieldName('left') : undefined;
  return target?.type === 'attribute' && /^(handoffs|tools)$/.test(target.childForFieldName('attribute')?.text ?? '');
}

/**
 * `for specialist in (billing, tech): specialist.handoffs.append(triage)` at module level: unrolled
 * when it iterates over a literal list of agents and only appends to their handoffs or tools.
 */
function readAgentLoop(module: PyModule, loop: PyNode, handled: Set<number>): void {
  const variable = loop.childForFieldName('left');
  const iterable = loop.childForFieldName('right');
  const body = (loop.childForFieldName('body')?.namedChildren ?? []).filter((n): n is PyNode => !!n && n.type !== 'comment');
  if (variable?.type !== 'identifier' || (iterable?.type !== 'list' && iterable?.type !== 'tuple')) return;
  const agents = iterable.namedChildren.map((item) => (item?.type === 'identifier' ? module.agents.get(item.text) : undefined));
  if (agents.length === 0 || agents.some((agent) => !agent)) return;
  const calls = body.map((statement) => (statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined));
  if (calls.some((call) => call?.type !== 'call' || !isAgentListMutation(call) || call.childForFieldName('function')?.childForFieldName('object')?.childForFieldName('object')?.text !== variable.text)) return;
  for (const agent of agents) for (const call of calls) readAfterConstruction(module, call!, handled, new Map([[variable.text, agent!.variable]]));
}

/** `agent.handoffs += [...]` (and `.tools`). */
function readAugmented(module: PyModule, assignment: PyNode, handled: Set<number>): void {
  const left = assignment.childForFieldName('left');
  const target = left?.type === 'attribute' ? module.agents.get(left.childForFieldName('object')?.text ?? '') : undefined;
  const field = left?.childForFieldName('attribute')?.text;
  const right = assignment.childForFieldName('right');
  if (!target || !right || (field !== 'handoffs' && field !== 'tools') || assignment.childForFieldName('operator')?.text !== '+=') return;
  (field === 'handoffs' ? target.handoffItems : target.toolItems).push(...listItems(module, right, `${target.variable}.${field}`));
  markAgentCalls(right, handled);
  handled.add(assignment.id);
}

/** `agent.handoffs.append(x)`, `.extend([...])`, `.insert(i, x)` (and the same on `.tools`). */
function readAfterConstruction(module: PyModule, call: PyNode, handled: Set<number>, alias = new Map<string, string>()): void {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute') return;
  const method = callee.childForFieldName('attribute')?.text;
  const owner = callee.childForFieldName('object');
  if (owner?.type !== 'attribute') return;
  const ownerName = owner.childForFieldName('object')?.text ?? '';
  const target = module.agents.get(alias.get(ownerName) ?? ownerName);
  const field = owner.childForFieldName('attribute')?.text;
  if (!target || (field !== 'handoffs' && field !== 'tools')) return;
  const list = field === 'handoffs' ? target.handoffItems : target.toolItems;
  const { positional } = callArguments(call);
  markAgentCalls(call, handled);
  handled.add(call.id);
  if (method === 'append' && positional[0]) list.push(positional[0]);
  else if (method === 'insert' && positional[1]) list.push(positional[1]);
  else if (method === 'extend' && positional[0]) list.push(...listItems(module, positional[0], `${target.variable}.${field}`));
  else note(module, call, 'warning', `${target.variable}.${field}.${method ?? '?'}(...) cannot be followed`, 'not carried over');
}

function markAgentCalls(node: PyNode, handled: Set<number>): void {
  walk(node, (child) => {
    if (agentCall(child)) handled.add(child.id);
  });
}

/** The items of a list/tuple literal; anything else (a variable, a comprehension) is a note. */
function listItems(module: PyModule, node: PyNode | undefined, what: string): PyNode[] {
  if (!node) return [];
  if (node.type === 'list' || node.type === 'tuple') {
    const items: PyNode[] = [];
    for (const item of node.namedChildren) {
      if (!item || item.type === 'comment') continue;
      if (item.type === 'list_splat') {
        note(module, item, 'warning', `${what}: the unpacked list ${item.text} cannot be followed`, 'not carried over');
        continue;
      }
      items.push(item);
    }
    return items;
  }
  const constant = node.type === 'identifier' ? module.constants.get(node.text) : undefined;
  if (constant && (constant.type === 'list' || constant.type === 'tuple')) return listItems(module, constant, what);
  note(module, node, 'warning', `${what} is computed (${node.type.replace(/_/g, ' ')}), not a list literal`, 'not carried over: list the items in the topology by hand');
  return [];
}

function dynamicContext(node: PyNode): string {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'for_statement' || parent.type === 'while_statement') return 'in a loop';
    if (/comprehension$/.test(parent.type) || parent.type === 'generator_expression') return 'in a comprehension';
    if (parent.type === 'function_definition') return `inside the function ${parent.childForFieldName('name')?.text ?? ''}`.trim();
    if (parent.type === 'lambda') return 'inside a lambda';
  }
  return 'without being assigned to a variable';
}

export function walk(node: PyNode, visit: (node: PyNode) => void): void {
  visit(node);
  for (const child of node.namedChildren) if (child) walk(child, visit);
}

function unwrapDecorated(node: PyNode): PyNode {
  return node.type === 'decorated_definition' ? (node.childForFieldName('definition') ?? node) : node;
}

function decoratorName(decorator: PyNode): string | undefined {
  let expression = decorator.namedChildren[0];
  if (expression?.type === 'call') expression = expression.childForFieldName('function') ?? undefined;
  if (!expression) return undefined;
  return expression.type === 'attribute' ? expression.childForFieldName('attribute')?.text : expression.text;
}

function readFunction(module: PyModule, definition: PyNode, decorated: PyNode | undefined): PyFunction {
  const name = definition.childForFieldName('name')?.text ?? '?';
  const params: PyFunction['params'] = [];
  for (const param of definition.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!param) continue;
    if (param.type === 'identifier') params.push({ name: param.text, hasDefault: false });
    else if (param.type === 'typed_parameter') {
      const id = param.namedChildren.find((c) => c?.type === 'identifier');
      if (id) params.push({ name: id.text, annotation: param.childForFieldName('type')?.text ?? '', hasDefault: false });
      else note(module, param, 'warning', `${name}: the variadic parameter ${param.text} is not part of the tool's schema`, 'left out');
    } else if (param.type === 'default_parameter' || param.type === 'typed_default_parameter') {
      const annotation = param.childForFieldName('type')?.text;
      params.push({ name: param.childForFieldName('name')?.text ?? '?', ...(annotation ? { annotation } : {}), hasDefault: true });
    } else if (param.type === 'list_splat_pattern' || param.type === 'dictionary_splat_pattern') {
      note(module, param, 'warning', `${name}: the variadic parameter ${param.text} is not part of the tool's schema`, 'left out');
    }
  }
  const first = definition.childForFieldName('body')?.namedChildren[0];
  const doc = first?.type === 'expression_statement' ? stringValue(first.namedChildren[0]) : undefined;
  const decorators = decorated ? decorated.namedChildren.filter((c): c is PyNode => c?.type === 'decorator') : [];
  return { name, node: definition, location: locationOf(module.file, definition.childForFieldName('name') ?? definition), params, ...(doc ? { docstring: cleandoc(doc.text) } : {}), decorators };
}

const CONTEXT_TYPES = /^(RunContextWrapper|ToolContext|AgentHookContext)\b/;

function readTool(module: PyModule, fn: PyFunction, decorator: PyNode): PyTool {
  const call = decorator.namedChildren[0]?.type === 'call' ? decorator.namedChildren[0] : undefined;
  const options = call ? callArguments(call).keywords : new Map<string, PyNode>();
  const name = stringValue(options.get('name_override'))?.text ?? fn.name;
  const doc = parseDocstring(fn.docstring ?? '');
  const useDoc = literalValue(options.get('use_docstring_info')) !== false;
  const description = stringValue(options.get('description_override'))?.text ?? (useDoc ? doc.description : '');
  const strict = literalValue(options.get('strict_mode')) !== false;
  const properties: Record<string, JsonSchema> = {};
  const params = fn.params.filter((param, index) => !(index === 0 && (CONTEXT_TYPES.test(param.annotation ?? '') || (param.annotation === undefined && /^(ctx|context|wrapper)$/.test(param.name)))));
  const scope = typeScope(module, fn.node, `tool ${name}`);
  for (const param of params) {
    let schema: JsonSchema;
    if (param.annotation === undefined) {
      note(module, fn.node, 'warning', `tool ${name}: the parameter ${param.name} has no type hint`, 'typed it as any value ({}): add a type in the topology');
      schema = {};
    } else schema = annotationSchema(param.annotation, scope);
    const described = useDoc ? doc.params[param.name] : undefined;
    properties[param.name] = described ? { ...schema, description: described } : schema;
  }
  const parameters: JsonSchema = { type: 'object', properties, required: Object.keys(properties), additionalProperties: !strict };
  const approval = options.get('needs_approval');
  let needsApproval = false;
  if (approval) {
    const value = literalValue(approval);
    if (typeof value === 'boolean') needsApproval = value;
    else {
      needsApproval = true;
      note(module, approval, 'warning', `tool ${name}: needs_approval is a function (${approval.text}); the topology can only say true or false`, 'set needsApproval: true (every call asks for approval)');
    }
  }
  for (const key of options.keys()) {
    if (!['name_override', 'description_override', 'needs_approval', 'strict_mode', 'use_docstring_info', 'docstring_style'].includes(key)) {
      note(module, options.get(key)!, 'warning', `tool ${name}: ${key} is not carried over`, 'ignored');
    }
  }
  if (!description) note(module, fn.node, 'warning', `tool ${name} has no docstring or description_override`, `described it as "${name}"`);
  return { name, fn, description: description || name, parameters, needsApproval, strict };
}

export function typeScope(module: PyModule, at: PyNode, what: string): TypeScope {
  return {
    model: (name) => module.enums.get(name) ?? module.models.get(name)?.schema,
    unknown: (typeText, why) => note(module, at, 'warning', `${what}: ${typeText}: ${why}`, 'used {} (any value)'),
  };
}

function superclasses(cls: PyNode): string[] {
  return (cls.childForFieldName('superclasses')?.namedChildren ?? []).map((c) => c?.text.replace(/^.*\./, '') ?? '');
}

function collectEnum(module: PyModule, cls: PyNode): void {
  if (!superclasses(cls).some((base) => /^(Str|Int)?Enum$/.test(base))) return;
  const values: Array<string | number> = [];
  for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    const value = assignment?.type === 'assignment' ? literalValue(assignment.childForFieldName('right')) : undefined;
    if (typeof value === 'string' || typeof value === 'number') values.push(value);
  }
  const types = [...new Set(values.map((v) => (typeof v === 'string' ? 'string' : Number.isInteger(v) ? 'integer' : 'number')))];
  module.enums.set(cls.childForFieldName('name')?.text ?? '?', { type: types.length === 1 ? types[0] : types, enum: values });
}

const FIELD_CONSTRAINTS: Record<string, string> = { ge: 'minimum', le: 'maximum', gt: 'exclusiveMinimum', lt: 'exclusiveMaximum', min_length: 'minLength', max_length: 'maxLength', pattern: 'pattern' };

/** A pydantic BaseModel (or a subclass of one defined here) → a strict object schema. */
function collectModel(module: PyModule, cls: PyNode, classes: PyNode[]): void {
  const name = cls.childForFieldName('name')?.text ?? '?';
  if (module.models.has(name) || module.enums.has(name)) return;
  const bases = superclasses(cls);
  const localBases = bases.map((base) => classes.find((c) => c.childForFieldName('name')?.text === base)).filter((c): c is PyNode => !!c);
  for (const base of localBases) collectModel(module, base, classes);
  if (!bases.includes('BaseModel') && !localBases.some((base) => module.models.has(base.childForFieldName('name')?.text ?? ''))) return;
  const properties: Record<string, JsonSchema> = {};
  for (const base of localBases) Object.assign(properties, (module.models.get(base.childForFieldName('name')?.text ?? '')?.schema.properties ?? {}) as Record<string, JsonSchema>);
  const body = cls.childForFieldName('body')?.namedChildren ?? [];
  const doc = body[0]?.type === 'expression_statement' ? stringValue(body[0].namedChildren[0]) : undefined;
  const scope = typeScope(module, cls, `model ${name}`);
  for (const statement of body) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    const field = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    const annotation = assignment?.childForFieldName('type')?.text;
    if (!assignment || field?.type !== 'identifier' || !annotation || annotation.startsWith('ClassVar')) continue;
    let schema = annotationSchema(annotation, scope);
    const value = assignment.childForFieldName('right');
    if (value?.type === 'call' && calleeName(value) === 'Field') {
      const { keywords } = callArguments(value);
      const description = stringValue(keywords.get('description'))?.text;
      if (description) schema = { ...schema, description };
      for (const [python, json] of Object.entries(FIELD_CONSTRAINTS)) {
        const constraint = literalValue(keywords.get(python));
        if (constraint !== undefined && constraint !== null) schema = { ...schema, [json]: constraint };
      }
    }
    properties[field.text] = schema;
  }
  const schema: JsonSchema = { type: 'object', ...(doc ? { description: cleandoc(doc.text) } : {}), properties, required: Object.keys(properties), additionalProperties: false };
  module.models.set(name, { name, location: locationOf(module.file, cls.childForFieldName('name') ?? cls), schema });
}
