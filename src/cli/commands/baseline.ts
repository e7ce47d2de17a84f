import { existsSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { baselineEntries, compareWithBaseline, formatBaseline, parseBaseline } from '../../diagnostics/baseline.js';
import { terminalLine } from '../../diagnostics/terminal-text.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { readTextFileSafely } from '../../source/read-file.js';
import type { ValidationResult } from '../../validate.js';
import { display } from '../inputs.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { writeInPlace } from './fix.js';

/** Each diagnostic's file relative to the baseline's folder, so the baseline works from any working directory. */
function fileMapper(results: readonly ValidationResult[], baselinePath: string): (d: Diagnostic) => string {
  const absolute = new Map(results.map((r) => [r.file, r.absolutePath]));
  const base = dirname(baselinePath);
  return (d) => relative(base, absolute.get(d.file) ?? resolve(d.file)).split(sep).join('/');
}

/** `validate --baseline-write <file>`: record every current finding. */
export function writeBaseline(results: readonly ValidationResult[], path: string, io: CliIo): number {
  const target = resolve(io.cwd, path);
  const entries = baselineEntries(results.flatMap((r) => r.diagnostics), fileMapper(results, target));
  const text = formatBaseline(entries);
  if (existsSync(target)) writeInPlace(target, text);
  else writeFileSync(target, text, { flag: 'wx' });
  io.stderr(`switchboard: wrote ${entries.length} ${entries.length === 1 ? 'finding' : 'findings'} to ${terminalLine(display(io.cwd, target))}\n`);
  return EXIT.ok;
}

/**
 * `validate --baseline <file>`: the results without the findings the baseline holds. Entries that
 * match nothing any more are listed on stderr, to be dropped with `--baseline-write`.
 */
export function applyBaseline(results: readonly ValidationResult[], path: string, io: CliIo): ValidationResult[] {
  const target = resolve(io.cwd, path);
  const read = readTextFileSafely(target, { maxBytes: 64 * 1024 * 1024 });
  if (!read.ok) throw new UsageError(`baseline ${path} ${read.message}`);
  const entries = parseBaseline(read.text);
  if (typeof entries === 'string') throw new UsageError(`baseline ${path} ${entries}`);
  const fileOf = fileMapper(results, target);
  // Entries for files not checked in this run are neither matched nor stale.
  const checked = new Set(results.map((r) => fileOf({ file: r.file } as Diagnostic)));
  const relevant = entries.filter((e) => checked.has(e.file));
  const { fresh, matched, stale } = compareWithBaseline(results.flatMap((r) => r.diagnostics), relevant, fileOf);
  const keep = new Set(fresh);
  if (matched) io.stderr(`switchboard: ${matched} ${matched === 1 ? 'finding is' : 'findings are'} in the baseline ${terminalLine(path)}\n`);
  if (stale.length) {
    io.stderr(`switchboard: ${stale.length} baseline ${stale.length === 1 ? 'entry is' : 'entries are'} fixed; refresh with --baseline-write ${terminalLine(path)}:\n`);
    for (const e of stale) io.stderr(`  ${terminalLine(e.file)} ${terminalLine(e.pointer || '/')} [${terminalLine(e.ruleId)}]\n`);
  }
  return results.map((r) => {
    const diagnostics = r.diagnostics.filter((d) => keep.has(d));
    return { ...r, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error') };
  });
}
