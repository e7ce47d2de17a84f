/** How serious a finding is. `off` exists only in rule configuration, never on a diagnostic. */
export type Severity = 'error' | 'warning';
export type RuleSetting = Severity | 'off';

/** A 1-based line and column, as every editor and `file:line:col` printer shows them. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface SourceRange {
  readonly start: Position;
  readonly end: Position;
}

/** A secondary location that helps explain a diagnostic (the other end of a collision, an alias site). */
export interface RelatedLocation {
  readonly message: string;
  readonly pointer: string;
  readonly range?: SourceRange;
}

/**
 * The one finding type every stage produces: YAML loading (`yaml/*`, `source/*`), schema validation
 * (`schema/*`) and the topology rules (`entry-exists`, `star-spoke-to-spoke`, …).
 */
export interface Diagnostic {
  /** Stable id: a rule id, or `yaml/<code>`, `source/<code>`, `schema/<keyword>`. */
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  /** The file as the user named it (relative to the working directory when possible). */
  readonly file: string;
  /** RFC 6901 JSON pointer into the document ('' is the root). */
  readonly pointer: string;
  /** Where in the file; absent only when the file could not be read at all. */
  readonly range?: SourceRange;
  /** A did-you-mean replacement for the offending value or key. */
  readonly suggestion?: string;
  /**
   * The suggestion is the only close candidate: replacing the text at `range` with it is safe, so
   * `validate --fix` and the editor's quick fix apply it without asking.
   */
  readonly fixable?: boolean;
  /** Extra hints (the valid names, how to fix it). */
  readonly hint?: string;
  readonly related?: readonly RelatedLocation[];
}

/** A diagnostic before the pipeline has attached the file and source range. */
export type DiagnosticDraft = Omit<Diagnostic, 'file' | 'range' | 'severity'> & {
  readonly severity?: Severity;
  /** Report on the key of the pointed-to pair rather than its value (unknown keys, missing keys). */
  readonly onKey?: boolean;
  readonly range?: SourceRange;
};

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    cmp(a.file, b.file) ||
    (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0) ||
    (a.range?.start.column ?? 0) - (b.range?.start.column ?? 0) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message)
  );
}

/** Sort by location then rule, and drop exact duplicates, so output is byte-stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...diagnostics].sort(compareDiagnostics)) {
    const key = `${d.file}\0${d.pointer}\0${d.ruleId}\0${d.message}\0${d.range?.start.line}:${d.range?.start.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** Codepoint comparison: never locale-dependent, so ordering is identical on every machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}
