import { chmodSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { planFixes, unifiedDiff, type TextEdit } from '../../diagnostics/fixes.js';
import { terminalLine, terminalText } from '../../diagnostics/terminal-text.js';
import { readFileSafely } from '../../source/read-file.js';
import { LIMITS } from '../../source/load-yaml.js';
import { validateSource, type ValidateOptions, type ValidationResult } from '../../validate.js';
import { EXIT, type CliIo } from '../io.js';

/** A file's fixes, checked by validating the fixed text before anything is written. */
export interface FileFix {
  readonly before: ValidationResult;
  readonly original: string;
  readonly fixed: string;
  readonly edits: readonly TextEdit[];
  readonly after: ValidationResult;
}

/** A file with loader errors (YAML syntax, encoding, limits) is never touched: its ranges are not trustworthy. */
const LOAD_ERROR = /^(?:yaml|source)\//;

/**
 * The fixes for one validated file, or undefined when nothing is fixable, the file does not load
 * cleanly, or the fixed text would not be strictly better (a renamed key that now collides).
 */
export function fixFile(result: ValidationResult, options: ValidateOptions): FileFix | undefined {
  if (result.diagnostics.some((d) => LOAD_ERROR.test(d.ruleId)) || !result.diagnostics.some((d) => d.fixable)) return undefined;
  const read = readFileSafely(result.absolutePath, { maxBytes: LIMITS.maxFileBytes });
  if (!read.ok) return undefined;
  const original = read.bytes.toString('utf8');
  const plan = planFixes(original, result.diagnostics);
  if (plan.edits.length === 0) return undefined;
  const after = validateSource(plan.text, result.absolutePath, { ...options, displayPath: result.file });
  const worse = after.diagnostics.some((d) => LOAD_ERROR.test(d.ruleId)) || after.diagnostics.length >= result.diagnostics.length;
  return worse ? undefined : { before: result, original, fixed: plan.text, edits: plan.edits, after };
}

/**
 * `validate --fix-dry-run`: the unified diff of what `--fix` would write, on stdout; nothing is written.
 * Exits 1 when there is something to fix (so CI can require that there is none), else 0.
 */
export function printFixDiff(fixes: readonly FileFix[], io: CliIo): number {
  // The diff goes to a pipe as the bytes of the files, so it applies with `git apply`; a terminal gets it escaped.
  const show = (line: string) => (io.isTTY ? terminalText(line) : line);
  for (const fix of fixes) io.stdout(show(unifiedDiff(fix.before.file, fix.original, fix.fixed)));
  const count = fixes.reduce((n, f) => n + f.edits.length, 0);
  io.stderr(count === 0 ? 'switchboard: nothing to fix\n' : `switchboard: would fix ${count} ${count === 1 ? 'problem' : 'problems'} in ${fixes.length} ${fixes.length === 1 ? 'file' : 'files'}; nothing was written\n`);
  return count === 0 ? EXIT.ok : EXIT.findings;
}

/** `validate --fix`: write each fixed file in place (atomically, keeping its mode) and return the results after fixing. */
export function writeFixes(results: readonly ValidationResult[], fixes: readonly FileFix[], io: CliIo): ValidationResult[] {
  const byPath = new Map(fixes.map((f) => [f.before.absolutePath, f]));
  return results.map((result) => {
    const fix = byPath.get(result.absolutePath);
    if (!fix) return result;
    writeInPlace(result.absolutePath, fix.fixed);
    const names = fix.edits.map((e) => `\`${e.diagnostic.suggestion}\``).join(', ');
    io.stderr(`switchboard: fixed ${fix.edits.length} ${fix.edits.length === 1 ? 'problem' : 'problems'} in ${terminalLine(result.file)} (${terminalText(names)})\n`);
    return fix.after;
  });
}

/** Replace a file atomically (temp file, then rename), keeping its mode; through a symlink to its target. */
export function writeInPlace(path: string, text: string): void {
  // Through a symlink to the file it names, so the link stays a link.
  const target = realpathSync(path);
  const temp = join(dirname(target), `.${basename(target)}.switchboard-fix-${process.pid}`);
  writeFileSync(temp, text, { flag: 'wx' });
  chmodSync(temp, statSync(target).mode & 0o7777);
  renameSync(temp, target);
}
