import { describe, it, expect } from 'vitest';
import { formatDiagnostics, OUTPUT_FORMATS } from '../../src/diagnostics/format.js';
import { formatJson } from '../../src/diagnostics/format-json.js';
import { input, longLine, multiLine, noRange, tabbedWarning, unknownKey } from './fixtures.js';

const ALL = [noRange, unknownKey, multiLine, tabbedWarning, longLine];
const BASE_KEYS = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'ruleId', 'message', 'pointer'];

describe('formatJson', () => {
  it('prints the documented shape with 2-space indent and null positions when there is no range', () => {
    expect(formatJson(input([noRange, unknownKey]))).toBe(`{
  "version": 1,
  "summary": {
    "files": 2,
    "errors": 2,
    "warnings": 0,
    "suppressed": 0
  },
  "diagnostics": [
    {
      "file": "topologies/missing.yaml",
      "line": null,
      "column": null,
      "endLine": null,
      "endColumn": null,
      "severity": "error",
      "ruleId": "source/unreadable",
      "message": "cannot read file: ENOENT: no such file or directory",
      "pointer": ""
    },
    {
      "file": "topologies/support.yaml",
      "line": 12,
      "column": 5,
      "endLine": 12,
      "endColumn": 12,
      "severity": "error",
      "ruleId": "schema/unknown-key",
      "message": "unknown key \`handofs\`; did you mean \`handoffs\`?",
      "pointer": "/agents/billing/handofs",
      "suggestion": "handoffs",
      "hint": "allowed keys: \`instructions\`, \`handoffs\`, \`description\`, \`model\` and \`tools\`"
    }
  ]
}
`);
  });

  it('keeps keys in exactly the documented order, optional ones only when present', () => {
    const report = JSON.parse(formatJson(input(ALL)));
    expect(Object.keys(report)).toEqual(['version', 'summary', 'diagnostics']);
    expect(Object.keys(report.summary)).toEqual(['files', 'errors', 'warnings', 'suppressed']);
    expect(report.diagnostics.map((d: object) => Object.keys(d))).toEqual([
      BASE_KEYS,
      [...BASE_KEYS, 'suggestion', 'hint'],
      BASE_KEYS,
      [...BASE_KEYS, 'hint', 'related'],
      BASE_KEYS,
    ]);
  });

  it('counts errors and warnings and keeps the given order', () => {
    const report = JSON.parse(formatJson(input(ALL, { filesChecked: 7 })));
    expect(report.summary).toEqual({ files: 7, errors: 4, warnings: 1, suppressed: 0 });
    expect(report.diagnostics.map((d: { ruleId: string }) => d.ruleId)).toEqual(ALL.map((d) => d.ruleId));
  });

  it('spells out related locations with their own positions', () => {
    const report = JSON.parse(formatJson(input([tabbedWarning, multiLine])));
    expect(report.diagnostics[0].related).toEqual([
      {
        file: 'topologies/support.yaml',
        line: 9,
        column: 9,
        endLine: 9,
        endColumn: 21,
        message: 'handoff declared here',
        pointer: '/agents/triage/handoffs/1',
      },
    ]);
    expect(Object.keys(report.diagnostics[0].related[0])).toEqual([
      'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'pointer',
    ]);
    expect(report.diagnostics[1]).toMatchObject({ line: 14, column: 19, endLine: 16, endColumn: 16 });
  });

  it('prints an empty list when there is nothing to report', () => {
    const report = JSON.parse(formatJson(input([])));
    expect(report).toEqual({ version: 1, summary: { files: 2, errors: 0, warnings: 0, suppressed: 0 }, diagnostics: [] });
  });
});

describe('formatDiagnostics', () => {
  it('dispatches every format and always ends with a newline', () => {
    expect(OUTPUT_FORMATS).toEqual(['pretty', 'json', 'github', 'sarif']);
    for (const format of OUTPUT_FORMATS) {
      for (const diagnostics of [[], ALL]) {
        const out = formatDiagnostics(format, input(diagnostics));
        expect(out.endsWith('\n')).toBe(true);
      }
    }
    expect(formatDiagnostics('json', input(ALL))).toBe(formatJson(input(ALL)));
  });
});
