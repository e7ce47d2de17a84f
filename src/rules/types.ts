import type { DiagnosticDraft, RelatedLocation, Severity } from '../diagnostics/types.js';
import type { ProjectFiles, Topology } from '../model/types.js';

/** What the CLI, the docs generator and SARIF need to know about a rule. */
export interface RuleInfo {
  /** Stable kebab-case id; also the file name under src/rules/. */
  readonly id: string;
  readonly defaultSeverity: Severity;
  /** One line: what the rule requires. */
  readonly description: string;
  /** One paragraph: why, and how to fix a finding. */
  readonly docs: string;
  /**
   * `false` for rules whose findings mean the compiled code could not work (a missing entry agent, an
   * unresolved reference or module, a clash of generated identifiers): a suppression comment cannot
   * silence them (docs/suppressions.md); those that are also `required` cannot be changed in `rules:` either.
   */
  readonly suppressible?: false;
  /** `star`: turned off by `policy: mesh`. */
  readonly policy?: 'star';
  /**
   * For a rule whose meaning depends on how the SDK behaves: the @openai/agents versions whose
   * behaviour it encodes, and what that behaviour is. Tests check the range against the installed SDK.
   */
  readonly sdk?: { readonly range: string; readonly behaviour: string };
  /**
   * Why the rule cannot be turned off or lowered below `error`: the compiler relies on what it
   * checks (e.g. every reference resolves), so an override would turn a finding into a crash.
   */
  readonly required?: string;
}

export interface RuleReport {
  readonly message: string;
  readonly pointer: string;
  readonly onKey?: boolean;
  readonly suggestion?: string;
  /** The suggestion is the only close candidate, so `--fix` and the editor's quick fix may apply it. */
  readonly fixable?: boolean;
  readonly hint?: string;
  readonly related?: readonly RelatedLocation[];
}

export interface RuleContext {
  readonly topology: Topology;
  readonly files: ProjectFiles;
  /** Rule options from `rules:` in the YAML (e.g. `max` for fan-out). */
  readonly options: Readonly<Record<string, unknown>>;
  report(finding: RuleReport): void;
}

/** A rule: its identity and a pure check over the resolved topology. */
export interface Rule extends RuleInfo {
  check(context: RuleContext): void;
}

export type { DiagnosticDraft };
