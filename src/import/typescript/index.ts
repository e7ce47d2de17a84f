import { dirname, relative, resolve, basename, sep, posix } from 'node:path';
import type { ts as TS } from '@ts-morph/common';
import { ImportEntryError, ImportSourceError } from '../errors.js';
import type { ImportNote, ImportOptions, ImportResult, SideModuleExport, SourceLocation } from '../types.js';
import { isZodExpression, zodToJsonSchema, type ZodReader } from './zod.js';
import { lit } from '../../emit/code.js';

/**
 * The TypeScript/JavaScript importer: reads `@openai/agents` wiring (agents, tools, handoffs, filters,
 * guardrails, delegation) with the TypeScript compiler's parser and checker and turns it into a
 * topology document. Code (tool bodies, hooks, filters, guardrails, dynamic instructions) is never
 * copied: it is referenced where it lives, or re-exported from the side module `<name>.switchboard.ts`.
 */

export { ImportEntryError, ImportSourceError } from '../errors.js';

type CodeRef =
  | { kind: 'module'; path: string; exportName: string }
  | { kind: 'local'; name: string; exported: boolean; node: TS.Node }
  | { kind: 'inline'; node: TS.Node };

interface AgentInfo {
  id: string;
  variable?: string;
  exported: boolean;
  node: TS.Expression;
  config: TS.ObjectLiteralExpression;
  key: TS.Node;
  contextType?: TS.TypeNode;
}

interface Edge {
  from: AgentInfo;
  to: AgentInfo;
  node: TS.Node;
  options?: TS.ObjectLiteralExpression;
  delegate?: boolean;
}

export async function importTypeScript(source: string, fileName: string, options: ImportOptions): Promise<ImportResult> {
  const { ts } = await import('@ts-morph/common');
  return new TypeScriptImporter(ts, source, fileName, options).run();
}

class TypeScriptImporter {
  private readonly file: TS.SourceFile;
  private readonly checker: TS.TypeChecker;
  private readonly notes: ImportNote[] = [];
  private readonly side = new Map<string, SideModuleExport>();
  private readonly sideImports = new Set<string>();
  private readonly agents: AgentInfo[] = [];
  private readonly agentByKey = new Map<TS.Node, AgentInfo>();
  private readonly edges: Edge[] = [];
  private readonly tools: Record<string, Record<string, unknown>> = {};
  private readonly toolKeys = new Map<TS.Node, string>();
  private readonly schemas: Record<string, unknown> = {};
  private readonly filters: Record<string, unknown[]> = {};
  private readonly comments: Record<string, string> = {};
  private readonly sourceModule: string;
  private readonly sideName: string;
  private readonly displayFile: string;
  private needsExport = new Map<string, TS.Node>();

  constructor(
    private readonly ts: typeof TS,
    private readonly text: string,
    private readonly fileName: string,
    private readonly options: ImportOptions,
  ) {
    const isJs = /\.(m?js|cjs)$/.test(fileName);
    const host = ts.createCompilerHost({});
    const realName = resolve(fileName);
    this.file = ts.createSourceFile(realName, text, ts.ScriptTarget.Latest, true, isJs ? ts.ScriptKind.JS : ts.ScriptKind.TS);
    const program = ts.createProgram({
      rootNames: [realName],
      options: { noLib: true, noResolve: true, allowJs: true, types: [] },
      host: { ...host, getSourceFile: (name) => (resolve(name) === realName ? this.file : undefined), fileExists: (name) => resolve(name) === realName, readFile: () => undefined, writeFile: () => undefined },
    });
    this.checker = program.getTypeChecker();
    this.displayFile = fileName.split(sep).join('/');
    const outDir = dirname(resolve(options.outFile));
    this.sourceModule = this.relativeModule(outDir, realName);
    this.sideName = `${basename(options.outFile).replace(/\.ya?ml$/, '')}.switchboard.ts`;
  }

  run(): ImportResult {
    const syntax = (this.file as unknown as { parseDiagnostics?: TS.Diagnostic[] }).parseDiagnostics ?? [];
    if (syntax.length) {
      const first = syntax[0]!;
      throw new ImportSourceError(`syntax error: ${this.ts.flattenDiagnosticMessageText(first.messageText, ' ')}`, this.locate(first.start ?? 0));
    }
    this.findAgents(this.file);
    if (!this.agents.length) throw new ImportSourceError('no `new Agent(…)` or `Agent.create(…)` found in the file', this.locate(0));
    this.idsFromAgentsMap();
    for (const agent of this.agents) this.readAgentWiring(agent);
    this.findLaterWiring(this.file);
    const entry = this.chooseEntry();
    const document: Record<string, unknown> = {
      version: 1,
      name: kebab(basename(this.options.outFile).replace(/\.ya?ml$/, '')) || 'imported',
      description: `Imported from ${basename(this.fileName)} by switchboard import.`,
      entry: entry.id,
    };
    const context = this.agents.find((a) => a.contextType)?.contextType;
    if (context) {
      const ref = this.typeRef(context);
      if (ref) document.context = ref;
    }
    const agents: Record<string, unknown> = {};
    for (const agent of this.agents) agents[agent.id] = this.agentDocument(agent, entry);
    document.agents = agents;
    if (Object.keys(this.tools).length) document.tools = this.tools;
    const handoffs = this.edgeDocuments(entry);
    if (Object.keys(this.schemas).length) document.schemas = this.schemas;
    if (Object.keys(this.filters).length) document.filters = this.filters;
    if (Object.keys(this.fragments).length) document.fragments = this.fragments;
    if (handoffs.length) document.handoffs = handoffs;
    for (const [name, node] of this.needsExport) {
      this.note('warning', node, `\`${name}\` is not exported from ${basename(this.fileName)}, and the side module ${this.sideName} re-exports it`, `add \`export\` to \`${name}\` in ${basename(this.fileName)}`);
    }
    return {
      document,
      comments: this.comments,
      sideModule: [...this.side.values()],
      sideModuleImports: [...this.sideImports],
      notes: this.notes.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column),
    };
  }

  // ---- discovery -------------------------------------------------------------------------------

  private isAgentConstruction(node: TS.Node): node is TS.NewExpression | TS.CallExpression {
    const ts = this.ts;
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Agent') return true;
    return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'Agent' && node.expression.name.text === 'create';
  }

  private findAgents(node: TS.Node): void {
    const ts = this.ts;
    if (this.isAgentConstruction(node)) {
      const config = node.arguments?.[0];
      const loop = this.enclosingLoop(node);
      if (loop) {
        this.note('warning', node, 'an agent built in a loop or a callback cannot become a fixed topology node', 'left out; declare each agent with its own `new Agent(…)`');
      } else if (!config || !ts.isObjectLiteralExpression(config)) {
        this.note('warning', node, 'an agent whose options are not an object literal', 'left out; write the options inline');
      } else {
        this.addAgent(node, config);
      }
    }
    ts.forEachChild(node, (child) => this.findAgents(child));
  }

  private enclosingLoop(node: TS.Node): TS.Node | undefined {
    const ts = this.ts;
    for (let current = node.parent; current; current = current.parent) {
      if (ts.isForStatement(current) || ts.isForOfStatement(current) || ts.isForInStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current)) return current;
      if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && ts.isCallExpression(current.parent)) return current;
    }
    return undefined;
  }

  private addAgent(node: TS.NewExpression | TS.CallExpression, config: TS.ObjectLiteralExpression): void {
    const ts = this.ts;
    let variable: string | undefined;
    let key: TS.Node = node;
    let exported = false;
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && parent.initializer === node) {
      variable = parent.name.text;
      key = parent;
      exported = this.isExported(parent);
    }
    const nameNode = this.property(config, 'name');
    const name = nameNode ? this.constantString(nameNode) : undefined;
    if (nameNode && name === undefined) this.note('warning', nameNode, 'the agent name is computed at run time', `named it after the variable${variable ? ` \`${variable}\`` : ''}`);
    const base = variable ? variable.replace(/Agent$/, '') || variable : name ?? 'agent';
    let id = snake(base) || 'agent';
    for (let n = 2; this.agents.some((a) => a.id === id); n++) id = `${snake(base)}_${n}`;
    const typeArgument = ts.isNewExpression(node) ? node.typeArguments?.[0] : undefined;
    const info: AgentInfo = { id, exported, node, config, key, ...(variable ? { variable } : {}), ...(typeArgument ? { contextType: typeArgument } : {}) };
    this.agents.push(info);
    this.agentByKey.set(key, info);
    this.agentByKey.set(node, info);
  }

  /** A top-level `agents = { id: agentVariable, … }` map (what the compiler exports) names the ids. */
  private idsFromAgentsMap(): void {
    const ts = this.ts;
    for (const statement of this.file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.name.text !== 'agents' || !declaration.initializer) continue;
        const map = skipOuter(ts, declaration.initializer);
        if (!ts.isObjectLiteralExpression(map)) continue;
        for (const p of map.properties) {
          const key = ts.isPropertyAssignment(p) ? propertyName(ts, p.name) : undefined;
          const agent = ts.isPropertyAssignment(p) ? this.agentOf(p.initializer) : undefined;
          if (key && agent && /^[a-z][a-z0-9_-]*$/.test(key) && !this.agents.some((a) => a !== agent && a.id === key)) agent.id = key;
        }
      }
    }
  }

  /** The agent an expression stands for: a variable holding one, or an inline construction. */
  private agentOf(expression: TS.Expression): AgentInfo | undefined {
    const ts = this.ts;
    const node = skipOuter(ts, expression);
    const direct = this.agentByKey.get(node);
    if (direct) return direct;
    if (ts.isIdentifier(node)) {
      const declaration = this.declarationOf(node);
      if (!declaration) return undefined;
      const agent = this.agentByKey.get(declaration);
      if (agent) return agent;
      if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(skipOuter(ts, declaration.initializer))) return this.agentOf(declaration.initializer);
    }
    return undefined;
  }

  private readAgentWiring(agent: AgentInfo): void {
    const handoffs = this.property(agent.config, 'handoffs');
    if (handoffs) this.readHandoffList(agent, handoffs);
    const tools = this.property(agent.config, 'tools');
    if (tools) this.readToolList(agent, tools);
  }

  private readHandoffList(from: AgentInfo, list: TS.Expression): void {
    const ts = this.ts;
    const array = this.resolveExpression(list);
    if (!ts.isArrayLiteralExpression(array)) {
      this.note('warning', list, `the handoffs of \`${from.id}\` are computed at run time`, 'no edges taken from it; list the handoffs in an array literal');
      return;
    }
    for (const element of array.elements) this.readHandoff(from, element);
  }

  private readHandoff(from: AgentInfo, element: TS.Expression): void {
    const ts = this.ts;
    if (ts.isSpreadElement(element)) {
      const inner = this.resolveExpression(element.expression);
      if (ts.isArrayLiteralExpression(inner)) {
        for (const item of inner.elements) this.readHandoff(from, item);
        return;
      }
      this.note('warning', element, 'a spread of a handoff list computed at run time', 'no edges taken from it');
      return;
    }
    const target = this.agentOf(element);
    if (target) {
      this.edges.push({ from, to: target, node: element });
      return;
    }
    const call = this.resolveExpression(element);
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'handoff' && call.arguments[0]) {
      const to = this.agentOf(call.arguments[0]);
      const opts = call.arguments[1] && this.resolveExpression(call.arguments[1]);
      if (!to) {
        this.note('warning', call.arguments[0], 'a handoff to an agent this importer could not identify', 'edge left out');
        return;
      }
      if (opts && !ts.isObjectLiteralExpression(opts)) this.note('warning', opts, 'handoff options that are not an object literal', 'edge kept without its options');
      this.edges.push({ from, to, node: call, ...(opts && ts.isObjectLiteralExpression(opts) ? { options: opts } : {}) });
      return;
    }
    this.note('warning', element, `a handoff of \`${from.id}\` this importer does not recognise`, 'edge left out');
  }

  private readToolList(agent: AgentInfo, list: TS.Expression): void {
    const ts = this.ts;
    const array = this.resolveExpression(list);
    if (!ts.isArrayLiteralExpression(array)) {
      this.note('warning', list, `the tools of \`${agent.id}\` are computed at run time`, 'no tools taken from it; list the tools in an array literal');
      return;
    }
    for (const element of array.elements) this.readTool(agent, element);
  }

  private readTool(agent: AgentInfo, element: TS.Expression): void {
    const ts = this.ts;
    const node = skipOuter(ts, element);
    if (ts.isSpreadElement(node)) {
      const inner = this.resolveExpression(node.expression);
      if (ts.isArrayLiteralExpression(inner)) for (const item of inner.elements) this.readTool(agent, item);
      else this.note('warning', node, 'a spread of a tool list computed at run time', 'no tools taken from it');
      return;
    }
    // agent.asTool({...}) → a delegate edge.
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'asTool') {
      const target = this.agentOf(node.expression.expression);
      if (!target) {
        this.note('warning', node, '`asTool()` on an agent this importer could not identify', 'delegation left out');
        return;
      }
      const opts = node.arguments[0] && this.resolveExpression(node.arguments[0]);
      this.edges.push({ from: agent, to: target, node, delegate: true, ...(opts && ts.isObjectLiteralExpression(opts) ? { options: opts } : {}) });
      return;
    }
    const name = this.toolOf(element);
    if (name) {
      const uses = ((this.toolUses[agent.id] ??= []));
      if (!uses.includes(name)) uses.push(name);
      return;
    }
    this.note('warning', element, `a tool of \`${agent.id}\` that is not a \`tool({…})\` function tool (hosted, MCP or computed tools are not part of the format)`, 'left out');
  }

  private readonly toolUses: Record<string, string[]> = {};

  /** Registers the function tool an expression stands for and returns its name. */
  private toolOf(expression: TS.Expression): string | undefined {
    const ts = this.ts;
    let node = skipOuter(ts, expression);
    let variable: string | undefined;
    let exported = false;
    let key: TS.Node = node;
    if (ts.isIdentifier(node)) {
      const declaration = this.declarationOf(node);
      if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
      variable = node.text;
      exported = this.isExported(declaration);
      key = declaration;
      node = skipOuter(ts, declaration.initializer);
    }
    if (this.toolKeys.has(key)) return this.toolKeys.get(key);
    if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'tool') return undefined;
    const config = node.arguments[0] && this.resolveExpression(node.arguments[0]);
    if (!config || !ts.isObjectLiteralExpression(config)) {
      this.note('warning', node, '`tool()` with options that are not an object literal', 'left out');
      return undefined;
    }
    const nameNode = this.property(config, 'name');
    let name = nameNode ? this.constantString(nameNode) : undefined;
    if (name === undefined) {
      name = snake(variable?.replace(/Tool$/, '') ?? 'tool');
      this.note('warning', nameNode ?? node, 'a tool whose name is not a string literal', `named it \`${name}\``);
    }
    const sanitized = name.replace(/\s/g, '_').replace(/[^a-zA-Z0-9_]/g, '_');
    if (sanitized !== name) this.note('info', nameNode ?? node, `the tool name \`${name}\` is sent to the model as \`${sanitized}\``, `named it \`${sanitized}\``);
    name = sanitized;
    this.toolKeys.set(key, name);
    const doc: Record<string, unknown> = {};
    const description = this.property(config, 'description');
    const descriptionText = description && this.constantString(description);
    doc.description = descriptionText ?? name;
    if (description && descriptionText === undefined) this.note('warning', description, 'a tool description computed at run time', `used \`${name}\``);
    const parameters = this.property(config, 'parameters');
    const strictNode = this.property(config, 'strict');
    const strict = strictNode ? this.constant(strictNode) : undefined;
    if (parameters) {
      const schema = this.schemaOf(parameters, `the parameters of \`${name}\``);
      doc.parameters = schema ?? { type: 'object', properties: {}, required: [], additionalProperties: strict === false };
    } else {
      doc.parameters = { type: 'object', properties: {}, required: [], additionalProperties: false };
    }
    const approval = this.property(config, 'needsApproval');
    if (approval) {
      const value = this.constant(approval);
      if (value === true) doc.needsApproval = true;
      else if (value !== false) this.note('warning', approval, `\`needsApproval\` of \`${name}\` is decided at run time; the format has only true or false`, 'set `needsApproval: true` (every call asks)');
      if (value !== true && value !== false) doc.needsApproval = true;
    }
    if (strict === false) doc.strict = false;
    const execute = this.property(config, 'execute') ?? this.method(config, 'execute');
    const exportName = camel(name);
    const ref = execute ? this.codeRef(execute) : undefined;
    doc.implementation = this.implementationFor(ref, {
      exportName,
      kind: 'tool',
      // An inline body stays in the tool object: the side module calls it through the SDK's invoke.
      viaObject: variable ? { variable, exported, node: key } : undefined,
      what: `the tool \`${name}\``,
      node: execute ?? node,
      stubSignature: '(args: unknown): unknown',
    });
    this.tools[name] = doc;
    this.comments[`/tools/${name}`] = `from ${this.where(node)}`;
    return name;
  }

  /** `x.handoffs = [...]`, `x.handoffs.push(...)`, `x.tools.push(y.asTool())` after construction. */
  private findLaterWiring(node: TS.Node): void {
    const ts = this.ts;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
      const agent = this.agentOf(node.left.expression);
      if (agent && node.left.name.text === 'handoffs') this.readHandoffList(agent, node.right);
      if (agent && node.left.name.text === 'tools') this.readToolList(agent, node.right);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'push' && ts.isPropertyAccessExpression(node.expression.expression)) {
      const list = node.expression.expression;
      const agent = this.agentOf(list.expression);
      if (agent && list.name.text === 'handoffs') for (const arg of node.arguments) this.readHandoff(agent, arg);
      if (agent && list.name.text === 'tools') for (const arg of node.arguments) this.readTool(agent, arg);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'clone') {
      const agent = this.agentOf(node.expression.expression);
      if (agent) this.note('warning', node, `\`${agent.id}.clone(…)\` makes a copy the topology does not model`, 'the copy is left out; declare it as its own agent');
    }
    ts.forEachChild(node, (child) => this.findLaterWiring(child));
  }

  // ---- entry -----------------------------------------------------------------------------------

  private chooseEntry(): AgentInfo {
    const candidates: { agent: AgentInfo; node: TS.Node }[] = [];
    const visit = (node: TS.Node): void => {
      const ts = this.ts;
      if (ts.isCallExpression(node) && node.arguments[0]) {
        const callee = node.expression;
        const isRun = (ts.isIdentifier(callee) && callee.text === 'run') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 'run');
        if (isRun) {
          const agent = this.agentOf(node.arguments[0]);
          if (agent && !candidates.some((c) => c.agent === agent)) candidates.push({ agent, node });
        }
      }
      // What the generated code exports as its entry.
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'entryAgent' && node.initializer) {
        const agent = this.agentOf(node.initializer);
        if (agent && !candidates.some((c) => c.agent === agent)) candidates.push({ agent, node });
      }
      ts.forEachChild(node, visit);
    };
    visit(this.file);
    const list = (items: { agent: AgentInfo; node: TS.Node }[]) => items.map((c) => ({ agent: c.agent.id, location: this.locate(c.node.getStart()) }));
    if (this.options.entry !== undefined) {
      const wanted = this.options.entry;
      const agent = this.agents.find((a) => a.id === wanted || a.variable === wanted || this.constantString(this.property(a.config, 'name')) === wanted);
      if (agent) return agent;
      const all = this.agents.map((a) => ({ agent: a, node: a.node }));
      throw new ImportEntryError({ kind: 'entry-missing', candidates: list(all) }, `--entry ${wanted} names no agent in ${this.displayFile}`);
    }
    if (candidates.length === 1) return candidates[0]!.agent;
    if (candidates.length > 1) {
      throw new ImportEntryError({ kind: 'entry-ambiguous', candidates: list(candidates) }, `${this.displayFile} runs more than one agent; choose the entry with --entry`);
    }
    const targets = new Set(this.edges.map((e) => e.to));
    const roots = this.agents.filter((a) => !targets.has(a));
    if (roots.length === 1) {
      this.note('info', roots[0]!.node, `no \`run(agent, …)\` call found; \`${roots[0]!.id}\` is the only agent nothing hands off to`, `made \`${roots[0]!.id}\` the entry`);
      return roots[0]!;
    }
    const pool = (roots.length ? roots : this.agents).map((a) => ({ agent: a, node: a.node }));
    throw new ImportEntryError({ kind: 'entry-missing', candidates: list(pool) }, `${this.displayFile} has no \`run(agent, …)\` call that decides the entry agent; choose it with --entry`);
  }

  // ---- documents -------------------------------------------------------------------------------

  private agentDocument(agent: AgentInfo, entry: AgentInfo): Record<string, unknown> {
    const ts = this.ts;
    const doc: Record<string, unknown> = {};
    const config = agent.config;
    const name = this.constantString(this.property(config, 'name'));
    doc.name = name ?? agent.variable ?? agent.id;
    const description = this.constantString(this.property(config, 'handoffDescription'));
    const instructions = this.property(config, 'instructions') ?? this.method(config, 'instructions');
    if (instructions) Object.assign(doc, this.instructionsOf(agent, instructions));
    const model = this.property(config, 'model');
    if (model) {
      const value = this.constantString(model);
      if (value !== undefined) doc.model = value;
      else this.note('warning', model, `the model of \`${agent.id}\` is not a string literal (a Model object or a computed name)`, 'left out: the agent uses the default model');
    }
    const settings = this.property(config, 'modelSettings');
    if (settings) {
      const value = this.json(settings);
      if (value && typeof value === 'object' && !Array.isArray(value)) doc.modelSettings = value;
      else this.note('warning', settings, `the model settings of \`${agent.id}\` are computed at run time`, 'left out');
    }
    if (description !== undefined) doc.handoffDescription = description;
    const tools = this.toolUses[agent.id];
    if (tools?.length) doc.tools = tools;
    for (const key of ['inputGuardrails', 'outputGuardrails'] as const) {
      const list = this.property(config, key);
      if (!list) continue;
      const array = this.resolveExpression(list);
      if (!ts.isArrayLiteralExpression(array)) {
        this.note('warning', list, `the ${key} of \`${agent.id}\` are computed at run time`, 'left out');
        continue;
      }
      const refs = array.elements.map((element, i) =>
        this.implementationFor(this.codeRef(element), { exportName: `${camel(agent.id)}${key === 'inputGuardrails' ? 'Input' : 'Output'}Guardrail${array.elements.length > 1 ? i + 1 : ''}`, kind: 'guardrail', what: `a guardrail of \`${agent.id}\``, node: element, stubSignature: '' }),
      );
      if (refs.length) doc[key] = refs;
    }
    const output = this.property(config, 'outputType');
    if (output) {
      const constant = this.constant(output);
      if (constant !== 'text') {
        let schema = this.schemaOf(output, `the output type of \`${agent.id}\``);
        // The SDK's JSON-schema output type: { type: 'json_schema', name, strict, schema }.
        if (schema?.type === 'json_schema' && schema.schema && typeof schema.schema === 'object') schema = schema.schema as Record<string, unknown>;
        if (schema) doc.output = this.namedSchema(output, schema, `${pascal(agent.id)}Output`);
      }
    }
    for (const unsupported of ['toolUseBehavior', 'mcpServers', 'resetToolChoice', 'prompt', 'handoffOutputTypeWarningEnabled']) {
      const node = this.property(config, unsupported);
      if (node) this.note('warning', node, `\`${unsupported}\` of \`${agent.id}\` has no place in the topology format`, 'left out');
    }
    this.comments[`/agents/${agent.id}`] = `from ${this.where(agent.node)}${agent.variable ? ` (${agent.variable})` : ''}`;
    if (agent === entry && doc.handoffDescription === undefined) delete doc.handoffDescription;
    return doc;
  }

  private instructionsOf(agent: AgentInfo, node: TS.Node): Record<string, unknown> {
    const ts = this.ts;
    const expression = ts.isMethodDeclaration(node) ? node : this.resolveExpression(node as TS.Expression);
    if (!ts.isMethodDeclaration(expression)) {
      const text = this.promptText(expression);
      if (text) {
        if (text.unresolved) this.note('warning', text.unresolved, `part of the instructions of \`${agent.id}\` is computed at run time`, `kept its source text \`\${${text.unresolved.getText()}}\` in the instructions`);
        const head = { ...(text.prefix ? { instructionsPrefix: 'recommended' } : {}), ...(text.fragments.length ? { fragments: text.fragments } : {}) };
        if (text.dynamic) {
          const implementation = this.implementationFor(this.codeRef(text.dynamic), { exportName: `${camel(agent.id)}Instructions`, kind: 'instructions', what: `the instructions of \`${agent.id}\``, node: text.dynamic, stubSignature: '(): string' });
          return { ...head, instructions: { implementation } };
        }
        return { ...head, instructions: text.text };
      }
    }
    const ref = this.codeRef(node as TS.Expression);
    const implementation = this.implementationFor(ref, {
      exportName: `${camel(agent.id)}Instructions`,
      kind: 'instructions',
      viaObject: agent.variable ? { variable: agent.variable, exported: agent.exported, node: agent.key, member: 'instructions' } : undefined,
      what: `the instructions of \`${agent.id}\``,
      node,
      stubSignature: '(): string',
    });
    return { instructions: { implementation } };
  }

  private readonly fragments: Record<string, string> = {};

  /**
   * A prompt made of literals and constants. The SDK's recommended prefix first (`${RECOMMENDED_PROMPT_PREFIX}…`
   * or `[RECOMMENDED_PROMPT_PREFIX, …].join("\n\n")`), entries of a constant object as fragments, and
   * the compiler's dynamic form `async (runContext, agent) => [..., await f(runContext, agent)].join(…)`.
   */
  private promptText(node: TS.Expression): { text: string; prefix: boolean; fragments: string[]; dynamic?: TS.Expression; unresolved?: TS.Expression } | undefined {
    const ts = this.ts;
    const isPrefix = (e: TS.Expression) => ts.isIdentifier(skipOuter(ts, e)) && (skipOuter(ts, e) as TS.Identifier).text === 'RECOMMENDED_PROMPT_PREFIX';
    let body = node;
    let params: string[] | undefined;
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
      params = node.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
      body = skipOuter(ts, node.body);
    }
    if (ts.isCallExpression(body) && ts.isPropertyAccessExpression(body.expression) && body.expression.name.text === 'join' && ts.isArrayLiteralExpression(body.expression.expression)) {
      const separator = body.arguments[0] ? this.constantString(body.arguments[0]) : ',';
      const parts = [...body.expression.expression.elements];
      if (separator === '\n\n' && parts.length > 1 && (isPrefix(parts[0]!) || this.fragmentOf(parts[0]!) || params)) {
        const prefix = isPrefix(parts[0]!);
        if (prefix) parts.shift();
        const fragments: string[] = [];
        while (parts.length > 1 && this.fragmentOf(parts[0]!)) fragments.push(this.fragmentOf(parts.shift()!)!);
        const last = parts.length === 1 ? skipOuter(ts, parts[0]!) : undefined;
        if (params && last) {
          const call = ts.isAwaitExpression(last) ? skipOuter(ts, last.expression) : last;
          if (ts.isCallExpression(call) && call.arguments.every((a, i) => ts.isIdentifier(a) && a.text === params![i])) return { text: '', prefix, fragments, dynamic: call.expression };
        }
        const rest = parts.length ? this.constantString(parts.length === 1 ? parts[0]! : body) : '';
        if (!params && rest !== undefined && parts.length === 1) return { text: rest, prefix, fragments };
      }
    }
    if (params) return undefined;
    const plain = this.constantString(node);
    if (plain !== undefined) return { text: plain, prefix: false, fragments: [] };
    if (ts.isTemplateExpression(node)) {
      let prefix = false;
      let text = node.head.text;
      let unresolved: TS.Expression | undefined;
      node.templateSpans.forEach((span, i) => {
        if (i === 0 && text === '' && isPrefix(span.expression)) {
          prefix = true;
          text = span.literal.text.replace(/^\s+/, '');
          return;
        }
        const value = this.constant(span.expression);
        if (value === undefined) unresolved ??= span.expression;
        text += (value === undefined ? `\${${span.expression.getText()}}` : String(value)) + span.literal.text;
      });
      return { text, prefix, fragments: [], ...(unresolved ? { unresolved } : {}) };
    }
    return undefined;
  }

  /** `promptFragments["handBack"]`: an entry of a constant object of strings becomes a fragment. */
  private fragmentOf(node: TS.Expression): string | undefined {
    const ts = this.ts;
    const e = skipOuter(ts, node);
    let key: string | undefined;
    let object: TS.Expression | undefined;
    if (ts.isElementAccessExpression(e)) {
      key = this.constantString(e.argumentExpression);
      object = e.expression;
    } else if (ts.isPropertyAccessExpression(e)) {
      key = e.name.text;
      object = e.expression;
    }
    if (!key || !object || !ts.isIdentifier(skipOuter(ts, object))) return undefined;
    const map = this.resolveExpression(object);
    if (!ts.isObjectLiteralExpression(map)) return undefined;
    const value = this.constantString(this.property(map, key));
    if (value === undefined || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(key)) return undefined;
    this.fragments[key] = value;
    return key;
  }

  private edgeDocuments(entry: AgentInfo): Record<string, unknown>[] {
    const ts = this.ts;
    const docs: Record<string, unknown>[] = [];
    for (const edge of this.edges) {
      const doc: Record<string, unknown> = { from: edge.from.id, to: edge.to.id };
      if (edge.delegate) {
        doc.kind = 'delegate';
        const name = edge.options && this.constantString(this.property(edge.options, 'toolName'));
        const description = edge.options && this.constantString(this.property(edge.options, 'toolDescription'));
        if (name) doc.toolName = name;
        if (description !== undefined && description !== this.constantString(this.property(edge.to.config, 'handoffDescription'))) doc.description = description;
        if (edge.options) for (const p of edge.options.properties) {
          const key = p.name && ts.isIdentifier(p.name) ? p.name.text : '';
          if (!['toolName', 'toolDescription'].includes(key)) this.note('warning', p, `\`asTool\` option \`${key}\` has no place in the topology format`, 'left out');
        }
        docs.push(doc);
        continue;
      }
      const options = edge.options;
      if (options) {
        const toolName = this.constantString(this.property(options, 'toolNameOverride'));
        if (toolName) doc.toolName = toolName;
        const overrideNode = this.property(options, 'toolDescriptionOverride');
        const override = this.constantString(overrideNode);
        if (override !== undefined && overrideNode) {
          // An edge's `description` compiles to the SDK's "Handoff to the … agent" sentence followed by it.
          const sdkPrefix = `Handoff to the ${this.constantString(this.property(edge.to.config, 'name')) ?? edge.to.id} agent to handle the request. `;
          const description = override.startsWith(sdkPrefix) ? override.slice(sdkPrefix.length) : override;
          if (!override.startsWith(sdkPrefix)) this.note('info', overrideNode, `the handoff tool description of \`${edge.from.id}\` → \`${edge.to.id}\` replaces the SDK's wording; an edge description is appended to it`, `the compiled tool description starts with "${sdkPrefix.trim()}"`);
          // The compiler's own hand-back wording comes back as is: leave it to the compiler.
          if (!(edge.to === entry && description.startsWith('Hand the conversation back to '))) doc.description = description;
        }
        const inputType = this.property(options, 'inputType');
        if (inputType) {
          const schema = this.schemaOf(inputType, `the handoff input of \`${edge.from.id}\` → \`${edge.to.id}\``);
          if (schema) doc.input = this.namedSchema(inputType, schema, `${pascal(edge.to.id)}HandoffInput`);
        }
        const onHandoff = this.property(options, 'onHandoff') ?? this.method(options, 'onHandoff');
        if (onHandoff) {
          const ref = this.hookRef(onHandoff);
          if (ref !== null) doc.onHandoff = this.implementationFor(ref, { exportName: `on${pascal(edge.to.id)}Handoff`, kind: 'hook', what: `the onHandoff hook of \`${edge.from.id}\` → \`${edge.to.id}\``, node: onHandoff, stubSignature: '(context: unknown, input?: unknown): void' });
        }
        const filter = this.property(options, 'inputFilter');
        if (filter) {
          const steps = this.filterOf(filter, edge);
          if (steps !== undefined) doc.filter = steps;
        }
        const enabled = this.property(options, 'isEnabled') ?? this.method(options, 'isEnabled');
        if (enabled) {
          const value = this.ts.isMethodDeclaration(enabled) ? undefined : this.constant(enabled);
          if (value === false) doc.enabled = false;
          else if (value !== true) doc.enabled = this.implementationFor(this.codeRef(enabled), { exportName: `${camel(edge.from.id)}To${pascal(edge.to.id)}Enabled`, kind: 'hook', what: `the isEnabled predicate of \`${edge.from.id}\` → \`${edge.to.id}\``, node: enabled, stubSignature: '(): boolean' });
        }
      }
      if (edge.to === entry) doc.handback = true;
      docs.push(doc);
    }
    return groupEdges(docs);
  }

  /** A hook, unwrapping the compiler's `(context) => hook(context, undefined)` adapter. */
  private hookRef(node: TS.Node): CodeRef | null {
    const ts = this.ts;
    // `(context, input) => hook(context, input as T)` passes its arguments on unchanged.
    if (ts.isArrowFunction(node) && ts.isCallExpression(node.body) && ts.isIdentifier(node.body.expression)) {
      const params = node.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
      const forwarded = node.body.arguments.every((a, i) => {
        const arg = skipOuter(ts, a);
        return ts.isIdentifier(arg) && (arg.text === 'undefined' || arg.text === params[i]);
      });
      const inner = this.codeRef(node.body.expression);
      if (inner.kind !== 'inline' && forwarded) return inner;
    }
    return this.codeRef(node as TS.Expression);
  }

  /** The filter steps of an input filter: the SDK's (or the compiler's) built-ins, pipelines, custom steps. */
  private filterOf(node: TS.Expression, edge: Edge): unknown {
    const steps = this.filterSteps(node);
    if (steps) return steps.pipeline ? steps.pipeline : steps.steps;
    const ref = this.codeRef(node);
    return [{ implementation: this.implementationFor(ref, { exportName: `${camel(edge.from.id)}To${pascal(edge.to.id)}Filter`, kind: 'filter', what: `the input filter of \`${edge.from.id}\` → \`${edge.to.id}\``, node, stubSignature: '(data: HandoffInputData): HandoffInputData' }) }];
  }

  private filterSteps(node: TS.Expression): { steps: unknown[]; pipeline?: string } | undefined {
    const ts = this.ts;
    const expression = skipOuter(ts, node);
    const builtin = this.builtinStep(expression);
    if (builtin) return { steps: [builtin] };
    if (ts.isArrowFunction(expression) && expression.parameters.length === 1 && !ts.isBlock(expression.body)) {
      const param = expression.parameters[0]!.name;
      const steps = ts.isIdentifier(param) ? this.composedSteps(expression.body, param.text) : undefined;
      if (steps) return { steps };
    }
    if (ts.isIdentifier(expression)) {
      const declaration = this.declarationOf(expression);
      if (declaration && ts.isFunctionDeclaration(declaration) && declaration.body && declaration.parameters.length === 1 && ts.isIdentifier(declaration.parameters[0]!.name)) {
        // The compiler's pipelines: `data = step(data); …; return data;`.
        const param = declaration.parameters[0]!.name.text;
        const statements = declaration.body.statements;
        const steps: unknown[] = [];
        let ok = statements.length > 0;
        statements.forEach((statement, i) => {
          if (!ok) return;
          if (i === statements.length - 1) {
            ok = ts.isReturnStatement(statement) && !!statement.expression && ts.isIdentifier(statement.expression) && statement.expression.text === param;
            return;
          }
          if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
            const step = this.composedSteps(statement.expression.right, param);
            if (step) steps.push(...step);
            else ok = false;
          } else ok = false;
        });
        if (ok && steps.length) {
          const name = camel(expression.text.replace(/Filter$/, '')) || expression.text;
          this.filters[name] = steps;
          return { steps, pipeline: name };
        }
      }
    }
    return undefined;
  }

  /** `keepLastItems(removeAllTools(data), 12)` and friends, innermost first; undefined if any part is not a step. */
  private composedSteps(node: TS.Expression, param: string): unknown[] | undefined {
    const ts = this.ts;
    const expression = skipOuter(ts, node);
    if (ts.isIdentifier(expression) && expression.text === param) return [];
    if (!ts.isCallExpression(expression) || !expression.arguments[0]) return undefined;
    const inner = this.composedSteps(expression.arguments[0], param);
    if (!inner) return undefined;
    const step = this.builtinStep(expression.expression, expression.arguments[1]) ?? this.customStep(expression.expression);
    return step ? [...inner, step] : undefined;
  }

  private builtinStep(node: TS.Expression, count?: TS.Expression): unknown {
    const ts = this.ts;
    if (!ts.isIdentifier(node)) return undefined;
    if (node.text === 'removeAllTools') return 'removeAllTools';
    if (node.text === 'removeReasoningItems' || node.text === 'removeReasoning') return 'removeReasoning';
    if (node.text === 'keepLastItems' && count) {
      const n = this.constant(count);
      if (typeof n === 'number') return { keepLast: n };
    }
    return undefined;
  }

  private customStep(node: TS.Expression): unknown {
    const ref = this.codeRef(node);
    if (ref.kind === 'inline') return undefined;
    return { implementation: this.implementationFor(ref, { exportName: camel(node.getText()), kind: 'filter', what: 'a filter step', node, stubSignature: '' }) };
  }

  // ---- references ------------------------------------------------------------------------------

  /** Where a piece of code lives: another module, a declaration in this file, or inline. */
  private codeRef(expression: TS.Expression | TS.MethodDeclaration, depth = 0): CodeRef {
    const ts = this.ts;
    if (ts.isMethodDeclaration(expression)) return { kind: 'inline', node: expression };
    const node = skipOuter(ts, expression);
    // The compiler wraps implementations in `validated(parameters, implementation)`.
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'validated' && node.arguments[1]) return this.codeRef(node.arguments[1], depth + 1);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const namespace = this.declarationOf(node.expression);
      if (namespace && ts.isNamespaceImport(namespace)) {
        const spec = (namespace.parent.parent.moduleSpecifier as TS.StringLiteral).text;
        if (spec.startsWith('.')) return { kind: 'module', path: this.moduleFile(spec), exportName: node.name.text };
      }
    }
    if (!ts.isIdentifier(node) || depth > 8) return { kind: 'inline', node };
    const declaration = this.declarationOf(node);
    if (!declaration) return { kind: 'inline', node };
    if (ts.isImportSpecifier(declaration)) {
      const spec = (declaration.parent.parent.parent.moduleSpecifier as TS.StringLiteral).text;
      if (spec.startsWith('.')) return { kind: 'module', path: this.moduleFile(spec), exportName: (declaration.propertyName ?? declaration.name).text };
      return { kind: 'inline', node };
    }
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const initializer = skipOuter(ts, declaration.initializer);
      if (ts.isIdentifier(initializer) || ts.isPropertyAccessExpression(initializer)) {
        const inner = this.codeRef(initializer, depth + 1);
        if (inner.kind === 'module') return inner;
      }
    }
    if ((ts.isVariableDeclaration(declaration) || ts.isFunctionDeclaration(declaration)) && this.isTopLevel(declaration)) {
      return { kind: 'local', name: node.text, exported: this.isExported(declaration), node: declaration };
    }
    return { kind: 'inline', node };
  }

  private implementationFor(
    ref: CodeRef | undefined,
    how: { exportName: string; kind: SideModuleExport['kind']; what: string; node: TS.Node; stubSignature: string; viaObject?: { variable: string; exported: boolean; node: TS.Node; member?: string } | undefined },
  ): string {
    if (ref?.kind === 'module') return this.yamlPath(ref.path, ref.exportName);
    const sideRef = (name: string) => `${this.sideName}#${name}`;
    if (ref?.kind === 'local') {
      if (!ref.exported) this.needsExport.set(ref.name, ref.node);
      this.addSide(ref.name, how.kind, `export { ${ref.name} } from ${lit(this.sourceModule)};`);
      return sideRef(ref.name);
    }
    const name = this.uniqueSideName(how.exportName);
    if (how.viaObject) {
      const via = how.viaObject;
      if (!via.exported) this.needsExport.set(via.variable, via.node);
      this.sideImports.add(`import * as source from ${lit(this.sourceModule)};`);
      if (how.kind === 'tool') {
        this.sideImports.add('import { RunContext } from "@openai/agents";');
        this.addSide(name, how.kind, `/** ${commentText(how.what)}: its body stays in the tool object, called through the SDK (arguments parsed as the tool declares). */\nexport const ${name} = (args: unknown, context?: RunContext<any>) =>\n  source.${via.variable}.invoke(context ?? new RunContext(undefined), JSON.stringify(args));`);
      } else {
        this.addSide(name, how.kind, `/** ${commentText(how.what)}: the function stays on the agent. */\nexport const ${name} = (...args: any[]) => (source.${via.variable}.${via.member} as (...a: any[]) => unknown)(...args);`);
      }
      return sideRef(name);
    }
    this.note('warning', how.node, `${how.what} is an inline function that cannot be re-exported`, `wrote a stub \`${name}\` in ${this.sideName}; move the function into a named export and point the stub at it`);
    if (how.kind === 'filter') this.sideImports.add('import type { HandoffInputData } from "@openai/agents";');
    const body =
      how.kind === 'filter'
        ? `export function ${name}(data: HandoffInputData): HandoffInputData {\n  // TODO: the inline filter at ${commentText(this.where(how.node))}.\n  return data;\n}`
        : how.kind === 'guardrail'
          ? `export const ${name} = {\n  name: ${lit(name)},\n  // TODO: the guardrail at ${commentText(this.where(how.node))}.\n  execute: async () => ({ tripwireTriggered: false, outputInfo: null }),\n};`
          : `export function ${name}${how.stubSignature.replace(/\):.*$/, ')')}: any {\n  // TODO: the inline function at ${commentText(this.where(how.node))}.\n  throw new Error(${lit(`${name} is a stub written by switchboard import`)});\n}`;
    this.addSide(name, how.kind, body);
    return sideRef(name);
  }

  private uniqueSideName(base: string): string {
    let name = /^[A-Za-z_$]/.test(base) ? base : `_${base}`;
    for (let n = 2; this.side.has(name); n++) name = `${base}${n}`;
    return name;
  }

  private addSide(name: string, kind: SideModuleExport['kind'], code: string): void {
    if (!this.side.has(name)) this.side.set(name, { name, kind, code });
  }

  private typeRef(node: TS.TypeNode): string | undefined {
    const ts = this.ts;
    if (!ts.isTypeReferenceNode(node) || !ts.isIdentifier(node.typeName)) {
      this.note('warning', node, 'a context type that is not a named type', 'left out: the context is untyped');
      return undefined;
    }
    const declaration = this.declarationOf(node.typeName);
    if (declaration && ts.isImportSpecifier(declaration)) {
      const spec = (declaration.parent.parent.parent.moduleSpecifier as TS.StringLiteral).text;
      if (spec.startsWith('.')) return this.yamlPath(this.moduleFile(spec), (declaration.propertyName ?? declaration.name).text);
    }
    if (declaration && ts.isTypeAliasDeclaration(declaration) && (declaration.type.kind === ts.SyntaxKind.UnknownKeyword || declaration.type.kind === ts.SyntaxKind.AnyKeyword)) return undefined;
    if (declaration && ts.isTypeAliasDeclaration(declaration) && ts.isTypeReferenceNode(declaration.type)) {
      const inner = this.typeRef(declaration.type);
      if (inner) return inner;
    }
    if (declaration && (ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration))) {
      const name = declaration.name.text;
      if (!this.isExported(declaration)) this.needsExport.set(name, declaration);
      this.addSide(name, 'schema', `export type { ${name} } from ${lit(this.sourceModule)};`);
      return `${this.sideName}#${name}`;
    }
    this.note('warning', node, `the context type \`${node.typeName.text}\` is not declared in this file`, 'left out: the context is untyped');
    return undefined;
  }

  /** A JSON Schema from zod or a JSON Schema literal, or undefined (with a note). */
  private schemaOf(node: TS.Expression, what: string): Record<string, unknown> | undefined {
    const ts = this.ts;
    const expression = this.resolveExpression(node);
    if (isZodExpression(ts, expression) || ts.isIdentifier(expression)) {
      const reader: ZodReader = { ts, resolve: (e) => { const r = this.resolveExpression(e); return r === e ? undefined : r; }, constant: (e) => this.constant(e) };
      const result = zodToJsonSchema(reader, expression);
      if (result.ok) return result.schema;
      this.note('warning', result.node, `${what}: ${result.reason}`, 'wrote an empty object schema instead; fill it in');
      return undefined;
    }
    const value = this.json(expression);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.note('warning', node, `${what} is neither a zod schema nor a JSON Schema literal`, 'wrote an empty object schema instead; fill it in');
    return undefined;
  }

  /** A schema under `schemas:`, named after its variable (PascalCase) or the fallback. */
  private namedSchema(node: TS.Expression, schema: Record<string, unknown>, fallback: string): string {
    const ts = this.ts;
    const expression = skipOuter(ts, node);
    let name = ts.isIdentifier(expression) ? pascal(expression.text.replace(/(Schema|Output|Parameters)$/, '')) || fallback : fallback;
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) name = fallback;
    const same = (a: unknown) => JSON.stringify(a) === JSON.stringify(schema);
    let unique = name;
    for (let n = 2; unique in this.schemas && !same(this.schemas[unique]); n++) unique = `${name}${n}`;
    this.schemas[unique] = schema;
    return unique;
  }

  // ---- small helpers ---------------------------------------------------------------------------

  private property(object: TS.ObjectLiteralExpression | undefined, name: string): TS.Expression | undefined {
    if (!object) return undefined;
    const ts = this.ts;
    for (const p of object.properties) {
      if (ts.isPropertyAssignment(p) && propertyName(ts, p.name) === name) return p.initializer;
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
    }
    return undefined;
  }

  private method(object: TS.ObjectLiteralExpression, name: string): TS.MethodDeclaration | undefined {
    const ts = this.ts;
    return object.properties.find((p): p is TS.MethodDeclaration => ts.isMethodDeclaration(p) && propertyName(ts, p.name) === name) as never;
  }

  private declarationOf(identifier: TS.Node): TS.Declaration | undefined {
    const symbol = this.ts.isShorthandPropertyAssignment(identifier.parent) && identifier.parent.name === identifier ? this.checker.getShorthandAssignmentValueSymbol(identifier.parent) : this.checker.getSymbolAtLocation(identifier);
    return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  }

  /** An identifier's `const` initialiser (followed through), or the expression itself. */
  private resolveExpression(expression: TS.Expression, depth = 0): TS.Expression {
    const ts = this.ts;
    const node = skipOuter(ts, expression);
    if (!ts.isIdentifier(node) || depth > 8) return node;
    const declaration = this.declarationOf(node);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isVariableDeclarationList(declaration.parent) && declaration.parent.flags & ts.NodeFlags.Const) {
      return this.resolveExpression(declaration.initializer, depth + 1);
    }
    return node;
  }

  private constant(node: TS.Expression | undefined): string | number | boolean | undefined {
    if (!node) return undefined;
    const ts = this.ts;
    const expression = this.resolveExpression(node);
    if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return expression.text;
    if (ts.isNumericLiteral(expression)) return Number(expression.text);
    if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(expression.operand)) return -Number(expression.operand.text);
    if (expression.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (expression.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (ts.isTemplateExpression(expression)) {
      let text = expression.head.text;
      for (const span of expression.templateSpans) {
        const value = this.constant(span.expression);
        if (value === undefined) return undefined;
        text += String(value) + span.literal.text;
      }
      return text;
    }
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.constant(expression.left);
      const right = this.constant(expression.right);
      if (typeof left === 'string' || typeof right === 'string') return left === undefined || right === undefined ? undefined : String(left) + String(right);
    }
    if (ts.isCallExpression(expression) && ts.isPropertyAccessExpression(expression.expression) && expression.expression.name.text === 'join' && ts.isArrayLiteralExpression(expression.expression.expression)) {
      const separator = expression.arguments[0] ? this.constant(expression.arguments[0]) : ',';
      const parts = expression.expression.expression.elements.map((e) => this.constant(e));
      if (typeof separator === 'string' && parts.every((p) => p !== undefined)) return parts.join(separator);
    }
    return undefined;
  }

  private constantString(node: TS.Expression | undefined): string | undefined {
    const value = this.constant(node);
    return typeof value === 'string' ? value : undefined;
  }

  /** A literal JSON value (objects, arrays, constants), or undefined. */
  private json(node: TS.Expression, depth = 0): unknown {
    const ts = this.ts;
    if (depth > 64) return undefined;
    const expression = this.resolveExpression(node);
    const constant = this.constant(expression);
    if (constant !== undefined) return constant;
    if (expression.kind === ts.SyntaxKind.NullKeyword) return null;
    if (ts.isArrayLiteralExpression(expression)) {
      const items = expression.elements.map((e) => this.json(e, depth + 1));
      return items.some((i) => i === undefined) ? undefined : items;
    }
    if (ts.isObjectLiteralExpression(expression)) {
      const out: Record<string, unknown> = {};
      for (const p of expression.properties) {
        if (!ts.isPropertyAssignment(p)) return undefined;
        const key = propertyName(ts, p.name);
        const value = this.json(p.initializer, depth + 1);
        if (key === undefined || value === undefined) return undefined;
        out[key] = value;
      }
      return out;
    }
    return undefined;
  }

  private isTopLevel(node: TS.Node): boolean {
    const ts = this.ts;
    if (ts.isFunctionDeclaration(node)) return node.parent === this.file;
    return ts.isVariableDeclaration(node) && ts.isVariableDeclarationList(node.parent) && ts.isVariableStatement(node.parent.parent) && node.parent.parent.parent === this.file;
  }

  private isExported(node: TS.Node): boolean {
    const ts = this.ts;
    const statement = ts.isVariableDeclaration(node) ? node.parent?.parent : node;
    const modifiers = statement && ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
    // `export { name }` elsewhere in the file.
    const name = (node as { name?: TS.Node }).name;
    if (!name || !ts.isIdentifier(name)) return false;
    return this.file.statements.some((s) => ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.some((e) => (e.propertyName ?? e.name).text === name.text && e.name.text === name.text));
  }

  /** A relative import of the source, resolved to the file on disk by the TypeScript convention (.js → .ts). */
  private moduleFile(spec: string): string {
    const isTs = /\.(m?ts|tsx)$/.test(this.fileName);
    let file = spec;
    if (isTs) file = file.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts');
    if (!/\.(m?[jt]s)$/.test(file)) file += isTs ? '.ts' : '.js';
    return resolve(dirname(resolve(this.fileName)), file);
  }

  private yamlPath(file: string, exportName: string): string {
    const from = dirname(resolve(this.options.outFile));
    return `${relative(from, file).split(sep).join('/')}#${exportName}`;
  }

  /** Import specifier of a file as seen from a folder: relative, `.js` for TypeScript sources. */
  private relativeModule(fromDir: string, file: string): string {
    let path = relative(fromDir, file).split(sep).join(posix.sep).replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs');
    if (!path.startsWith('.')) path = `./${path}`;
    return path;
  }

  private locate(offset: number): SourceLocation {
    const { line, character } = this.file.getLineAndCharacterOfPosition(offset);
    return { file: this.displayFile, line: line + 1, column: character + 1 };
  }

  private where(node: TS.Node): string {
    const l = this.locate(node.getStart());
    return `${basename(l.file)}:${l.line}:${l.column}`;
  }

  private note(severity: ImportNote['severity'], node: TS.Node, message: string, action?: string): void {
    this.notes.push({ severity, message, ...(action ? { action } : {}), location: this.locate(node.getStart()) });
  }
}

/** Edges with equal options grouped: first one source to many targets, then many sources to one target. */
function groupEdges(edges: Record<string, unknown>[]): Record<string, unknown>[] {
  const rest = (e: Record<string, unknown>, without: string) => JSON.stringify(Object.entries(e).filter(([k]) => k !== without));
  const byFrom: Record<string, unknown>[] = [];
  for (const edge of edges) {
    const match = byFrom.find((g) => g.kind !== 'delegate' && edge.kind !== 'delegate' && rest(g, 'to') === rest(edge, 'to') && g.from === edge.from);
    if (match) match.to = [...[match.to].flat(), edge.to];
    else byFrom.push({ ...edge });
  }
  const byTo: Record<string, unknown>[] = [];
  for (const edge of byFrom) {
    const match = byTo.find((g) => !Array.isArray(g.to) && !Array.isArray(edge.to) && g.kind !== 'delegate' && edge.kind !== 'delegate' && rest(g, 'from') === rest(edge, 'from'));
    if (match) match.from = [...[match.from].flat(), edge.from];
    else byTo.push({ ...edge });
  }
  return byTo;
}

/** Text safe inside a generated comment: nothing can end it, break the line or reorder what is read. */
function commentText(text: string): string {
  return text.replace(/\*\//g, '* /').replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
}

function skipOuter(ts: typeof TS, node: TS.Expression): TS.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current)) current = current.expression;
  return current;
}

function propertyName(ts: typeof TS, name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** camelCase / PascalCase / spaced words → snake_case: `seatBooking` → `seat_booking`. */
export function snake(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase()
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '');
}

function kebab(text: string): string {
  return snake(text).replace(/_/g, '-');
}

function camel(text: string): string {
  const p = pascal(text);
  return p.charAt(0).toLowerCase() + p.slice(1);
}

function pascal(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')
    .replace(/^[0-9]+/, '');
}

