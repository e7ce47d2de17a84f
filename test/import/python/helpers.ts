import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { importPython, sideModuleFileName } from '../../../src/import/python/index.js';
import type { ImportResult } from '../../../src/import/types.js';
import { validateFile, type ValidationResult } from '../../../src/validate.js';

export const FIXTURES = new URL('../../fixtures/import/python/', import.meta.url);

/** The YAML file name a fixture imports to: `sdk-examples/message_filter.py` → `message-filter.yaml`. */
export function outFileOf(relative: string): string {
  return `${relative.replace(/^.*\//, '').replace(/\.py$/, '').replace(/_/g, '-')}.yaml`;
}

export async function importFixture(relative: string, entry?: string): Promise<ImportResult> {
  const source = readFileSync(new URL(relative, FIXTURES), 'utf8');
  return importPython(source, relative, { outFile: outFileOf(relative), ...(entry ? { entry } : {}) });
}

/**
 * Write the document as YAML and the side module next to it in a scratch project, then validate it
 * with the library's own validator (schema, model, file references and every rule).
 */
export function validateImport(result: ImportResult, outFile: string): ValidationResult {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-import-py-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const yamlPath = join(dir, outFile);
    writeFileSync(yamlPath, stringify(result.document));
    const side = [...new Set(result.sideModuleImports), ...result.sideModule.map((entry) => entry.code)].join('\n\n');
    writeFileSync(join(dir, sideModuleFileName(outFile)), `${side}\n`);
    return validateFile(yamlPath, { displayPath: outFile });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function errorsOf(result: ValidationResult): string[] {
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.ruleId} ${d.pointer}: ${d.message}`);
}

export function diagnosticsOf(result: ValidationResult): string[] {
  return result.diagnostics.map((d) => `${d.severity} ${d.ruleId} ${d.pointer}`);
}
