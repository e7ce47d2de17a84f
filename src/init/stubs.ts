/**
 * `switchboard stubs`: typed stubs for the exports a topology names (`path#export`) that its modules
 * lack. Pure: given the topology, the resolved files and the modules' current text, it returns the new
 * text of each module to create or extend. Existing code is never changed: stubs are appended after
 * it, and the only other edit is a type-only import line placed after the module's last import.
 */
import { schemaToType } from '../emit/typescript/schema-to-type.js';
import { indexOf } from '../model/queries.js';
import type { CodeRef, JsonSchema, ProjectFiles, SchemaUse, Topology } from '../model/types.js';

export type StubKind = 'tool' | 'hook' | 'enabled' | 'filter' | 'instructions' | 'input-guardrail' | 'output-guardrail' | 'voice-output-guardrail' | 'context';

export interface StubExport {
  readonly name: string;
  readonly kind: StubKind;
  /** What the YAML uses it for, for the doc comment and the report. */
  readonly purpose: string;
}

export interface StubFile {
  /** The reference as written in the YAML (relative to it). */
  readonly path: string;
  readonly absolutePath: string;
  /** Whether the module does not exist yet. */
  readonly create: boolean;
  readonly exports: readonly StubExport[];
  /** The module's full new text. */
  readonly text: string;
}

export interface StubPlan {
  readonly files: readonly StubFile[];
  /** References stubs cannot serve, each with the reason (outside the project, not TypeScript, `export *`). */
  readonly skipped: readonly string[];
}

interface Need {
  readonly ref: CodeRef;
  readonly kind: StubKind;
  readonly purpose: string;
  readonly type?: string;
}

const SDK_TYPES: Record<StubKind, readonly string[]> = {
  tool: ['RunContext'],
  hook: ['RunContext'],
  enabled: ['Agent', 'RunContext'],
  filter: ['HandoffInputData'],
  instructions: ['Agent', 'RunContext'],
  'input-guardrail': ['InputGuardrail'],
  'output-guardrail': ['OutputGuardrail'],
  'voice-output-guardrail': [],
  context: [],
};

/** `existingText(absolutePath)` is the module's current text, or undefined when it does not exist. */
export function planStubs(topology: Topology, files: ProjectFiles, existingText: (absolutePath: string) => string | undefined): StubPlan {
  const byPath = new Map<string, Need[]>();
  const skipped: string[] = [];
  for (const need of needs(topology)) {
    const file = files.byReference.get(need.ref.path);
    const where = `${need.ref.path}#${need.ref.exportName}`;
    if (!file || !file.insideProject) {
      if (!skipped.some((s) => s.startsWith(`${need.ref.path}:`))) skipped.push(`${need.ref.path}: outside the project`);
      continue;
    }
    if (!/\.(?:ts|mts|cts|tsx)$/.test(need.ref.path)) {
      if (!skipped.some((s) => s.startsWith(`${need.ref.path}:`))) skipped.push(`${need.ref.path}: not a TypeScript module (stubs are typed)`);
      continue;
    }
    if (file.exists && !file.exports) {
      if (!skipped.some((s) => s.startsWith(`${need.ref.path}:`))) skipped.push(`${need.ref.path}: its exports cannot be read (\`export *\`, or unreadable)`);
      continue;
    }
    if (file.exports?.has(need.ref.exportName)) continue;
    if (!/^[A-Za-z_$][\w$]*$/.test(need.ref.exportName) || need.ref.exportName === 'default') {
      skipped.push(`${where}: not a name a stub can declare`);
      continue;
    }
    const list = byPath.get(need.ref.path) ?? [];
    // The first use of an export decides its stub (an export bound twice is typed by its first use).
    if (!list.some((n) => n.ref.exportName === need.ref.exportName)) list.push(need);
    byPath.set(need.ref.path, list);
  }
  const out: StubFile[] = [];
  for (const [path, list] of byPath) {
    const absolutePath = files.byReference.get(path)!.absolutePath;
    const current = existingText(absolutePath);
    const stubs = list.map(stubCode).join('\n');
    const sdk = [...new Set(list.flatMap((n) => SDK_TYPES[n.kind]))].sort();
    const realtime = list.some((n) => n.kind === 'voice-output-guardrail');
    const header = current === undefined ? '// Stubs written by `switchboard stubs`: replace each body with the real implementation.\n' : '';
    const imports = [
      ...(sdk.length ? missingImport(current ?? '', sdk, '@openai/agents') : []),
      ...(realtime ? missingImport(current ?? '', ['RealtimeOutputGuardrail'], '@openai/agents/realtime') : []),
    ];
    const text = current === undefined ? `${header}${imports.map((i) => `${i}\n`).join('')}\n${stubs}` : appendTo(current, imports, stubs);
    out.push({ path, absolutePath, create: current === undefined, exports: list.map((n) => ({ name: n.ref.exportName, kind: n.kind, purpose: n.purpose })), text });
  }
  return { files: out, skipped };
}

/** Every export the topology references, with the signature the generated code binds it to. */
function needs(topology: Topology): Need[] {
  const out: Need[] = [];
  const schemas = indexOf(topology).schemas;
  const schemaType = (use: SchemaUse | undefined) => (use === undefined ? undefined : schemaToType(use.kind === 'named' ? (schemas.get(use.name)?.schema ?? {}) : use.schema));
  if (topology.context) out.push({ ref: topology.context, kind: 'context', purpose: 'the run context type' });
  for (const agent of topology.agents) {
    if (agent.instructions?.kind === 'dynamic') out.push({ ref: agent.instructions.implementation, kind: 'instructions', purpose: `instructions of \`${agent.id}\`` });
    for (const g of agent.inputGuardrails) out.push({ ref: g, kind: 'input-guardrail', purpose: `input guardrail of \`${agent.id}\`` });
    for (const g of agent.outputGuardrails) out.push({ ref: g, kind: 'output-guardrail', purpose: `output guardrail of \`${agent.id}\`` });
  }
  for (const tool of topology.tools) if (tool.implementation) out.push({ ref: tool.implementation, kind: 'tool', purpose: `implementation of the tool \`${tool.id}\``, type: schemaToType(tool.parameters as JsonSchema) });
  for (const edge of topology.edges) {
    const type = schemaType(edge.input);
    if (edge.onHandoff) out.push({ ref: edge.onHandoff, kind: 'hook', purpose: `onHandoff of ${edge.from.value} -> ${edge.to.value}`, ...(type ? { type } : {}) });
    if (edge.enabled?.kind === 'predicate') out.push({ ref: edge.enabled.implementation, kind: 'enabled', purpose: `enabled predicate of ${edge.from.value} -> ${edge.to.value}` });
  }
  for (const filter of topology.filters) for (const step of filter.steps) if (step.kind === 'custom') out.push({ ref: step.implementation, kind: 'filter', purpose: `step of the filter \`${filter.name}\`` });
  for (const edge of topology.edges) {
    if (edge.filter?.kind === 'inline') for (const step of edge.filter.steps) if (step.kind === 'custom') out.push({ ref: step.implementation, kind: 'filter', purpose: `input filter of ${edge.from.value} -> ${edge.to.value}` });
  }
  for (const g of topology.voice?.outputGuardrails ?? []) out.push({ ref: g, kind: 'voice-output-guardrail', purpose: 'output guardrail of the voice session' });
  return out;
}

function stubCode(need: Need): string {
  const name = need.ref.exportName;
  const doc = `/** Stub: ${safeComment(need.purpose)}. */\n`;
  const todo = `throw new Error(${JSON.stringify(`${name} is not implemented yet`)});`;
  switch (need.kind) {
    case 'tool':
      return `${doc}export async function ${name}(args: ${need.type ?? 'unknown'}, context?: RunContext<unknown>): Promise<unknown> {\n  void args;\n  void context;\n  ${todo}\n}\n`;
    case 'hook':
      return need.type
        ? `${doc}export async function ${name}(context: RunContext<unknown>, input: ${need.type}): Promise<void> {\n  void context;\n  void input;\n}\n`
        : `${doc}export async function ${name}(context: RunContext<unknown>): Promise<void> {\n  void context;\n}\n`;
    case 'enabled':
      return `${doc}export function ${name}(args: { runContext: RunContext<unknown>; agent: Agent<any, any> }): boolean {\n  void args;\n  return true;\n}\n`;
    case 'filter':
      // Synchronous, as the SDK requires; passing the history through unchanged is a safe start.
      return `${doc}export function ${name}(data: HandoffInputData): HandoffInputData {\n  return data;\n}\n`;
    case 'instructions':
      return `${doc}export async function ${name}(runContext: RunContext<unknown>, agent: Agent<any, any>): Promise<string> {\n  void runContext;\n  void agent;\n  ${todo}\n}\n`;
    case 'input-guardrail':
    case 'output-guardrail':
    case 'voice-output-guardrail': {
      const type = need.kind === 'input-guardrail' ? 'InputGuardrail' : need.kind === 'output-guardrail' ? 'OutputGuardrail' : 'RealtimeOutputGuardrail';
      return `${doc}export const ${name}: ${type} = {\n  name: ${JSON.stringify(name)},\n  execute: async () => ({ tripwireTriggered: false, outputInfo: { stub: true } }),\n};\n`;
    }
    case 'context':
      return `${doc}export interface ${name} {\n  [key: string]: unknown;\n}\n`;
  }
}

/** An `import type { … }` line for the names `text` does not already import from `from`. */
function missingImport(text: string, names: readonly string[], from: string): string[] {
  const imported = new Set<string>();
  const quoted = from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (const m of text.matchAll(new RegExp(`import\\s+(?:type\\s+)?\\{([^}]*)\\}\\s*from\\s*['"]${quoted}['"]`, 'g'))) {
    for (const part of m[1]!.split(',')) {
      const local = part.replace(/^\s*type\s+/, '').trim().split(/\s+as\s+/).pop()?.trim();
      if (local) imported.add(local);
    }
  }
  const missing = names.filter((n) => !imported.has(n));
  return missing.length ? [`import type { ${missing.join(', ')} } from '${from}';`] : [];
}

/** The module with the import lines after its last top-level import (or at the top) and the stubs at the end. */
function appendTo(current: string, imports: readonly string[], stubs: string): string {
  let text = current;
  if (imports.length) {
    const lines = text.split('\n');
    let last = -1;
    lines.forEach((line, i) => {
      if (/^import\b.*(?:from\s*['"][^'"]+['"]|['"][^'"]+['"])\s*;?\s*$/.test(line)) last = i;
    });
    lines.splice(last + 1, 0, ...imports);
    text = lines.join('\n');
  }
  const separator = text === '' ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return `${text}${separator}${stubs}`;
}

function safeComment(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/[\r\n\u2028\u2029]/g, ' ');
}
