import type { FormatInput } from './format.js';
import type { Diagnostic } from './types.js';
import { annotationEnd } from './format-sarif.js';
import { terminalText } from './terminal-text.js';

/**
 * GitHub Actions workflow commands (`::error file=…::message`), one line per diagnostic, which the
 * runner turns into annotations on the pull request diff.
 */
export function formatGithub(input: FormatInput): string {
  // Every format ends with a newline, so no findings is a single empty line (the runner ignores it).
  return `${input.diagnostics.map(githubAnnotation).join('\n')}\n`;
}

export function githubAnnotation(d: Diagnostic): string {
  const properties: [string, string | number][] = [['file', d.file.replace(/\\/g, '/')]];
  if (d.range) {
    const end = annotationEnd(d.range);
    properties.push(
      ['line', d.range.start.line],
      ['col', d.range.start.column],
      ['endLine', end.line],
      ['endColumn', end.column],
    );
  }
  properties.push(['title', `switchboard (${d.ruleId})`]);
  const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${d.severity} ${props}::${escapeData(message)}`;
}

// The runner's own escaping rules (actions/toolkit, command.ts): without them a newline would end the
// command early and a `,` or `:` in a property would be read as the next property or the message.
export function escapeData(s: string): string {
  // The commands are also printed in the job log, a terminal: escape sequences from user text first
  // (a carriage return is kept: the runner's own %0D carries it safely).
  return s.split('\r').map(terminalText).join('\r').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
