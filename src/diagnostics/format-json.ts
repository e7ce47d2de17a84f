import type { FormatInput } from './format.js';
import type { Diagnostic, RelatedLocation, SourceRange } from './types.js';
import { countBySeverity } from './types.js';

/**
 * The `--format json` document (docs/output-formats.md). Stable: fields are only ever added, never
 * renamed or removed; `version` changes only if that promise has to be broken.
 */
export interface JsonReport {
  readonly version: 1;
  readonly summary: { readonly files: number; readonly errors: number; readonly warnings: number; readonly suppressed: number };
  readonly diagnostics: readonly JsonDiagnostic[];
}

/** Positions are 1-based; `endColumn` is exclusive. All four are null when there is no range. */
interface JsonPositions {
  readonly line: number | null;
  readonly column: number | null;
  readonly endLine: number | null;
  readonly endColumn: number | null;
}

export interface JsonDiagnostic extends JsonPositions {
  readonly file: string;
  readonly severity: 'error' | 'warning';
  readonly ruleId: string;
  readonly message: string;
  readonly pointer: string;
  readonly suggestion?: string;
  readonly fixable?: true;
  readonly hint?: string;
  readonly related?: readonly JsonRelatedLocation[];
}

export interface JsonRelatedLocation extends JsonPositions {
  readonly file: string;
  readonly message: string;
  readonly pointer: string;
}

export function toJsonReport(input: FormatInput): JsonReport {
  const { errors, warnings } = countBySeverity(input.diagnostics);
  return {
    version: 1,
    summary: { files: input.filesChecked, errors, warnings, suppressed: input.suppressed ?? 0 },
    diagnostics: input.diagnostics.map(toJsonDiagnostic),
  };
}

export function formatJson(input: FormatInput): string {
  return `${JSON.stringify(toJsonReport(input), null, 2)}\n`;
}

// Objects are built literally, field by field, because JSON.stringify emits keys in insertion order
// and consumers diffing the output rely on that order.
function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  return {
    file: d.file,
    ...positions(d.range),
    severity: d.severity,
    ruleId: d.ruleId,
    message: d.message,
    pointer: d.pointer,
    ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}),
    ...(d.suggestion !== undefined && d.fixable ? { fixable: true as const } : {}),
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
    ...(d.related?.length ? { related: d.related.map((r) => toJsonRelated(d.file, r)) } : {}),
  };
}

// Related locations are always in the diagnostic's own file today; `file` is spelled out so that
// cross-file related locations can be added later without changing the shape.
function toJsonRelated(file: string, r: RelatedLocation): JsonRelatedLocation {
  return { file, ...positions(r.range), message: r.message, pointer: r.pointer };
}

function positions(range: SourceRange | undefined): JsonPositions {
  return {
    line: range?.start.line ?? null,
    column: range?.start.column ?? null,
    endLine: range?.end.line ?? null,
    endColumn: range?.end.column ?? null,
  };
}
