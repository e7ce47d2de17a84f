import type { SourceRange } from '../diagnostics/types.js';
import type { SourceFile } from '../source/load-yaml.js';
import { locate } from '../source/locate.js';
import { codeRefs } from '../model/queries.js';
import type { ProjectFiles, Topology } from '../model/types.js';

/** The kinds of names a topology declares once and references elsewhere. */
export type SymbolKind = 'agent' | 'tool' | 'schema' | 'filter' | 'fragment';

/** One place a name is written: its declaration (the key under `agents:`, `tools:`, …) or a use. */
export interface SymbolOccurrence {
  readonly kind: SymbolKind;
  readonly name: string;
  readonly pointer: string;
  readonly range: SourceRange;
  readonly declaration: boolean;
}

/** A `path#export` or `instructionsFile` value: it points into a file beside the topology. */
export interface FileReference {
  readonly path: string;
  readonly exportName?: string;
  readonly pointer: string;
  readonly range: SourceRange;
  /** Absolute path when the pipeline resolved it. */
  readonly absolutePath?: string;
}

export interface SymbolIndex {
  readonly occurrences: readonly SymbolOccurrence[];
  readonly files: readonly FileReference[];
}

/**
 * Every declaration and reference of agents, tools, schemas, filters and fragments in one topology,
 * with source ranges, from the same model the rules check. Expanded edges (`to: [a, b]` from a list
 * of sources) repeat pointers; each place is listed once.
 */
export function indexSymbols(topology: Topology, source: SourceFile, files?: ProjectFiles): SymbolIndex {
  const occurrences: SymbolOccurrence[] = [];
  const seen = new Set<string>();
  const add = (kind: SymbolKind, name: string, pointer: string, declaration: boolean) => {
    if (seen.has(pointer)) return;
    seen.add(pointer);
    occurrences.push({ kind, name, pointer, declaration, range: locate(source, pointer, { onKey: declaration }) });
  };
  for (const agent of topology.agents) add('agent', agent.id, agent.pointer, true);
  for (const tool of topology.tools) add('tool', tool.id, tool.pointer, true);
  for (const schema of topology.schemas) add('schema', schema.name, schema.pointer, true);
  for (const filter of topology.filters) add('filter', filter.name, filter.pointer, true);
  for (const fragment of topology.fragments) add('fragment', fragment.name, fragment.pointer, true);

  if (topology.entry.value) add('agent', topology.entry.value, topology.entry.pointer, false);
  for (const agent of topology.agents) {
    for (const tool of agent.tools) add('tool', tool.value, tool.pointer, false);
    for (const fragment of agent.fragments) add('fragment', fragment.value, fragment.pointer, false);
    if (agent.output?.kind === 'named') add('schema', agent.output.name, agent.output.pointer, false);
  }
  for (const edge of topology.edges) {
    add('agent', edge.from.value, edge.from.pointer, false);
    add('agent', edge.to.value, edge.to.pointer, false);
    if (edge.input?.kind === 'named') add('schema', edge.input.name, edge.input.pointer, false);
    if (edge.filter?.kind === 'named') add('filter', edge.filter.name, edge.filter.pointer, false);
  }

  const references: FileReference[] = [];
  const resolved = (path: string) => files?.byReference.get(path)?.absolutePath;
  for (const ref of codeRefs(topology)) {
    const absolutePath = resolved(ref.path);
    references.push({ path: ref.path, exportName: ref.exportName, pointer: ref.pointer, range: locate(source, ref.pointer), ...(absolutePath ? { absolutePath } : {}) });
  }
  for (const agent of topology.agents) {
    if (agent.instructions?.kind !== 'file') continue;
    const absolutePath = resolved(agent.instructions.path);
    references.push({ path: agent.instructions.path, pointer: agent.instructions.pointer, range: locate(source, agent.instructions.pointer), ...(absolutePath ? { absolutePath } : {}) });
  }
  return { occurrences, files: references };
}

/** 1-based position inside a range (end exclusive, but a cursor right after a name still counts). */
export function contains(range: SourceRange, line: number, column: number): boolean {
  const afterStart = line > range.start.line || (line === range.start.line && column >= range.start.column);
  const beforeEnd = line < range.end.line || (line === range.end.line && column <= range.end.column);
  return afterStart && beforeEnd;
}

export function occurrenceAt(index: SymbolIndex, line: number, column: number): SymbolOccurrence | undefined {
  return index.occurrences.find((o) => contains(o.range, line, column));
}

export function fileReferenceAt(index: SymbolIndex, line: number, column: number): FileReference | undefined {
  return index.files.find((f) => contains(f.range, line, column));
}

/** The declaration and every use of one name. */
export function occurrencesOf(index: SymbolIndex, kind: SymbolKind, name: string): SymbolOccurrence[] {
  return index.occurrences.filter((o) => o.kind === kind && o.name === name);
}

/** Where `export … name` is written in a module's text (1-based line and column), if a lexical scan finds it. */
export function findExport(text: string, name: string): { line: number; column: number } | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [
    new RegExp(`export\\s+(?:default\\s+)?(?:async\\s+)?(?:function\\*?|const|let|var|class|interface|type)\\s+(${escaped})\\b`),
    new RegExp(`export\\s*\\{[^}]*?\\b(${escaped})\\b`),
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const offset = match.index + match[0].length - match[1]!.length;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - before.lastIndexOf('\n') };
  }
  return undefined;
}
