import type { RuleInfo } from '../rules/types.js';
import type { Diagnostic } from './types.js';
import { formatGithub } from './format-github.js';
import { formatJson } from './format-json.js';
import { formatPretty } from './format-pretty.js';
import { formatSarif } from './format-sarif.js';

export type OutputFormat = 'pretty' | 'json' | 'github' | 'sarif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['pretty', 'json', 'github', 'sarif'];

/** Everything a formatter may use; formatters are pure functions of this. */
export interface FormatInput {
  /** Already sorted; printed in the given order. */
  readonly diagnostics: readonly Diagnostic[];
  /** File (as in `Diagnostic.file`) -> full text, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
  /** The rule registry (SARIF `driver.rules`). */
  readonly rules: readonly RuleInfo[];
  readonly filesChecked: number;
  /** Findings silenced by suppression comments: counted in the summaries, never printed. */
  readonly suppressed?: number;
  /** Decided by the CLI (TTY, NO_COLOR, --no-color); only the pretty format uses it. */
  readonly color: boolean;
  readonly toolVersion: string;
  /** SARIF: the folder relative file names are relative to (`%SRCROOT%`), absolute. */
  readonly sourceRoot?: string;
  /** Pretty only: diagnostics printed per file before a summary line (default MAX_PRETTY_PER_FILE). */
  readonly maxPerFile?: number;
}

/** Render diagnostics in one of the output formats. The result always ends with a newline. */
export function formatDiagnostics(format: OutputFormat, input: FormatInput): string {
  switch (format) {
    case 'pretty':
      return formatPretty(input);
    case 'json':
      return formatJson(input);
    case 'github':
      return formatGithub(input);
    case 'sarif':
      return formatSarif(input);
  }
}
