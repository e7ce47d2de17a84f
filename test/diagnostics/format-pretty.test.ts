import { describe, it, expect } from 'vitest';
import { formatPretty, MAX_PRETTY_PER_FILE } from '../../src/diagnostics/format-pretty.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { FILE, input, longLine, multiLine, noRange, tabbedWarning, unknownKey } from './fixtures.js';

const ANSI = /\x1b\[[0-9;]*m/g;

describe('formatPretty', () => {
  it('prints headers, code frames, hints, related locations and a summary', () => {
    const out = formatPretty(input([noRange, unknownKey, multiLine, tabbedWarning]));
    expect(out).toBe(
      [
        'topologies/missing.yaml error cannot read file: ENOENT: no such file or directory [source/unreadable]',
        '',
        'topologies/support.yaml:12:5 error unknown key `handofs`; did you mean `handoffs`? [schema/unknown-key]',
        '  11 |     instructions: Handle invoices and refunds.',
        '> 12 |     handofs: [triage]',
        '     |     ^^^^^^^',
        '  13 |   tech-support:',
        '  hint: allowed keys: `instructions`, `handoffs`, `description`, `model` and `tools`',
        '',
        'topologies/support.yaml:14:19 error instructions must be at least 20 characters [schema/instructions]',
        '  13 |   tech-support:',
        '> 14 |     instructions: |',
        '     |                   ^',
        '  15 |       Fix it.',
        '',
        'topologies/support.yaml:17:18 warning handoff target `tech-support` has a one-word description [handoff-description]',
        '  16 |       Escalate.',
        '> 17 |     description:    Helps',
        '     |                     ^^^^^',
        '  18 |     tools: [lookup_account_00, lookup_account_01, lookup_account_02, lookup_account_03, lookup_account_04, lookup_accoun…',
        '  hint: the triage agent picks a handoff by its description; say what the agent handles',
        '  related: topologies/support.yaml:9:9 handoff declared here',
        '',
        '3 errors and 1 warning in 2 files',
        '',
      ].join('\n'),
    );
  });

  it('cuts a long line around the column and keeps the caret under the range', () => {
    const out = formatPretty(input([longLine]));
    expect(out).toBe(
      [
        'topologies/support.yaml:18:146 error tool name `lookup account` must match ^[a-zA-Z0-9_-]{1,64}$ [tool-name-valid]',
        '  17 | …',
        '> 18 | …, lookup_account_05, lookup_account_06, lookup account, lookup_account_07, lookup_account_08, lookup_account_09, lookup_…',
        '     |                                          ^^^^^^^^^^^^^^',
        '  19 |',
        '',
        '1 error and 0 warnings in 2 files',
        '',
      ].join('\n'),
    );
    const [, , frame, carets] = out.split('\n');
    expect(frame!.indexOf('lookup account')).toBe(carets!.indexOf('^'));
    expect(Array.from(frame!.slice('> 18 | '.length)).length).toBeLessThanOrEqual(122);
  });

  it('expands tabs the same way in the frame and the caret line', () => {
    const [, , frame, carets] = formatPretty(input([tabbedWarning])).split('\n');
    expect(frame).not.toContain('\t');
    expect(frame!.indexOf('Helps')).toBe(carets!.indexOf('^'));
  });

  it('gives a zero-width range one caret', () => {
    const atEntry: Diagnostic = {
      ruleId: 'schema/required',
      severity: 'error',
      message: 'missing required key `model`',
      file: FILE,
      pointer: '/agents/billing',
      range: { start: { line: 10, column: 3 }, end: { line: 10, column: 3 } },
    };
    expect(formatPretty(input([atEntry])).split('\n').slice(1, 5)).toEqual([
      '   9 |       - tech-support',
      '> 10 |   billing:',
      '     |   ^',
      '  11 |     instructions: Handle invoices and refunds.',
    ]);
  });

  it('shows no context line before line 1 and handles CRLF sources', () => {
    const d: Diagnostic = { ...unknownKey, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 8 } } };
    const out = formatPretty(input([d], { sources: new Map([[FILE, 'version: 2\r\nname: x\r\n']]) }));
    expect(out.split('\n').slice(1, 4)).toEqual(['> 1 | version: 2', '    | ^^^^^^^', '  2 | name: x']);
  });

  it('does not replay control characters from the source', () => {
    const d: Diagnostic = { ...unknownKey, range: { start: { line: 1, column: 7 }, end: { line: 1, column: 8 } } };
    const out = formatPretty(input([d], { sources: new Map([[FILE, 'name: \x1b[2Jx\n']]) }));
    expect(out.split('\n').slice(1, 3)).toEqual(['> 1 | name: \ufffd[2Jx', '    |       ^']);
  });

  it('prints only the header when the source text is unavailable', () => {
    const out = formatPretty(input([unknownKey], { sources: new Map() }));
    expect(out.split('\n').slice(0, 3)).toEqual([
      'topologies/support.yaml:12:5 error unknown key `handofs`; did you mean `handoffs`? [schema/unknown-key]',
      '  hint: allowed keys: `instructions`, `handoffs`, `description`, `model` and `tools`',
      '',
    ]);
  });

  it('summarises with correct plurals', () => {
    const warning = { ...unknownKey, severity: 'warning' as const };
    expect(formatPretty(input([], { filesChecked: 1 }))).toBe('No problems found in 1 file.\n');
    expect(formatPretty(input([], { filesChecked: 3 }))).toBe('No problems found in 3 files.\n');
    expect(formatPretty(input([noRange], { filesChecked: 1 })).endsWith('\n\n1 error and 0 warnings in 1 file\n')).toBe(true);
    expect(formatPretty(input([warning, warning], { filesChecked: 3 })).endsWith('\n0 errors and 2 warnings in 3 files\n')).toBe(true);
  });

  it('emits no ANSI escapes without color', () => {
    const out = formatPretty(input([noRange, unknownKey, multiLine, tabbedWarning, longLine]));
    expect(out).not.toContain('\x1b');
  });

  it('colours errors red, warnings yellow and the gutter dim, and otherwise matches the plain output', () => {
    const all = [noRange, unknownKey, multiLine, tabbedWarning, longLine];
    const colored = formatPretty(input(all, { color: true }));
    expect(colored).toContain('\x1b[31merror\x1b[39m');
    expect(colored).toContain('\x1b[33mwarning\x1b[39m');
    expect(colored).toContain('\x1b[2m12 |\x1b[22m');
    expect(colored).toContain('\x1b[1mtopologies/support.yaml:12:5\x1b[22m');
    expect(colored.replace(ANSI, '')).toBe(formatPretty(input(all)));
  });
});

describe('formatPretty with many diagnostics (issue 13)', () => {
  const many = (file: string, n: number): Diagnostic[] => Array.from({ length: n }, (_, i) => ({ ...unknownKey, file, message: `problem ${i}` }));

  it(`prints at most MAX_PRETTY_PER_FILE (${MAX_PRETTY_PER_FILE}) per file, then says how many more and how to see them`, () => {
    const diagnostics = [...many(FILE, MAX_PRETTY_PER_FILE + 7), ...many('other.yaml', 3)];
    const text = formatPretty(input(diagnostics));
    expect(text.match(/\[schema\/unknown-key\]/g)).toHaveLength(MAX_PRETTY_PER_FILE + 3);
    expect(text).toContain(`problem ${MAX_PRETTY_PER_FILE - 1} `);
    expect(text).not.toContain(`problem ${MAX_PRETTY_PER_FILE} `);
    expect(text).toContain(`… and 7 more problems in ${FILE}; use --format json for all`);
    expect(text).not.toContain('more problems in other.yaml');
    // The summary still counts every problem.
    expect(text.trimEnd().split('\n').pop()).toBe(`${MAX_PRETTY_PER_FILE + 10} errors and 0 warnings in 2 files`);
  });

  it('says "1 more problem" in the singular, and honours maxPerFile', () => {
    expect(formatPretty(input(many(FILE, 3), { maxPerFile: 2 }))).toContain(`… and 1 more problem in ${FILE}; use --format json`);
    expect(formatPretty(input(many(FILE, 3), { maxPerFile: Infinity }))).not.toContain('more problem');
  });

  it('escapes the file name in every location it prints', () => {
    const text = formatPretty(input(many('evil\u001b[2J.yaml', 2)));
    expect(text).not.toContain('\u001b');
    expect(text).toContain('evil\\u001b[2J.yaml');
  });
});
