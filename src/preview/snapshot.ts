/**
 * What the preview page shows for one topology, as plain JSON: the Mermaid source, the diagnostics
 * with code frames and the diagram nodes they concern, and every agent's details. Pure: the server
 * does the I/O, the browser only renders this (with textContent; Mermaid labels are escaped by
 * emitFlowchart).
 */
import type { Diagnostic } from '../diagnostics/types.js';
import { edgeId, emitFlowchart, HUMAN_NODE } from '../emit/mermaid/emit-flowchart.js';
import { nodeId } from '../emit/mermaid/escape.js';
import { describeFilterStep, edgeFilterSteps, indexOf } from '../model/queries.js';
import type { Agent, Edge, ProjectFiles, SchemaUse, Topology } from '../model/types.js';
import { decodePointer } from '../source/pointer.js';
import type { ValidationResult } from '../validate.js';
import type { ParsedTraces } from '../analysis/traces.js';
import { previewTraffic, type PreviewTraffic } from './traffic.js';

export interface FrameLine {
  readonly number: number;
  readonly text: string;
}

export interface PreviewDiagnostic {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint?: string;
  readonly suggestion?: string;
  readonly line?: number;
  readonly column?: number;
  /** The reported line with one line of context either side; `caret` marks the reported columns. */
  readonly frame: readonly FrameLine[];
  readonly caret?: { readonly line: number; readonly start: number; readonly end: number };
  /** Mermaid node ids of the agents the finding is about (empty when it is about no agent). */
  readonly nodes: readonly string[];
  /** The handoffs the finding is about, by their Mermaid endpoints and the id a styled edge gets. */
  readonly edges: readonly DiagramEdge[];
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  /** The edge's id when the diagram styles it (`agent_triage__to__billing`); unstyled edges are `L_<from>_<to>_<n>`. */
  readonly id: string;
}

export interface PreviewEdge {
  readonly agent: string;
  readonly kind: 'handoff' | 'delegate';
  readonly handback: boolean;
  readonly input?: string;
  readonly filter?: readonly string[];
  readonly onHandoff?: string;
  readonly enabled?: string;
  readonly toolName?: string;
}

export interface PreviewTool {
  readonly id: string;
  readonly kind: string;
  readonly description: string;
  readonly needsApproval: boolean;
  readonly implementation?: string;
  /** The parameters schema, pretty-printed JSON. */
  readonly parameters: string;
}

export interface PreviewAgent {
  readonly id: string;
  readonly node: string;
  readonly name: string;
  readonly entry: boolean;
  readonly model?: string;
  readonly handoffDescription?: string;
  /** Inline text, the text of the instructions file, or where dynamic instructions come from. */
  readonly instructions?: { readonly kind: 'inline' | 'file' | 'dynamic'; readonly source?: string; readonly text?: string };
  readonly fragments: readonly string[];
  readonly tools: readonly PreviewTool[];
  readonly outgoing: readonly PreviewEdge[];
  readonly incoming: readonly PreviewEdge[];
  readonly guardrails: readonly string[];
  /** The structured output schema: a name, or pretty-printed JSON when inline. */
  readonly output?: string;
  /** Schemas this agent's edges and output use, by name, pretty-printed. */
  readonly schemas: readonly { readonly name: string; readonly json: string }[];
}

export interface PreviewTopology {
  /** The file as shown in diagnostics. */
  readonly file: string;
  readonly name: string;
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  /** Mermaid source; absent when the file has never parsed. */
  readonly diagram?: string;
  /** True when `diagram` and `agents` are from the last version without errors, not the one on disk. */
  readonly stale: boolean;
  readonly diagnostics: readonly PreviewDiagnostic[];
  readonly agents: readonly PreviewAgent[];
  /** Traffic from traces (`--traces`, or `traces/<name>.jsonl` by convention), when there are any. */
  readonly traffic?: PreviewTraffic;
}

/** Trace files found for a topology, already parsed. */
export interface PreviewTraces {
  readonly files: readonly string[];
  readonly parsed: ParsedTraces;
}

export interface LastGood {
  readonly topology: Topology;
  readonly files?: ProjectFiles;
}

/** The snapshot of one file; `lastGood` is the latest version of it that had no errors. */
export function previewTopology(result: ValidationResult, lastGood: LastGood | undefined, traces?: PreviewTraces): PreviewTopology {
  const shown: LastGood | undefined = result.ok && result.topology ? { topology: result.topology, ...(result.files ? { files: result.files } : {}) } : (lastGood ?? (result.topology ? { topology: result.topology, ...(result.files ? { files: result.files } : {}) } : undefined));
  const stale = Boolean(shown && shown.topology !== result.topology);
  const text = result.source?.text ?? '';
  const lines = text.split(/\r?\n/);
  const pointerTopology = result.topology ?? shown?.topology;
  return {
    file: result.file,
    name: shown?.topology.name ?? result.file,
    ok: result.ok,
    errors: result.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: result.diagnostics.filter((d) => d.severity === 'warning').length,
    ...(shown ? { diagram: emitFlowchart(shown.topology) } : {}),
    stale,
    diagnostics: result.diagnostics.map((d) => previewDiagnostic(d, lines, pointerTopology)),
    agents: shown ? shown.topology.agents.map((a) => previewAgent(shown.topology, shown.files, a)) : [],
    ...(shown && traces && traces.files.length > 0 ? { traffic: previewTraffic(shown.topology, traces.parsed, traces.files, result.file) } : {}),
  };
}

function previewDiagnostic(d: Diagnostic, lines: readonly string[], topology: Topology | undefined): PreviewDiagnostic {
  const range = d.range;
  const frame: FrameLine[] = [];
  if (range && lines.length) {
    for (let n = Math.max(1, range.start.line - 1); n <= Math.min(lines.length, range.start.line + 1); n++) frame.push({ number: n, text: lines[n - 1] ?? '' });
  }
  const sameLine = range && range.end.line === range.start.line;
  return {
    ruleId: d.ruleId,
    severity: d.severity,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.suggestion ? { suggestion: d.suggestion } : {}),
    ...(range ? { line: range.start.line, column: range.start.column } : {}),
    frame,
    ...(range ? { caret: { line: range.start.line, start: range.start.column, end: sameLine ? Math.max(range.end.column, range.start.column + 1) : (lines[range.start.line - 1]?.length ?? 0) + 1 } } : {}),
    nodes: topology ? nodesFor(topology, d.pointer) : [],
    edges: topology ? edgesFor(topology, d.pointer) : [],
  };
}

/** The handoffs a pointer is about: one edge for a pointer at a target (`/handoffs/0/to/1`), else the entry's edges. */
export function edgesFor(topology: Topology, pointer: string): DiagramEdge[] {
  const [section, index, ...rest] = decodePointer(pointer);
  if (section !== 'handoffs') return [];
  const edges = topology.edges.filter((e) => String(e.entryIndex) === index);
  const precise = rest[0] === 'to' && rest.length > 1 ? edges.filter((e) => pointer === e.to.pointer || pointer.startsWith(`${e.to.pointer}/`)) : [];
  return (precise.length ? precise : edges).map((e) => ({ from: nodeId('agent', e.from.value), to: nodeId('agent', e.to.value), id: edgeId(e) }));
}

/** The agents a pointer is about: the agent itself, the endpoints of a handoff, the users of a tool. */
export function nodesFor(topology: Topology, pointer: string): string[] {
  const [section, name, ...rest] = decodePointer(pointer);
  const agentNodes = (ids: Iterable<string>) => [...new Set(ids)].filter((id) => indexOf(topology).agents.has(id)).map((id) => nodeId('agent', id));
  switch (section) {
    case 'entry':
      return agentNodes([topology.entry.value]);
    case 'agents':
      return name === undefined ? [] : agentNodes([name]);
    case 'handoffs': {
      const edges = topology.edges.filter((e) => String(e.entryIndex) === name);
      const precise = rest.length > 1 ? edges.flatMap((e) => (pointer.startsWith(e.from.pointer) ? [e.from.value] : pointer.startsWith(e.to.pointer) ? [e.to.value] : [])) : [];
      return agentNodes(precise.length ? precise : edges.flatMap((e) => [e.from.value, e.to.value]));
    }
    case 'tools': {
      const users = topology.agents.filter((a) => a.tools.some((t) => t.value === name)).map((a) => a.id);
      const human = topology.tools.some((t) => t.id === name && t.kind === 'human-escalation');
      return [...agentNodes(users), ...(human && users.length ? [HUMAN_NODE] : [])];
    }
    case 'schemas':
      return agentNodes([
        ...topology.agents.filter((a) => a.output?.kind === 'named' && a.output.name === name).map((a) => a.id),
        ...topology.edges.filter((e) => e.input?.kind === 'named' && e.input.name === name).flatMap((e) => [e.from.value, e.to.value]),
      ]);
    case 'filters':
      return agentNodes(topology.edges.filter((e) => e.filter?.kind === 'named' && e.filter.name === name).flatMap((e) => [e.from.value, e.to.value]));
    default:
      return [];
  }
}

function previewAgent(topology: Topology, files: ProjectFiles | undefined, agent: Agent): PreviewAgent {
  const index = indexOf(topology);
  const schemaNames = new Set<string>();
  const useSchema = (use: SchemaUse | undefined) => {
    if (use?.kind === 'named') schemaNames.add(use.name);
  };
  useSchema(agent.output);
  const edge = (e: Edge, other: string): PreviewEdge => {
    useSchema(e.input);
    const steps = edgeFilterSteps(topology, e);
    return {
      agent: other,
      kind: e.kind,
      handback: e.handback,
      ...(e.input ? { input: e.input.kind === 'named' ? e.input.name : JSON.stringify(e.input.schema) } : {}),
      ...(e.filter ? { filter: steps.map(describeFilterStep) } : {}),
      ...(e.onHandoff ? { onHandoff: `${e.onHandoff.path}#${e.onHandoff.exportName}` } : {}),
      ...(e.enabled ? { enabled: e.enabled.kind === 'static' ? String(e.enabled.value) : `${e.enabled.implementation.path}#${e.enabled.implementation.exportName}` } : {}),
      ...(e.toolName ? { toolName: e.toolName.value } : {}),
    };
  };
  const outgoing = topology.edges.filter((e) => e.from.value === agent.id).map((e) => edge(e, e.to.value));
  const incoming = topology.edges.filter((e) => e.to.value === agent.id).map((e) => edge(e, e.from.value));
  const instructions = agent.instructions;
  return {
    id: agent.id,
    node: nodeId('agent', agent.id),
    name: agent.name,
    entry: topology.entry.value === agent.id,
    ...(agent.model ? { model: agent.model.value } : {}),
    ...(agent.handoffDescription ? { handoffDescription: agent.handoffDescription.value } : {}),
    ...(instructions
      ? {
          instructions:
            instructions.kind === 'inline'
              ? { kind: 'inline' as const, text: instructions.text }
              : instructions.kind === 'file'
                ? { kind: 'file' as const, source: instructions.path, ...(files?.byReference.get(instructions.path)?.text !== undefined ? { text: files.byReference.get(instructions.path)!.text! } : {}) }
                : { kind: 'dynamic' as const, source: `${instructions.implementation.path}#${instructions.implementation.exportName}` },
        }
      : {}),
    fragments: agent.fragments.map((f) => f.value),
    tools: agent.tools.flatMap((ref) => {
      const tool = index.tools.get(ref.value);
      if (!tool) return [];
      return [
        {
          id: tool.id,
          kind: tool.kind,
          description: tool.description,
          needsApproval: tool.needsApproval,
          ...(tool.implementation ? { implementation: `${tool.implementation.path}#${tool.implementation.exportName}` } : {}),
          parameters: JSON.stringify(tool.parameters, null, 2),
        },
      ];
    }),
    outgoing,
    incoming,
    guardrails: [...agent.inputGuardrails.map((g) => `input ${g.path}#${g.exportName}`), ...agent.outputGuardrails.map((g) => `output ${g.path}#${g.exportName}`)],
    ...(agent.output ? { output: agent.output.kind === 'named' ? agent.output.name : JSON.stringify(agent.output.schema, null, 2) } : {}),
    schemas: [...schemaNames].flatMap((name) => {
      const schema = index.schemas.get(name);
      return schema ? [{ name, json: JSON.stringify(schema.schema, null, 2) }] : [];
    }),
  };
}
