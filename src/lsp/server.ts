import { fileURLToPath } from 'node:url';
import { CodeActionKind, createConnection, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { VERSION } from '../version.js';
import { analyse, codeActions, completion, definition, diagnostics, hover, isTopology, prepareRename, references, rename, RenameError, type Analysis } from './features.js';

export interface LanguageServerOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

/**
 * The switchboard language server: a thin protocol layer (vscode-languageserver) over features.ts.
 * Every open topology is re-validated on each change; answers use the latest analysis.
 * Resolves when the client sends `exit` (or closes the stream).
 */
export function startLanguageServer(options: LanguageServerOptions): Promise<void> {
  const connection: Connection = createConnection(ProposedFeatures.all, options.input, options.output);
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();

  const analysisOf = (uri: string): Analysis | undefined => {
    const document = documents.get(uri);
    if (!document || !isTopology(document.getText())) return undefined;
    const cached = analyses.get(uri);
    if (cached && cached.text === document.getText()) return cached;
    const analysis = analyse(uri, pathOf(uri), document.getText());
    analyses.set(uri, analysis);
    return analysis;
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      completionProvider: { triggerCharacters: [' ', '[', ',', ':'] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'switchboard', version: VERSION },
  }));

  documents.onDidChangeContent(({ document }) => {
    const analysis = analysisOf(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: analysis ? diagnostics(analysis) : [] });
  });
  documents.onDidClose(({ document }) => {
    analyses.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onDefinition(({ textDocument, position }) => {
    const analysis = analysisOf(textDocument.uri);
    return analysis ? (definition(analysis, position) ?? null) : null;
  });
  connection.onReferences(({ textDocument, position, context }) => {
    const analysis = analysisOf(textDocument.uri);
    return analysis ? references(analysis, position, context.includeDeclaration) : [];
  });
  connection.onPrepareRename(({ textDocument, position }) => {
    const analysis = analysisOf(textDocument.uri);
    return analysis ? (prepareRename(analysis, position) ?? null) : null;
  });
  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    try {
      return rename(analysis, position, newName) ?? null;
    } catch (error) {
      // -32602: invalid params; the editor shows the message.
      if (error instanceof RenameError) return new ResponseError(-32602, error.message);
      throw error;
    }
  });
  connection.onCompletion(({ textDocument, position }) => {
    const analysis = analysisOf(textDocument.uri);
    return analysis ? completion(analysis, position) : [];
  });
  connection.onHover(({ textDocument, position }) => {
    const analysis = analysisOf(textDocument.uri);
    return analysis ? (hover(analysis, position) ?? null) : null;
  });

  connection.onCodeAction(({ textDocument, range }) => {
    const analysis = analysisOf(textDocument.uri);
    return analysis ? codeActions(analysis, range) : [];
  });

  documents.listen(connection);
  const exited = new Promise<void>((done) => {
    connection.onExit(() => done());
    options.input.on('end', () => done());
  });
  connection.listen();
  return exited;
}

/** A file: URI's path; other schemes (untitled:) validate with references relative to the working directory. */
function pathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : 'untitled.yaml';
}
