/**
 * What the language server answers, as pure functions of one document's text: the same validation,
 * model and locations the CLI uses, turned into LSP shapes. server.ts only wires them to the protocol.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  MarkupKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type Hover,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Diagnostic, SourceRange } from '../diagnostics/types.js';
import { markdownText } from '../emit/markdown/escape-markdown.js';
import { indexOf } from '../model/queries.js';
import { RULES } from '../rules/index.js';
import { locate } from '../source/locate.js';
import { validateSource, type ValidateOptions, type ValidationResult } from '../validate.js';
import { findExport, fileReferenceAt, indexSymbols, occurrenceAt, occurrencesOf, contains, type SymbolIndex, type SymbolKind } from './symbols.js';

export interface Analysis {
  readonly uri: string;
  readonly text: string;
  readonly result: ValidationResult;
  readonly index?: SymbolIndex;
  /** `rules:` keys with their ranges, for hover. */
  readonly ruleKeys: readonly { id: string; range: SourceRange }[];
}

/** A YAML file is a topology when it has a top-level `agents:` key or the topology schema modeline. */
export function isTopology(text: string): boolean {
  return /^agents\s*:/m.test(text) || /\$schema=\S*topology\.schema\.json/.test(text);
}

export function analyse(uri: string, path: string, text: string, options: ValidateOptions = {}): Analysis {
  const result = validateSource(text, path, { displayPath: path, ...options });
  const { topology, source, files } = result;
  const index = topology && source ? indexSymbols(topology, source, files) : undefined;
  const ruleKeys = topology && source ? [...topology.rules].map(([id, override]) => ({ id, range: locate(source, override.pointer, { onKey: true }) })) : [];
  return { uri, text, result, ...(index ? { index } : {}), ruleKeys };
}

export function toLspRange(range: SourceRange | undefined): Range {
  if (!range) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: { line: range.start.line - 1, character: range.start.column - 1 }, end: { line: range.end.line - 1, character: range.end.column - 1 } };
}

export function diagnostics(analysis: Analysis): LspDiagnostic[] {
  return analysis.result.diagnostics.map((d): LspDiagnostic => {
    const lines = [d.message, ...(d.hint ? [d.hint] : [])];
    return {
      range: toLspRange(d.range),
      severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code: d.ruleId,
      source: 'switchboard',
      message: lines.join('\n'),
      ...(d.related?.length ? { relatedInformation: d.related.map((r) => ({ location: { uri: analysis.uri, range: toLspRange(r.range) }, message: r.message })) } : {}),
      ...(d.suggestion ? { data: { suggestion: d.suggestion } } : {}),
    };
  });
}

/** Without the quotes of a quoted scalar, so a rename replaces the name and keeps the quoting. */
function nameRange(text: string, range: SourceRange): Range {
  const lsp = toLspRange(range);
  const lines = text.split(/\r?\n/);
  if (lsp.start.line !== lsp.end.line) return lsp;
  const line = lines[lsp.start.line] ?? '';
  const first = line[lsp.start.character];
  if ((first === '"' || first === "'") && line[lsp.end.character - 1] === first && lsp.end.character - lsp.start.character >= 2) {
    return { start: { line: lsp.start.line, character: lsp.start.character + 1 }, end: { line: lsp.end.line, character: lsp.end.character - 1 } };
  }
  return lsp;
}

const at = (position: Position) => [position.line + 1, position.character + 1] as const;

export function definition(analysis: Analysis, position: Position): Location | undefined {
  const index = analysis.index;
  if (!index) return undefined;
  const [line, column] = at(position);
  const occurrence = occurrenceAt(index, line, column);
  if (occurrence) {
    const declaration = occurrencesOf(index, occurrence.kind, occurrence.name).find((o) => o.declaration);
    return declaration ? { uri: analysis.uri, range: nameRange(analysis.text, declaration.range) } : undefined;
  }
  const file = fileReferenceAt(index, line, column);
  if (file?.absolutePath) {
    let target: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (file.exportName) {
      try {
        const found = findExport(readFileSync(file.absolutePath, 'utf8'), file.exportName);
        if (found) {
          const start = { line: found.line - 1, character: found.column - 1 };
          target = { start, end: { line: start.line, character: start.character + file.exportName.length } };
        }
      } catch {
        // A missing module is already a diagnostic; go to the top of where it would be.
      }
    }
    return { uri: pathToFileURL(file.absolutePath).href, range: target };
  }
  return undefined;
}

export function references(analysis: Analysis, position: Position, includeDeclaration: boolean): Location[] {
  const index = analysis.index;
  if (!index) return [];
  const [line, column] = at(position);
  const occurrence = occurrenceAt(index, line, column);
  if (!occurrence) {
    // On a module or instructions file reference: every reference to the same file.
    const file = fileReferenceAt(index, line, column);
    return file ? index.files.filter((f) => f.path === file.path).map((f) => ({ uri: analysis.uri, range: toLspRange(f.range) })) : [];
  }
  return occurrencesOf(index, occurrence.kind, occurrence.name)
    .filter((o) => includeDeclaration || !o.declaration)
    .map((o) => ({ uri: analysis.uri, range: nameRange(analysis.text, o.range) }));
}

const NAME_PATTERNS: Readonly<Record<SymbolKind, RegExp>> = {
  agent: /^[a-z][a-z0-9_-]*$/,
  tool: /^[A-Za-z][A-Za-z0-9_]*$/,
  schema: /^[A-Z][A-Za-z0-9]*$/,
  filter: /^[a-z][a-zA-Z0-9_-]*$/,
  fragment: /^[a-z][a-zA-Z0-9_-]*$/,
};

export function prepareRename(analysis: Analysis, position: Position): { range: Range; placeholder: string } | undefined {
  const index = analysis.index;
  if (!index) return undefined;
  const occurrence = occurrenceAt(index, ...at(position));
  if (!occurrence) return undefined;
  return { range: nameRange(analysis.text, occurrence.range), placeholder: occurrence.name };
}

export class RenameError extends Error {}

/** Rename a declared name and every use of it in the file. Throws RenameError for a name the schema would reject. */
export function rename(analysis: Analysis, position: Position, newName: string): WorkspaceEdit | undefined {
  const index = analysis.index;
  if (!index) return undefined;
  const occurrence = occurrenceAt(index, ...at(position));
  if (!occurrence) return undefined;
  if (!NAME_PATTERNS[occurrence.kind].test(newName)) throw new RenameError(`\`${newName}\` is not a valid ${occurrence.kind} name (${NAME_PATTERNS[occurrence.kind].source})`);
  const taken = index.occurrences.some((o) => o.declaration && o.kind === occurrence.kind && o.name === newName);
  if (taken && newName !== occurrence.name) throw new RenameError(`a ${occurrence.kind} named \`${newName}\` already exists`);
  const edits: TextEdit[] = occurrencesOf(index, occurrence.kind, occurrence.name).map((o) => ({ range: nameRange(analysis.text, o.range), newText: newName }));
  return { changes: { [analysis.uri]: edits } };
}

/** What the cursor is typing, from the text alone (it may not parse yet). */
export function completionContext(text: string, position: Position): SymbolKind | 'rule' | undefined {
  const lines = text.split(/\r?\n/);
  const current = (lines[position.line] ?? '').slice(0, position.character);
  const indentOf = (line: string) => /^[ -]*/.exec(line)![0].length;
  const keyOn = /(?:^|[\s{,])([A-Za-z][\w-]*)\s*:(?:\s|$)/g;
  let key: string | undefined;
  for (const match of current.matchAll(keyOn)) key = match[1];
  let keyIndent = indentOf(current);
  const isItem = /^\s*-\s/.test(current) || /^\s*-$/.test(current);
  if (key === undefined) {
    // A sequence item or a key being typed: the parent is the nearest line above with less indentation.
    const ownIndent = indentOf(current);
    for (let i = position.line - 1; i >= 0; i--) {
      const line = lines[i]!;
      if (!line.trim() || line.trimStart().startsWith('#')) continue;
      const indent = /^ */.exec(line)![0].length;
      if (indent < ownIndent || (isItem && indent <= ownIndent && !/^\s*-/.test(line))) {
        const parent = /^\s*(?:-\s+)?([A-Za-z][\w-]*)\s*:/.exec(line);
        if (!parent) return undefined;
        if (!isItem) return parent[1] === 'rules' && indent === 0 ? 'rule' : undefined;
        key = parent[1];
        keyIndent = indent;
        break;
      }
    }
  }
  switch (key) {
    case 'entry':
    case 'from':
    case 'to':
      return 'agent';
    case 'tools':
      return keyIndent > 0 ? 'tool' : undefined;
    case 'fragments':
      return keyIndent > 0 ? 'fragment' : undefined;
    case 'input':
    case 'output':
      return 'schema';
    case 'filter':
      return 'filter';
    default:
      return undefined;
  }
}

export function completion(analysis: Analysis, position: Position): CompletionItem[] {
  const context = completionContext(analysis.text, position);
  if (context === 'rule') {
    return RULES.map((rule) => ({ label: rule.id, kind: CompletionItemKind.Property, detail: `${rule.defaultSeverity} by default`, documentation: rule.description }));
  }
  const topology = analysis.result.topology;
  if (!context || !topology) return [];
  switch (context) {
    case 'agent':
      return topology.agents.map((a) => ({ label: a.id, kind: CompletionItemKind.Class, detail: a.name, ...(a.handoffDescription ? { documentation: a.handoffDescription.value } : {}) }));
    case 'tool':
      return topology.tools.map((t) => ({ label: t.id, kind: CompletionItemKind.Function, detail: t.kind, documentation: t.description }));
    case 'schema':
      return topology.schemas.map((s) => ({ label: s.name, kind: CompletionItemKind.Struct }));
    case 'filter':
      return topology.filters.map((f) => ({ label: f.name, kind: CompletionItemKind.Variable }));
    case 'fragment':
      return topology.fragments.map((f) => ({ label: f.name, kind: CompletionItemKind.Text }));
  }
}

export function hover(analysis: Analysis, position: Position): Hover | undefined {
  const [line, column] = at(position);
  const sections: string[] = [];
  const ruleDoc = (id: string) => {
    const rule = RULES.find((r) => r.id === id);
    return rule ? `**${rule.id}** (${rule.defaultSeverity}${rule.policy === 'star' ? ', star policy' : ''}): ${rule.description}\n\n${rule.docs}` : undefined;
  };
  for (const d of analysis.result.diagnostics) {
    if (!d.range || !contains(d.range, line, column)) continue;
    sections.push(ruleDoc(d.ruleId) ?? `**${d.ruleId}**: ${markdownText(d.message)}`);
  }
  for (const key of analysis.ruleKeys) if (contains(key.range, line, column)) sections.push(ruleDoc(key.id) ?? `unknown rule \`${markdownText(key.id)}\``);
  const occurrence = analysis.index ? occurrenceAt(analysis.index, line, column) : undefined;
  const summary = occurrence && analysis.result.topology ? describe(analysis, occurrence.kind, occurrence.name) : undefined;
  if (summary) sections.unshift(summary);
  if (!sections.length) return undefined;
  return { contents: { kind: MarkupKind.Markdown, value: [...new Set(sections)].join('\n\n---\n\n') } };
}

/** A short card about a declared name; every user string goes through markdownText. */
function describe(analysis: Analysis, kind: SymbolKind, name: string): string | undefined {
  const topology = analysis.result.topology!;
  const index = indexOf(topology);
  switch (kind) {
    case 'agent': {
      const agent = index.agents.get(name);
      if (!agent) return undefined;
      const out = (index.outgoing.get(name) ?? []).map((e) => e.to.value);
      return [
        `**agent** \`${markdownText(agent.id)}\` — ${markdownText(agent.name)}`,
        ...(agent.handoffDescription ? [markdownText(agent.handoffDescription.value)] : []),
        ...(agent.tools.length ? [`tools: ${agent.tools.map((t) => markdownText(t.value)).join(', ')}`] : []),
        ...(out.length ? [`hands off to: ${[...new Set(out)].map((text) => markdownText(text)).join(', ')}`] : []),
      ].join('\n\n');
    }
    case 'tool': {
      const tool = index.tools.get(name);
      if (!tool) return undefined;
      const properties = Object.keys((tool.parameters.properties as Record<string, unknown> | undefined) ?? {});
      return [`**tool** \`${markdownText(tool.id)}\` (${tool.kind}${tool.needsApproval ? ', needs approval' : ''})`, markdownText(tool.description), ...(properties.length ? [`parameters: ${properties.map((text) => markdownText(text)).join(', ')}`] : [])].join('\n\n');
    }
    case 'schema':
      return index.schemas.has(name) ? `**schema** \`${markdownText(name)}\`` : undefined;
    case 'filter': {
      const filter = index.filters.get(name);
      return filter ? `**filter** \`${markdownText(name)}\`: ${filter.steps.map((s) => s.kind).join(', ')}` : undefined;
    }
    case 'fragment':
      return topology.fragments.some((f) => f.name === name) ? `**fragment** \`${markdownText(name)}\`` : undefined;
  }
}

export type { Diagnostic };

/**
 * Quick fixes for the diagnostics under `range`: the did-you-mean replacement (preferred when it is the
 * only close candidate, as `validate --fix` applies it), and a suppression comment above the line for
 * a rule finding, with a reason to fill in (docs/suppressions.md).
 */
export function codeActions(analysis: Analysis, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  const lines = analysis.text.split(/\r?\n/);
  const ruleIds = new Set(RULES.filter((r) => r.suppressible !== false).map((r) => r.id));
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
  for (const d of analysis.result.diagnostics) {
    if (!d.range) continue;
    const at = toLspRange(d.range);
    if (before(at.end, range.start) || before(range.end, at.start)) continue;
    const [lsp] = diagnostics({ ...analysis, result: { ...analysis.result, diagnostics: [d] } });
    // A suppression's own findings cover the whole comment: its suggestion is not a replacement for it.
    const replaceable = d.suggestion !== undefined && !d.ruleId.endsWith('-suppression') && at.start.line === at.end.line && !/[\r\n]/.test(d.suggestion);
    if (replaceable) {
      actions.push({
        title: `Change to \`${d.suggestion}\``,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp!],
        ...(d.fixable ? { isPreferred: true } : {}),
        edit: { changes: { [analysis.uri]: [{ range: nameRange(analysis.text, d.range), newText: d.suggestion! }] } },
      });
    }
    const removal = d.ruleId === 'unused-suppression' ? suppressionRemoval(lines, at) : undefined;
    if (removal) actions.push({ title: 'Remove the unused suppression', kind: CodeActionKind.QuickFix, diagnostics: [lsp!], isPreferred: true, edit: { changes: { [analysis.uri]: [removal] } } });
    if (ruleIds.has(d.ruleId)) {
      const line = at.start.line;
      const indent = /^[ \t]*/.exec(lines[line] ?? '')![0];
      actions.push({
        title: `Suppress \`${d.ruleId}\` on this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp!],
        edit: { changes: { [analysis.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# switchboard-disable-next-line ${d.ruleId} -- TODO: say why\n` }] } },
      });
    }
  }
  return actions;
}

/**
 * The edit that deletes a suppression comment naming a single rule: the whole line when the comment
 * stands alone, else the comment and the spaces before it. A comment naming several rules is left to
 * the user (which names to keep is theirs to decide).
 */
function suppressionRemoval(lines: readonly string[], at: Range): TextEdit | undefined {
  const text = lines[at.start.line];
  if (text === undefined || at.start.line !== at.end.line) return undefined;
  const comment = text.slice(at.start.character, at.end.character);
  const names = /^#\s*switchboard-disable-(?:next-)?line\s+(.*?)\s+--/.exec(comment)?.[1]?.split(/[\s,]+/).filter(Boolean);
  if (names?.length !== 1) return undefined;
  const before = text.slice(0, at.start.character);
  if (before.trim() === '') return { range: { start: { line: at.start.line, character: 0 }, end: { line: at.start.line + 1, character: 0 } }, newText: '' };
  const from = before.replace(/[ \t]+$/, '').length;
  return { range: { start: { line: at.start.line, character: from }, end: { line: at.start.line, character: text.length } }, newText: '' };
}
