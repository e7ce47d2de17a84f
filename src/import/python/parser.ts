/**
 * Python parsing with tree-sitter compiled to WebAssembly: no Python and no native build are needed on
 * the user's machine. The grammar (tree-sitter-python) is an optional dependency; without it the
 * importer says so instead of crashing.
 */
import { createRequire } from 'node:module';
import type { Node, Parser as ParserType } from 'web-tree-sitter';

export type PyNode = Node;

let parserPromise: Promise<ParserType> | undefined;

/** Thrown for problems the user can fix (missing grammar, syntax errors); the CLI prints the message. */
export class PythonImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PythonImportError';
  }
}

async function createParser(): Promise<ParserType> {
  const require = createRequire(import.meta.url);
  const { Parser, Language } = await import('web-tree-sitter');
  // Resolve both wasm files through the packages' exports, so this keeps working inside the CLI bundle.
  const runtimeWasm = require.resolve('web-tree-sitter/web-tree-sitter.wasm');
  await Parser.init({ locateFile: () => runtimeWasm });
  let grammarWasm: string;
  try {
    grammarWasm = require.resolve('tree-sitter-python/tree-sitter-python.wasm');
  } catch {
    throw new PythonImportError('importing Python needs the optional dependency tree-sitter-python (npm install tree-sitter-python@0.25.0)');
  }
  const language = await Language.load(grammarWasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/**
 * Parse Python source and hand the tree's root to `use`; the tree lives in WebAssembly memory, so it
 * is freed afterwards. Syntax errors become a PythonImportError naming the first one's position.
 */
export async function withPythonTree<T>(source: string, fileName: string, use: (root: PyNode) => T): Promise<T> {
  parserPromise ??= createParser().catch((error: unknown) => {
    parserPromise = undefined;
    throw error;
  });
  const parser = await parserPromise;
  const tree = parser.parse(source);
  if (!tree) throw new PythonImportError(`${fileName}: could not parse the file as Python`);
  try {
    const root = tree.rootNode;
    if (root.hasError) {
      const bad = firstError(root) ?? root;
      const { row, column } = bad.startPosition;
      throw new PythonImportError(`${fileName}:${row + 1}:${column + 1}: Python syntax error${bad.isMissing ? ` (missing ${bad.type})` : ''}; fix it before importing`);
    }
    return use(root);
  } finally {
    tree.delete();
  }
}

function firstError(node: PyNode): PyNode | undefined {
  if (node.isError || node.isMissing) return node;
  for (const child of node.children) {
    if (child && (child.hasError || child.isMissing)) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return undefined;
}
