import { cmp, type Diagnostic } from '../diagnostics/types.js';
import { describeFilterStep, indexOf } from '../model/queries.js';
import { topologyRuntimes } from '../model/voice.js';
import type { Agent, Edge, FilterStep, ProjectFiles, Topology } from '../model/types.js';
import { summariseWordDiff } from './word-diff.js';

export type Subject = 'topology' | 'agent' | 'edge' | 'tool' | 'schema' | 'filter' | 'finding';
export type ChangeKind = 'added' | 'removed' | 'renamed' | 'changed';

/** One semantic change, e.g. `{ subject: 'edge', kind: 'added', id: 'triage → refunds' }`. */
export interface Change {
  readonly subject: Subject;
  readonly kind: ChangeKind;
  readonly id: string;
  readonly details: readonly string[];
}

export interface TopologyDiff {
  readonly changes: readonly Change[];
  /** Agent ids (in the new topology) and edge keys `from→to` added, for highlighting diagrams. */
  readonly addedAgents: readonly string[];
  readonly addedEdges: readonly string[];
  /** What the new topology no longer has: drawn dashed in red on the diff diagram. */
  readonly removedAgents: readonly Agent[];
  readonly removedEdges: readonly Edge[];
}

export interface DiffSide {
  readonly topology: Topology;
  readonly files?: ProjectFiles;
  readonly diagnostics: readonly Diagnostic[];
}

export const edgeKey = (from: string, to: string) => `${from}→${to}`;

/** Compare two versions of a topology semantically: what a reviewer needs, not a text diff. */
export function diffTopologies(before: DiffSide, after: DiffSide): TopologyDiff {
  const changes: Change[] = [];
  const push = (subject: Subject, kind: ChangeKind, id: string, details: string[] = []) => changes.push({ subject, kind, id, details });
  const [a, b] = [before.topology, after.topology];

  for (const key of ['entry', 'policy'] as const) {
    const [x, y] = key === 'entry' ? [a.entry.value, b.entry.value] : [a.policy, b.policy];
    if (x !== y) push('topology', 'changed', key, [`${key}: ${x} → ${y}`]);
  }

  // The voice runtime: which runtimes, the session's settings, and agents' own runtime and voice.
  const voiceDetails = compareFields(voiceFields(a), voiceFields(b));
  if (voiceDetails.length) push('topology', 'changed', 'voice', voiceDetails);

  // Agents, with renames: a removed and an added agent with the same name or the same instructions.
  const oldAgents = indexOf(a).agents;
  const newAgents = indexOf(b).agents;
  const removed = a.agents.filter((x) => !newAgents.has(x.id));
  const added = b.agents.filter((x) => !oldAgents.has(x.id));
  const renames = new Map<string, string>();
  for (const gone of removed) {
    const match = added.find((x) => !renames.has(x.id) && ![...renames.values()].includes(x.id) && (x.name === gone.name || (gone.instructions && instructions(x, after.files) === instructions(gone, before.files))));
    if (match) renames.set(gone.id, match.id);
  }
  const renamedTo = new Set(renames.values());
  const toNew = (id: string) => renames.get(id) ?? id;
  for (const agent of b.agents) {
    const previous = oldAgents.get([...renames].find(([, to]) => to === agent.id)?.[0] ?? agent.id);
    if (!previous) push('agent', 'added', agent.id, [`model ${agent.model?.value ?? 'default'}`, ...(agent.tools.length ? [`tools: ${agent.tools.map((t) => t.value).join(', ')}`] : [])]);
    else {
      const details = agentDetails(previous, agent, before.files, after.files);
      if (previous.id !== agent.id) push('agent', 'renamed', agent.id, [`renamed from ${previous.id}`, ...details]);
      else if (details.length) push('agent', 'changed', agent.id, details);
    }
  }
  for (const agent of removed) if (!renames.has(agent.id)) push('agent', 'removed', agent.id);

  // Edges keyed by (from, to), with old ids mapped through renames.
  const oldEdges = new Map(a.edges.map((e) => [edgeKey(toNew(e.from.value), toNew(e.to.value)), e]));
  const newEdges = new Map(b.edges.map((e) => [edgeKey(e.from.value, e.to.value), e]));
  const addedEdges: string[] = [];
  for (const [key, edge] of newEdges) {
    const previous = oldEdges.get(key);
    if (!previous) {
      addedEdges.push(key);
      push('edge', 'added', key, edgeSummary(b, edge));
    } else {
      const details = compareFields(edgeFields(a, previous), edgeFields(b, edge));
      if (details.length) push('edge', 'changed', key, details);
    }
  }
  const removedEdges = [...oldEdges].filter(([key]) => !newEdges.has(key)).map(([, e]) => e);
  for (const edge of removedEdges) push('edge', 'removed', edgeKey(toNew(edge.from.value), toNew(edge.to.value)));

  diffNamed(changes, 'tool', a.tools.map((t) => [t.id, { kind: t.kind, description: t.description, parameters: t.parameters, strict: t.strict, needsApproval: t.needsApproval, implementation: ref(t.implementation) }]), b.tools.map((t) => [t.id, { kind: t.kind, description: t.description, parameters: t.parameters, strict: t.strict, needsApproval: t.needsApproval, implementation: ref(t.implementation) }]));
  diffNamed(changes, 'schema', a.schemas.map((s) => [s.name, { schema: s.schema }]), b.schemas.map((s) => [s.name, { schema: s.schema }]));
  diffNamed(changes, 'filter', a.filters.map((f) => [f.name, { steps: pipeline(f.steps) }]), b.filters.map((f) => [f.name, { steps: pipeline(f.steps) }]));
  for (const change of changes) {
    if (change.subject !== 'filter' || change.kind !== 'changed') continue;
    const users = b.edges.filter((e) => e.filter?.kind === 'named' && e.filter.name === change.id);
    if (users.length) (change.details as string[]).push(`used by ${users.map((e) => edgeKey(e.from.value, e.to.value)).join(', ')}`);
  }

  // Findings: a rule result that appears is a finding; one that disappears is worth saying too.
  const finding = (d: Diagnostic) => `${d.severity} [${d.ruleId}] ${d.message}`;
  const oldFindings = new Set(before.diagnostics.map(finding));
  const newFindings = new Set(after.diagnostics.map(finding));
  for (const f of [...newFindings].sort(cmp)) if (!oldFindings.has(f)) push('finding', 'added', f);
  for (const f of [...oldFindings].sort(cmp)) if (!newFindings.has(f)) push('finding', 'removed', f);

  return {
    changes,
    addedAgents: b.agents.filter((x) => !oldAgents.has(x.id) && !renamedTo.has(x.id)).map((x) => x.id),
    addedEdges,
    removedAgents: removed.filter((x) => !renames.has(x.id)),
    removedEdges,
  };
}

function agentDetails(x: Agent, y: Agent, filesX?: ProjectFiles, filesY?: ProjectFiles): string[] {
  const details = compareFields(
    { name: x.name, model: x.model?.value, modelSettings: x.modelSettings, handoffDescription: x.handoffDescription?.value },
    { name: y.name, model: y.model?.value, modelSettings: y.modelSettings, handoffDescription: y.handoffDescription?.value },
  );
  details.push(...compareFields({ runtime: x.runtime?.value.join(', '), voice: x.voice?.value }, { runtime: y.runtime?.value.join(', '), voice: y.voice?.value }));
  const [oldTools, newTools] = [x.tools.map((t) => t.value), y.tools.map((t) => t.value)];
  const plus = newTools.filter((t) => !oldTools.includes(t));
  const minus = oldTools.filter((t) => !newTools.includes(t));
  if (plus.length) details.push(`tools added: ${plus.join(', ')}`);
  if (minus.length) details.push(`tools removed: ${minus.join(', ')}`);
  const [before, after] = [instructions(x, filesX) ?? '', instructions(y, filesY) ?? ''];
  if (before !== after) {
    const s = summariseWordDiff(before, after);
    details.push(`instructions: +${s.added} words, −${s.removed} words${s.firstAdded ? `; added “${s.firstAdded}”` : ''}${s.firstRemoved ? `; removed “${s.firstRemoved}”` : ''}`);
  }
  return details;
}

function instructions(agent: Agent, files?: ProjectFiles): string | undefined {
  if (!agent.instructions) return undefined;
  const own = agent.instructions;
  if (own.kind === 'inline') return own.text;
  if (own.kind === 'dynamic') return `(built at run time by ${own.implementation.path}#${own.implementation.exportName})`;
  return files?.byReference.get(own.path)?.text ?? `(file ${own.path})`;
}

function edgeFields(topology: Topology, edge: Edge): Record<string, unknown> {
  return {
    input: edge.input?.kind === 'named' ? edge.input.name : edge.input ? edge.input.schema : undefined,
    // A named pipeline is compared by name here; a change inside it is reported once, under Filters.
    filter: edge.filter?.kind === 'named' ? edge.filter.name : edge.filter ? pipeline(edge.filter.steps) : undefined,
    onHandoff: ref(edge.onHandoff),
    handback: edge.handback || undefined,
    toolName: edge.toolName?.value,
    description: edge.description?.value,
  };
}

function edgeSummary(topology: Topology, edge: Edge): string[] {
  return Object.entries(edgeFields(topology, edge)).flatMap(([k, v]) => (v === undefined ? [] : [`${k}: ${show(v)}`]));
}

/** `field: old → new` for every field whose value differs (deeply). */
function voiceFields(topology: Topology): Record<string, unknown> {
  const session = topology.voice;
  return {
    runtime: topologyRuntimes(topology).join(', '),
    'voice model': session?.model?.value,
    'voice voice': session?.voice?.value,
    'voice turnDetection': session?.turnDetection,
    'voice transcription': session?.transcription,
    'voice audio': session?.inputAudioFormat || session?.outputAudioFormat ? `${session.inputAudioFormat ?? 'default'}/${session.outputAudioFormat ?? 'default'}` : undefined,
    'voice outputGuardrails': session?.outputGuardrails.map(ref),
  };
}

function compareFields(x: Record<string, unknown>, y: Record<string, unknown>): string[] {
  return Object.keys({ ...x, ...y }).flatMap((key) => (same(x[key], y[key]) ? [] : [`${key}: ${show(x[key])} → ${show(y[key])}`]));
}

function diffNamed(changes: Change[], subject: Subject, before: [string, Record<string, unknown>][], after: [string, Record<string, unknown>][]) {
  const old = new Map(before);
  const now = new Map(after);
  for (const [id, fields] of after) {
    const previous = old.get(id);
    if (!previous) changes.push({ subject, kind: 'added', id, details: [] });
    else {
      const details = compareFields(previous, fields);
      if (details.length) changes.push({ subject, kind: 'changed', id, details });
    }
  }
  for (const [id] of before) if (!now.has(id)) changes.push({ subject, kind: 'removed', id, details: [] });
}

function pipeline(steps: readonly FilterStep[]): string {
  return `[${steps.map(describeFilterStep).join(', ')}]`;
}

function ref(value: { path: string; exportName: string } | undefined): string | undefined {
  return value ? `${value.path}#${value.exportName}` : undefined;
}

function same(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 57)}...` : value;
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
