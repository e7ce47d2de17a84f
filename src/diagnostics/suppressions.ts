import type { SourceComment } from '../source/comments.js';
import { closestMatch, listNames } from './suggest.js';
import type { Diagnostic, SourceRange } from './types.js';

/**
 * Inline suppressions in YAML comments:
 *
 *     # switchboard-disable-next-line fan-out, ping-pong -- triage really routes to nine desks
 *     key: value  # switchboard-disable-line unused-definition -- kept for the next release
 *
 * The reason after ` -- ` is required. A suppression silences the named rules' findings reported on its
 * target line (the next line holding code, or its own line); a malformed one is `invalid-suppression`,
 * one that silenced nothing is `unused-suppression`.
 */
export const SUPPRESSION_COMMENT = /switchboard-(?:disable|enable)/;
export const DIRECTIVES = ['switchboard-disable-next-line', 'switchboard-disable-line'] as const;
export const INVALID_SUPPRESSION = 'invalid-suppression';
export const UNUSED_SUPPRESSION = 'unused-suppression';
/** Unknown rule names reported per comment; the rest of a long list adds nothing. */
const MAX_UNKNOWN_PER_COMMENT = 5;

export interface Suppression {
  readonly directive: (typeof DIRECTIVES)[number];
  /** The line whose findings it silences; undefined when nothing follows a next-line directive. */
  readonly targetLine?: number;
  /** Known rule ids only; unknown ones were reported. */
  readonly rules: readonly string[];
  readonly range: SourceRange;
}

export interface ParsedSuppressions {
  readonly suppressions: readonly Suppression[];
  /** `invalid-suppression` findings, without `file` (the caller attaches it). */
  readonly problems: readonly Omit<Diagnostic, 'file'>[];
}

/**
 * Read the directives out of comments. `ruleIds` are the rules a suppression may name; `unsuppressible`
 * are rules it may not silence (findings that would make the compiled code break).
 */
export function parseSuppressions(comments: readonly SourceComment[], ruleIds: readonly string[], unsuppressible: ReadonlySet<string> = new Set()): ParsedSuppressions {
  const suppressions: Suppression[] = [];
  const problems: Omit<Diagnostic, 'file'>[] = [];
  const known = new Set(ruleIds);
  const invalid = (range: SourceRange, message: string, extra: { suggestion?: string; hint?: string } = {}) =>
    problems.push({ ruleId: INVALID_SUPPRESSION, severity: 'error', message, pointer: '', range, ...extra });
  for (const comment of comments) {
    const match = /^(switchboard-[\w-]*)(.*)$/s.exec(comment.text);
    if (!match) continue;
    const word = match[1]!;
    const directive = DIRECTIVES.find((d) => d === word);
    if (!directive) {
      const suggestion = closestMatch(word, DIRECTIVES).best;
      invalid(comment.range, `unknown directive \`${word}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, {
        ...(suggestion ? { suggestion } : {}),
        hint: `directives: ${listNames(DIRECTIVES, 12, 'or')}; whole-file and block suppressions are not supported`,
      });
      continue;
    }
    const rest = match[2]!;
    if (rest !== '' && !/^\s/.test(rest)) continue; // `switchboard-disable-lines…` was caught above; this is prose
    const separator = rest.indexOf('--');
    const names = (separator === -1 ? rest : rest.slice(0, separator)).split(/[\s,]+/).filter(Boolean);
    const reason = separator === -1 ? '' : rest.slice(separator + 2).trim();
    const usage = `write \`# ${directive} <rule>[, <rule>] -- <reason>\``;
    if (names.length === 0) {
      invalid(comment.range, `\`${directive}\` names no rule; suppressions name the rules they silence`, { hint: usage });
      continue;
    }
    if (reason === '') {
      invalid(comment.range, `\`${directive}\` has no reason; say why after \` -- \``, { hint: usage });
      continue;
    }
    const rules: string[] = [];
    let unknown = 0;
    for (const name of names) {
      if (unsuppressible.has(name)) {
        invalid(comment.range, `\`${name}\` cannot be suppressed: with this finding the compiled code would not work; fix it instead`);
        continue;
      }
      if (known.has(name)) {
        rules.push(name);
        continue;
      }
      // Bounded: a hostile comment of thousands of long names must not cost seconds of edit distances.
      if (++unknown > MAX_UNKNOWN_PER_COMMENT) continue;
      const { best } = name.length <= 64 ? closestMatch(name, ruleIds) : { best: undefined };
      invalid(comment.range, `\`${directive}\` names the unknown rule \`${name.length > 64 ? `${name.slice(0, 64)}…` : name}\`${best ? `; did you mean \`${best}\`?` : ''}`, {
        ...(best ? { suggestion: best } : {}),
        hint: '`switchboard rules` lists the rule ids',
      });
    }
    if (rules.length === 0) continue;
    const targetLine = directive === 'switchboard-disable-line' ? comment.line : comment.nextCodeLine;
    suppressions.push({ directive, rules, range: comment.range, ...(targetLine !== undefined ? { targetLine } : {}) });
  }
  return { suppressions, problems };
}

export interface AppliedSuppressions {
  readonly kept: Diagnostic[];
  readonly suppressed: Diagnostic[];
  /** `unused-suppression` findings, without `file`. */
  readonly unused: Omit<Diagnostic, 'file'>[];
}

/**
 * Drop the findings that a suppression names on its target line. `activeRules` are the rules that ran:
 * a suppression of a rule that is switched off is not reported as unused (the config may turn it on).
 */
export function applySuppressions(diagnostics: readonly Diagnostic[], suppressions: readonly Suppression[], activeRules: ReadonlySet<string>): AppliedSuppressions {
  const byLine = new Map<number, Suppression[]>();
  for (const s of suppressions) if (s.targetLine !== undefined) byLine.set(s.targetLine, [...(byLine.get(s.targetLine) ?? []), s]);
  const used = new Set<string>();
  const kept: Diagnostic[] = [];
  const suppressed: Diagnostic[] = [];
  for (const d of diagnostics) {
    const line = d.range?.start.line;
    const hit = line === undefined ? undefined : byLine.get(line)?.find((s) => s.rules.includes(d.ruleId));
    if (hit) {
      used.add(`${hit.range.start.line}:${hit.range.start.column}\0${d.ruleId}`);
      suppressed.push(d);
    } else {
      kept.push(d);
    }
  }
  const unused: Omit<Diagnostic, 'file'>[] = [];
  for (const s of suppressions) {
    for (const rule of s.rules) {
      if (!activeRules.has(rule) || used.has(`${s.range.start.line}:${s.range.start.column}\0${rule}`)) continue;
      const where = s.targetLine === undefined ? 'no line follows it' : `\`${rule}\` reports nothing on line ${s.targetLine}`;
      unused.push({ ruleId: UNUSED_SUPPRESSION, severity: 'warning', message: `unused suppression of \`${rule}\`: ${where}; remove it`, pointer: '', range: s.range });
    }
  }
  return { kept, suppressed, unused };
}
