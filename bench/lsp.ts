/**
 * `node --import tsx bench/lsp.ts` (after `npm run build`): response times of `switchboard lsp` on the
 * example, through a real client over stdio, after a warm-up. Not a test: nothing asserts on time.
 * Target (issue 19): every answer within 50 ms.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  RenameRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const file = join(root, 'topologies/support-desk.yaml');
const uri = pathToFileURL(file).href;
const text = readFileSync(file, 'utf8');
const lines = text.split('\n');
const at = (lineHas: string, needle: string) => {
  const line = lines.findIndex((l) => l.includes(lineHas));
  return { line, character: lines[line]!.indexOf(needle) + 1 };
};

const child = spawn(process.execPath, [join(root, 'bin/switchboard.js'), 'lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
let onDiagnostics: ((version: number) => void) | undefined;
connection.onNotification(PublishDiagnosticsNotification.type, (p) => onDiagnostics?.(p.version ?? -1));
connection.listen();
await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {}, workspaceFolders: null });
await connection.sendNotification(InitializedNotification.type, {});
await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 0, text } });

let version = 0;
const change = () =>
  new Promise<void>((done) => {
    const mine = ++version;
    onDiagnostics = (v) => v === mine && done();
    void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: mine }, contentChanges: [{ text: version % 2 ? text.replace('entry: triage', 'entry: triag') : text }] });
  });
const textDocument = { uri };
const cases: [string, () => Promise<unknown>][] = [
  ['edit → diagnostics', change],
  ['definition', () => connection.sendRequest(DefinitionRequest.type, { textDocument, position: at('to: [billing', 'billing') })],
  ['references', () => connection.sendRequest(ReferencesRequest.type, { textDocument, position: at('entry: triage', 'triage'), context: { includeDeclaration: true } })],
  ['rename', () => connection.sendRequest(RenameRequest.type, { textDocument, position: at('to: [billing', 'tech'), newName: 'support' })],
  ['completion', () => connection.sendRequest(CompletionRequest.type, { textDocument, position: { line: lines.indexOf('    to: [billing, tech, sales]'), character: 9 } })],
  ['hover', () => connection.sendRequest(HoverRequest.type, { textDocument, position: at('to: [billing', 'sales') })],
];
const runs = 41;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;
for (const [, run] of cases) for (let i = 0; i < 5; i++) await run(); // warm-up
console.log(`switchboard lsp on topologies/support-desk.yaml, ${runs} runs each (target: within 50 ms):`);
for (const [name, run] of cases) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Requests after an edit re-validate first: measure that worst case.
    if (name !== 'edit → diagnostics') await change();
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  console.log(`  ${name.padEnd(20)} median ${median(times).toFixed(1)} ms, p95 ${p95(times).toFixed(1)} ms, max ${max(times).toFixed(1)} ms`);
}
await connection.sendRequest(ShutdownRequest.type);
await connection.sendNotification(ExitNotification.type);
connection.dispose();
