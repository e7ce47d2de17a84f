import { diffDiagram } from '../diff/diff-diagram.js';
import { diffTopologies, type Change } from '../diff/diff-topologies.js';
import type { ValidationResult } from '../validate.js';

export interface PreviewDiff {
  readonly from: string;
  readonly to: string;
  readonly changes: readonly Change[];
  /** Mermaid of the newer side with additions green and removals dashed red (as `diff --format markdown`). */
  readonly diagram?: string;
  readonly error?: string;
}

/** The diff view: the same semantic diff and diagram as `switchboard diff`. */
export function previewDiff(before: ValidationResult, after: ValidationResult, from: string, to: string): PreviewDiff {
  if (!before.topology || !after.topology) {
    const broken = !before.topology ? from : to;
    return { from, to, changes: [], error: `${broken} does not parse into a topology` };
  }
  const diff = diffTopologies(
    { topology: before.topology, diagnostics: before.diagnostics, ...(before.files ? { files: before.files } : {}) },
    { topology: after.topology, diagnostics: after.diagnostics, ...(after.files ? { files: after.files } : {}) },
  );
  return { from, to, changes: diff.changes, diagram: diffDiagram(after.topology, diff) };
}
