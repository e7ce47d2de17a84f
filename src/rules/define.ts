import type { Rule } from './types.js';
import { closestMatch, listNames } from '../diagnostics/suggest.js';

/** Identity function that gives rule modules their type (and a single place to hang shared checks). */
export function defineRule(rule: Rule): Rule {
  return rule;
}

/** Message tail and suggestion for a name that was not found among `valid`. */
export function notFound(name: string, valid: readonly string[], kind: string) {
  const { best: suggestion, unique } = closestMatch(name, valid);
  return {
    message: `unknown ${kind} \`${name}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
    hint: valid.length ? `declared ${kind}s: ${listNames(valid)}` : `no ${kind}s are declared`,
    ...(suggestion ? { suggestion, ...(unique ? { fixable: true } : {}) } : {}),
  };
}
