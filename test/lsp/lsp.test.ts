import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  CompletionRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PrepareRenameRequest,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  RenameRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type CompletionItem,
  type Hover,
  type Location,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { fromRoot, repoRoot } from '../helpers/paths.js';

const yamlPath = fromRoot('topologies/support-desk.yaml');
const uri = pathToFileURL(yamlPath).href;
const original = readFileSync(yamlPath, 'utf8');
const lines = original.split('\n');

/** 0-based position of the `nth` occurrence of `needle` on the first line containing `lineHas`. */
function positionOf(lineHas: string, needle: string, offset = 1): { line: number; character: number } {
  const line = lines.findIndex((l) => l.includes(lineHas));
  if (line < 0) throw new Error(`no line with ${lineHas}`);
  return { line, character: lines[line]!.indexOf(needle) + offset };
}

let child: ChildProcess;
let connection: ProtocolConnection;
const published: PublishDiagnosticsParams[] = [];

async function until<T>(check: () => T | undefined, what: string, limitMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  child = spawn(process.execPath, [fromRoot('bin/switchboard.js'), 'lsp', '--stdio'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
  });
  connection.listen();
  const init = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(repoRoot).href, capabilities: {}, workspaceFolders: null });
  expect(init.capabilities.definitionProvider).toBe(true);
  expect(init.capabilities.renameProvider).toEqual({ prepareProvider: true });
  await connection.sendNotification(InitializedNotification.type, {});
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: original } });
});

afterAll(async () => {
  try {
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    setTimeout(() => child.kill(), 5_000).unref();
    await exited;
    connection.dispose();
  }
});

describe('switchboard lsp over stdio', () => {
  it('publishes no diagnostics for the valid example, then rule diagnostics as the text changes', async () => {
    const first = await until(() => published.find((p) => p.uri === uri), 'the first diagnostics');
    expect(first.diagnostics).toEqual([]);
    const entry = positionOf('entry: triage', 'triage', 0);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      // Incremental: delete the last letter of `triage` in `entry: triage`.
      contentChanges: [{ range: { start: { line: entry.line, character: entry.character + 5 }, end: { line: entry.line, character: entry.character + 6 } }, text: '' }],
    });
    const second = await until(() => published.find((p) => p.uri === uri && p.version === 2), 'diagnostics after the edit');
    expect(second.diagnostics).toHaveLength(1);
    expect(second.diagnostics[0]).toMatchObject({
      code: 'entry-exists',
      source: 'switchboard',
      severity: 1,
      range: { start: { line: entry.line, character: entry.character }, end: { line: entry.line, character: entry.character + 5 } },
    });
    expect(second.diagnostics[0]!.message).toContain('did you mean `triage`?');

    const hover = (await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: entry.line, character: entry.character + 2 } })) as Hover;
    expect(JSON.stringify(hover.contents)).toContain('**entry-exists** (error)');

    // Back to the original text for the other tests.
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 3 }, contentChanges: [{ text: original }] });
    const third = await until(() => published.find((p) => p.uri === uri && p.version === 3), 'diagnostics after the revert');
    expect(third.diagnostics).toEqual([]);
  });

  it('goes from a reference to its declaration, and from a module reference to the export', async () => {
    const billingInHandoff = positionOf('to: [billing, tech, sales]', 'billing');
    const location = (await connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: billingInHandoff })) as Location;
    const declared = lines.findIndex((l) => l === '  billing:');
    expect(location).toEqual({ uri, range: { start: { line: declared, character: 2 }, end: { line: declared, character: 9 } } });

    const tool = (await connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: positionOf('tools: [lookup_invoice', 'lookup_invoice') })) as Location;
    const toolLine = lines.findIndex((l) => l === '  lookup_invoice:');
    expect(tool.range.start).toEqual({ line: toolLine, character: 2 });

    const module = (await connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: positionOf('support-desk/billing.ts#lookupInvoice', 'billing.ts') })) as Location;
    expect(module.uri).toBe(pathToFileURL(fromRoot('topologies/support-desk/billing.ts')).href);
    const moduleLines = readFileSync(fromRoot('topologies/support-desk/billing.ts'), 'utf8').split('\n');
    expect(moduleLines[module.range.start.line]!.slice(module.range.start.character)).toMatch(/^lookupInvoice\b/);

    const schema = (await connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: positionOf('input: HandoffReason', 'HandoffReason') })) as Location;
    expect(schema.range.start.line).toBe(lines.findIndex((l) => l === '  HandoffReason:'));
    const filter = (await connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: positionOf('filter: clean', 'clean') })) as Location;
    expect(filter.range.start.line).toBe(lines.findIndex((l) => l === '  clean:'));
  });

  it('finds every reference of an agent', async () => {
    const refs = (await connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: positionOf('entry: triage', 'triage'), context: { includeDeclaration: true } })) as Location[];
    // entry, the declaration, `from: triage` and `to: triage`.
    expect(refs.map((r) => lines[r.range.start.line]!.slice(r.range.start.character, r.range.end.character))).toEqual(['triage', 'triage', 'triage', 'triage']);
    expect(refs.map((r) => r.range.start.line).sort((a, b) => a - b)).toEqual(
      [lines.indexOf('entry: triage'), lines.indexOf('  triage:'), lines.indexOf('  - from: triage'), lines.indexOf('    to: triage')].sort((a, b) => a - b),
    );
  });

  it('finds every reference to a module', async () => {
    const refs = (await connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: positionOf('support-desk/billing.ts#lookupInvoice', 'billing.ts'), context: { includeDeclaration: true } })) as Location[];
    expect(refs.map((r) => lines[r.range.start.line]!.trim())).toEqual([
      'implementation: support-desk/billing.ts#lookupInvoice',
      'implementation: support-desk/billing.ts#issueRefund',
      'implementation: support-desk/billing.ts#changePlan',
    ]);
  });

  it('renames an agent and a tool across the file, and refuses an invalid name', async () => {
    const position = positionOf('from: [billing, tech, sales]', 'tech');
    const prepared = (await connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position })) as { placeholder: string };
    expect(prepared.placeholder).toBe('tech');
    const edit = (await connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName: 'support' })) as WorkspaceEdit;
    const applied = applyEdits(original, edit.changes![uri]!);
    expect(applied).toContain('  support:\n    name: TechSupportAgent');
    expect(applied).toContain('to: [billing, support, sales]');
    expect(applied).toContain('from: [billing, support, sales]');
    expect(applied).not.toContain('  tech:');
    // Prose is not a reference: the description still says "tech".
    expect(applied).toContain('billing, tech and sales specialists');

    const toolEdit = (await connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: positionOf('tools: [lookup_invoice', 'lookup_invoice'), newName: 'find_invoice' })) as WorkspaceEdit;
    const renamedTool = applyEdits(original, toolEdit.changes![uri]!);
    expect(renamedTool).toContain('tools: [find_invoice, issue_refund');
    expect(renamedTool).toContain('  find_invoice:\n    description: Look up one invoice');

    await expect(connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName: 'Not Valid' })).rejects.toThrow(/not a valid agent name/);
  });

  it('completes agent ids, tool ids and rule names', async () => {
    const labels = async (text: string, line: number, character: number) => {
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 10 + line + character }, contentChanges: [{ text }] });
      const items = (await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character } })) as CompletionItem[];
      return items.map((i) => i.label);
    };
    const handoffLine = lines.indexOf('    to: [billing, tech, sales]');
    expect(await labels(original, handoffLine, '    to: ['.length)).toEqual(['triage', 'billing', 'tech', 'sales']);
    const toolsLine = lines.indexOf('    tools: [lookup_pricing, book_demo, send_one_pager]');
    expect(await labels(original, toolsLine, '    tools: ['.length)).toContain('escalate_to_human');
    const withRules = `${original}\nrules:\n  fan-\n`;
    const rulesLine = withRules.split('\n').indexOf('  fan-');
    expect(await labels(withRules, rulesLine, 6)).toContain('fan-out');
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 100 }, contentChanges: [{ text: original }] });
  });

  it('offers quick fixes: the did-you-mean replacement and a suppression comment, each clearing the diagnostic', async () => {
    // Another document beside the example, so the tests above keep their text.
    const typoUri = pathToFileURL(fromRoot('topologies/typo-desk.yaml')).href;
    const typo = original.replace('\nentry: triage\n', '\nentry: traige\n');
    const line = typo.split('\n').indexOf('entry: traige');
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: typoUri, languageId: 'yaml', version: 1, text: typo } });
    const opened = await until(() => published.find((p) => p.uri === typoUri && p.version === 1), 'diagnostics of the typo');
    expect(opened.diagnostics.map((d) => d.code)).toEqual(['entry-exists']);
    const actions = (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: typoUri },
      range: { start: { line, character: 9 }, end: { line, character: 9 } },
      context: { diagnostics: opened.diagnostics },
    })) as CodeAction[];
    // entry-exists is not suppressible (the compiled code would have no entry): only the replacement.
    expect(actions.map((a) => [a.title, a.isPreferred ?? false])).toEqual([['Change to `triage`', true]]);
    expect(actions[0]!.edit!.changes![typoUri]).toEqual([{ range: { start: { line, character: 7 }, end: { line, character: 13 } }, newText: 'triage' }]);
    expect(applyEdits(typo, actions[0]!.edit!.changes![typoUri]!)).toBe(original);

    // A star-rule finding (a specialist without a handoffDescription) can be suppressed where it is.
    const bare = original.replace(/\n    handoffDescription: Existing customers[^\n]*/, '');
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: typoUri, version: 2 }, contentChanges: [{ text: bare }] });
    const found = await until(() => published.find((p) => p.uri === typoUri && p.version === 2), 'diagnostics without the description');
    expect(found.diagnostics.map((d) => d.code)).toEqual(['handoff-description']);
    const at = found.diagnostics[0]!.range;
    const offered = (await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: typoUri }, range: at, context: { diagnostics: found.diagnostics } })) as CodeAction[];
    expect(offered.map((a) => a.title)).toEqual(['Suppress `handoff-description` on this line']);
    const suppressed = applyEdits(bare, offered[0]!.edit!.changes![typoUri]!);
    const indent = /^ */.exec(bare.split('\n')[at.start.line]!)![0];
    expect(suppressed.split('\n')[at.start.line]).toBe(`${indent}# switchboard-disable-next-line handoff-description -- TODO: say why`);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: typoUri, version: 3 }, contentChanges: [{ text: suppressed }] });
    const after = await until(() => published.find((p) => p.uri === typoUri && p.version === 3), 'diagnostics after the suppression');
    expect(after.diagnostics).toEqual([]);
  });

  it('hovers an agent reference with its summary', async () => {
    const hover = (await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf('to: [billing, tech, sales]', 'sales') })) as Hover;
    const text = JSON.stringify(hover.contents);
    expect(text).toContain('SalesAgent');
    expect(text).toContain('tools: lookup_pricing, book_demo, send_one_pager');
  });
});

function applyEdits(text: string, edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => starts[p.line]! + p.character;
  let out = text;
  for (const edit of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) out = out.slice(0, offset(edit.range.start)) + edit.newText + out.slice(offset(edit.range.end));
  return out;
}
