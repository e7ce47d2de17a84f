import { createHash } from 'node:crypto';
import { cmp, type Diagnostic } from './types.js';

/**
 * A baseline records the findings a repository already has, so that rules can be adopted without
 * fixing everything first: `validate --baseline` then reports only new findings. An entry names the
 * rule, the file, the JSON pointer and a hash of the message, never a line number, so edits that move
 * lines do not invalidate it; a finding whose message changes (another name) counts as new.
 */
export interface BaselineEntry {
  readonly ruleId: string;
  /** Relative to the baseline file's folder, with forward slashes. */
  readonly file: string;
  readonly pointer: string;
  /** First 16 hex digits of the SHA-256 of the message. */
  readonly messageHash: string;
}

export interface BaselineFile {
  readonly version: 1;
  readonly findings: readonly BaselineEntry[];
}

export const messageHash = (message: string) => createHash('sha256').update(message).digest('hex').slice(0, 16);

/** The entries for `diagnostics`, sorted; `fileOf` maps a diagnostic to its path relative to the baseline. */
export function baselineEntries(diagnostics: readonly Diagnostic[], fileOf: (d: Diagnostic) => string): BaselineEntry[] {
  return diagnostics
    .map((d) => ({ ruleId: d.ruleId, file: fileOf(d), pointer: d.pointer, messageHash: messageHash(d.message) }))
    .sort((a, b) => cmp(a.file, b.file) || cmp(a.pointer, b.pointer) || cmp(a.ruleId, b.ruleId) || cmp(a.messageHash, b.messageHash));
}

/** The file's text: byte-stable for the same findings (sorted, two-space JSON, one trailing newline). */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const file: BaselineFile = { version: 1, findings: entries.map((e) => ({ ruleId: e.ruleId, file: e.file, pointer: e.pointer, messageHash: e.messageHash })) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Parse a baseline file; a string result is what is wrong with it. */
export function parseBaseline(text: string): BaselineEntry[] | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return `is not valid JSON (${(error as Error).message})`;
  }
  const file = data as Partial<BaselineFile> | null;
  if (!file || typeof file !== 'object' || file.version !== 1 || !Array.isArray(file.findings)) return 'is not a switchboard baseline (expected {"version": 1, "findings": [...]})';
  const entries: BaselineEntry[] = [];
  for (const [i, e] of file.findings.entries()) {
    const entry = e as Partial<BaselineEntry> | null;
    if (!entry || typeof entry.ruleId !== 'string' || typeof entry.file !== 'string' || typeof entry.pointer !== 'string' || typeof entry.messageHash !== 'string') {
      return `has a malformed entry at findings[${i}] (each needs ruleId, file, pointer and messageHash strings)`;
    }
    entries.push({ ruleId: entry.ruleId, file: entry.file, pointer: entry.pointer, messageHash: entry.messageHash });
  }
  return entries;
}

export interface BaselineComparison {
  /** Findings the baseline does not hold: the ones to report. */
  readonly fresh: Diagnostic[];
  readonly matched: number;
  /** Entries no current finding matches: fixed since the baseline was written. */
  readonly stale: BaselineEntry[];
}

/** Match findings to entries one to one (the same finding twice needs two entries). */
export function compareWithBaseline(diagnostics: readonly Diagnostic[], entries: readonly BaselineEntry[], fileOf: (d: Diagnostic) => string): BaselineComparison {
  const key = (e: BaselineEntry) => `${e.ruleId}\0${e.file}\0${e.pointer}\0${e.messageHash}`;
  const remaining = new Map<string, number>();
  for (const e of entries) remaining.set(key(e), (remaining.get(key(e)) ?? 0) + 1);
  const fresh: Diagnostic[] = [];
  let matched = 0;
  for (const d of diagnostics) {
    const k = key({ ruleId: d.ruleId, file: fileOf(d), pointer: d.pointer, messageHash: messageHash(d.message) });
    const left = remaining.get(k) ?? 0;
    if (left > 0) {
      remaining.set(k, left - 1);
      matched++;
    } else {
      fresh.push(d);
    }
  }
  const stale: BaselineEntry[] = [];
  for (const e of entries) {
    const left = remaining.get(key(e)) ?? 0;
    if (left > 0) {
      remaining.set(key(e), left - 1);
      stale.push(e);
    }
  }
  return { fresh, matched, stale };
}
