import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { Document, Node as YamlNode } from 'yaml';
import { yamlLibrary } from '../source/yaml-library.js';
import type { ImportOptions, ImportResult } from './types.js';
import { validateSource, type ValidationResult } from '../validate.js';
import { nodeFileHost, type FileHost } from '../model/resolve-files.js';

import { ImportEntryError, ImportSourceError } from './errors.js';

export { ImportEntryError, ImportSourceError };
export type { ImportOptions, ImportResult, ImportNote, EntryAmbiguity, SideModuleExport, SourceLocation } from './types.js';

/** The source file kinds `switchboard import` reads. */
export const IMPORT_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.py'] as const;

/** Thrown when the importer for a file kind is not part of this build (the CLI exits 1 with it). */
export class ImporterUnavailableError extends Error {
  override readonly name = 'ImporterUnavailableError';
}

/** Import one source file: TypeScript/JavaScript here, Python through its own importer. */
export async function importSource(source: string, fileName: string, options: ImportOptions): Promise<ImportResult> {
  const extension = extname(fileName).toLowerCase();
  if (extension === '.py') {
    const { importPython, EntryAmbiguityError, PythonImportError } = await import('./python/index.js');
    try {
      return await importPython(source, fileName, options);
    } catch (error) {
      // One pair of error classes for every importer: the CLI prints them and writes nothing.
      if (error instanceof EntryAmbiguityError) throw new ImportEntryError({ kind: error.kind, candidates: error.candidates }, error.message);
      if (error instanceof PythonImportError) throw new ImportSourceError(error.message);
      throw error;
    }
  }
  if (['.ts', '.mts', '.js', '.mjs'].includes(extension)) {
    const { importTypeScript } = await import('./typescript/index.js');
    return importTypeScript(source, fileName, options);
  }
  throw new ImporterUnavailableError(`cannot import ${extension || 'files without an extension'}: switchboard import reads ${IMPORT_EXTENSIONS.join(', ')}`);
}

export interface ImportFile {
  /** Absolute path. */
  path: string;
  contents: string;
}

/** The shipped JSON Schema, located from this module (src/import, dist/import and dist/bundle alike). */
export function shippedSchemaPath(): string {
  return fileURLToPath(new URL('../../schema/topology.schema.json', import.meta.url));
}

/**
 * The schema a topology at `outFile` should name: the project's own copy when there is one above it
 * (`node_modules/switchboard/schema/…`, or `schema/…` inside switchboard's repository), else the
 * copy shipped with this switchboard.
 */
export function schemaPathFor(outFile: string): string {
  for (let dir = dirname(resolve(outFile)); ; dir = dirname(dir)) {
    for (const candidate of [join(dir, 'node_modules', 'switchboard', 'schema', 'topology.schema.json'), join(dir, 'schema', 'topology.schema.json')]) {
      if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    }
    if (dirname(dir) === dir) return shippedSchemaPath();
  }
}

/** The side module's file name for a topology file: `support.yaml` → `support.switchboard.ts`. */
export function sideModulePath(outFile: string): string {
  return join(dirname(outFile), `${basename(outFile).replace(/\.ya?ml$/i, '')}.switchboard.ts`);
}

/**
 * The files an import writes: the YAML (schema modeline first, a comment naming each element's source
 * line) and, when anything needs re-exporting, the side module. Pure; the CLI writes them.
 */
export function importFiles(result: ImportResult, outFile: string, schemaPath = schemaPathFor(outFile)): ImportFile[] {
  const out = resolve(outFile);
  let schema = relative(dirname(out), schemaPath).split(sep).join('/');
  if (!schema.startsWith('.')) schema = `./${schema}`;
  const doc = new (yamlLibrary().Document)(result.document);
  for (const [pointer, comment] of Object.entries(result.comments ?? {})) attachComment(doc, pointer, comment);
  const body = doc.toString({ lineWidth: 0 });
  const yaml = `# yaml-language-server: $schema=${schema}\n${body}`;
  const files: ImportFile[] = [{ path: out, contents: yaml }];
  if (result.sideModule.length) {
    const imports = [...new Set(result.sideModuleImports)].sort();
    const side = [
      `// Written by switchboard import: what ${basename(out)} refers to, re-exported from your code.`,
      '// Edit freely; switchboard never overwrites it without --force.',
      '',
      ...imports,
      ...(imports.length ? [''] : []),
      ...result.sideModule.map((e) => `${e.code}\n`),
    ].join('\n');
    files.push({ path: sideModulePath(out), contents: side });
  }
  return files;
}

function attachComment(doc: Document, pointer: string, comment: string): void {
  const { isMap, isPair, isScalar } = yamlLibrary();
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: YamlNode | null | undefined = doc.contents as YamlNode;
  for (let i = 0; i < keys.length; i++) {
    if (!isMap(node)) return;
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === keys[i]);
    if (!pair) return;
    if (i === keys.length - 1) {
      // Comments are plain text on one line: no newline can end the comment and become YAML.
      if (isScalar(pair.key)) pair.key.commentBefore = ` ${comment.replace(/[\r\n\u2028\u2029]+/g, ' ')}`;
      return;
    }
    node = pair.value as YamlNode;
  }
}

/** Problems of the file itself, not findings about the design: never downgraded. */
const STRUCTURAL = /^(schema|source|yaml)\//;

/**
 * Validate the files an import would write (served from memory, nothing touches the disk). A rule
 * error is a finding about the imported design (an agent the entry cannot reach, a handoff target with
 * no description), not a broken import: the rule is set to `warning` in the topology's `rules:`, so the
 * topology validates and compiles like the code runs, and each finding becomes a note at its source.
 */
export function settleImport(result: ImportResult, outFile: string, schemaPath = schemaPathFor(outFile)): { result: ImportResult; files: ImportFile[]; validation: ValidationResult } {
  let current = result;
  for (let round = 0; ; round++) {
    const files = importFiles(current, outFile, schemaPath);
    const planned = new Map(files.map((f) => [f.path, f.contents]));
    const host: FileHost = {
      readText: (path, maxBytes) => (planned.has(resolve(path)) ? { ok: true, text: planned.get(resolve(path))! } : nodeFileHost.readText(path, maxBytes)),
      realPath: (path) => (planned.has(resolve(path)) ? resolve(path) : nodeFileHost.realPath(path)),
    };
    const validation = validateSource(files[0]!.contents, resolve(outFile), { displayPath: basename(outFile), host });
    const designErrors = validation.diagnostics.filter((d) => d.severity === 'error' && !STRUCTURAL.test(d.ruleId));
    if (!designErrors.length || round > 0) return { result: current, files, validation };
    const rules = { ...((current.document.rules as Record<string, unknown> | undefined) ?? {}) };
    for (const d of designErrors) rules[d.ruleId] = 'warning';
    const location = current.notes[0]?.location ?? { file: '', line: 1, column: 1 };
    const notes = designErrors.map((d) => ({
      severity: 'warning' as const,
      message: `${d.message} [${d.ruleId}]`,
      action: `set \`rules: { ${d.ruleId}: warning }\` so the topology validates as the code is; fix the design and remove it`,
      location: { ...location, file: outFile, line: d.range?.start.line ?? 1, column: d.range?.start.column ?? 1 },
    }));
    current = { ...current, document: { ...current.document, rules }, notes: [...current.notes, ...notes] };
  }
}
