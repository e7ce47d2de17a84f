import { describe, it, expect } from 'vitest';
import { formatGithub } from '../../src/diagnostics/format-github.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { input, longLine, multiLine, noRange, tabbedWarning, unknownKey } from './fixtures.js';

interface Annotation {
  command: string;
  properties: Record<string, string>;
  message: string;
}

const UNESCAPE: Record<string, string> = { '%25': '%', '%0D': '\r', '%0A': '\n', '%3A': ':', '%2C': ',' };
const unescape = (s: string) => s.replace(/%(?:25|0D|0A|3A|2C)/g, (m) => UNESCAPE[m]!);

/** Reads a workflow command back the way the Actions runner does. */
export function parseGithubAnnotation(line: string): Annotation {
  const match = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
  }
  return { command: match[1]!, properties, message: unescape(match[3]!) };
}

/** What each annotation should carry for a diagnostic. */
function expected(d: Diagnostic): Annotation {
  const properties: Record<string, string> = { file: d.file };
  if (d.range) {
    const zeroWidth = d.range.end.line === d.range.start.line && d.range.end.column <= d.range.start.column;
    Object.assign(properties, {
      line: String(d.range.start.line),
      col: String(d.range.start.column),
      endLine: String(d.range.end.line),
      endColumn: String(zeroWidth ? d.range.start.column + 1 : d.range.end.column),
    });
  }
  properties.title = `switchboard (${d.ruleId})`;
  return { command: d.severity, properties, message: d.hint ? `${d.message}\n${d.hint}` : d.message };
}

const tricky: Diagnostic = {
  ruleId: 'schema/pattern',
  severity: 'warning',
  message: 'value "a,b: 100%" must match ^[a-z]+$:\r\nsee %0A and %25 literally',
  file: 'topologies/odd,name:v2.yaml',
  pointer: '/name',
  range: { start: { line: 2, column: 7 }, end: { line: 2, column: 7 } },
  hint: 'use letters only, e.g. `ab`',
};

const lines = (out: string) => out.slice(0, -1).split('\n');

describe('formatGithub', () => {
  it('prints one workflow command per diagnostic', () => {
    expect(formatGithub(input([noRange, unknownKey, multiLine, tabbedWarning]))).toBe(
      [
        '::error file=topologies/missing.yaml,title=switchboard (source/unreadable)::cannot read file: ENOENT: no such file or directory',
        '::error file=topologies/support.yaml,line=12,col=5,endLine=12,endColumn=12,title=switchboard (schema/unknown-key)::unknown key `handofs`; did you mean `handoffs`?%0Aallowed keys: `instructions`, `handoffs`, `description`, `model` and `tools`',
        '::error file=topologies/support.yaml,line=14,col=19,endLine=16,endColumn=16,title=switchboard (schema/instructions)::instructions must be at least 20 characters',
        '::warning file=topologies/support.yaml,line=17,col=18,endLine=17,endColumn=23,title=switchboard (handoff-description)::handoff target `tech-support` has a one-word description%0Athe triage agent picks a handoff by its description; say what the agent handles',
        '',
      ].join('\n'),
    );
  });

  it('escapes data and properties', () => {
    expect(formatGithub(input([tricky]))).toBe(
      '::warning file=topologies/odd%2Cname%3Av2.yaml,line=2,col=7,endLine=2,endColumn=8,title=switchboard (schema/pattern)' +
        '::value "a,b: 100%25" must match ^[a-z]+$:%0D%0Asee %250A and %2525 literally%0Ause letters only, e.g. `ab`\n',
    );
  });

  it('escapes terminal control sequences, which the job log would otherwise interpret', () => {
    const hostile: Diagnostic = { ...noRange, message: 'bad \u001b]0;owned\u0007 title\u001b[2J', file: 'a\u001b[31m.yaml' };
    expect(formatGithub(input([hostile]))).toBe(
      '::error file=a\\u001b[31m.yaml,title=switchboard (source/unreadable)::bad \\u001b]0;owned\\u0007 title\\u001b[2J\n',
    );
  });

  it('round-trips every diagnostic through the runner’s parsing', () => {
    const all = [noRange, unknownKey, multiLine, tabbedWarning, longLine, tricky];
    const out = formatGithub(input(all));
    expect(lines(out)).toHaveLength(all.length);
    expect(lines(out).map(parseGithubAnnotation)).toEqual(all.map(expected));
  });

  it('widens a zero-width range to one column', () => {
    const [annotation] = lines(formatGithub(input([tricky]))).map(parseGithubAnnotation);
    expect(annotation!.properties).toMatchObject({ line: '2', col: '7', endLine: '2', endColumn: '8' });
  });

  it('uses forward slashes in file paths', () => {
    const windows = { ...unknownKey, file: 'topologies\\support.yaml' };
    const [annotation] = lines(formatGithub(input([windows]))).map(parseGithubAnnotation);
    expect(annotation!.properties.file).toBe('topologies/support.yaml');
  });

  it('prints a single empty line when there is nothing to report', () => {
    expect(formatGithub(input([]))).toBe('\n');
  });
});
