import { describe, it, expect } from 'vitest';
import type * as Sarif from 'sarif';
import { artifactLocation, formatSarif, toSarifLog } from '../../src/diagnostics/format-sarif.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { input, longLine, multiLine, noRange, RULES, tabbedWarning, unknownKey } from './fixtures.js';

const ALL = [noRange, unknownKey, multiLine, tabbedWarning, longLine];

function run(diagnostics: readonly Diagnostic[]): Sarif.Run {
  const log = JSON.parse(formatSarif(input(diagnostics))) as Sarif.Log;
  return log.runs[0]!;
}

describe('formatSarif', () => {
  it('has the structure GitHub code scanning requires', () => {
    const out = formatSarif(input(ALL));
    expect(out.endsWith('}\n')).toBe(true);
    const log = JSON.parse(out) as Sarif.Log;
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0]!.tool;
    expect(driver).toMatchObject({
      name: 'switchboard',
      version: '0.1.0',
      informationUri: 'https://github.com/switchboard-dev/switchboard',
    });
    expect(log.runs[0]!.results).toHaveLength(ALL.length);
  });

  it('lists every registered rule, then unregistered ids in first-seen order', () => {
    const { rules } = run([unknownKey, noRange, multiLine, unknownKey]).tool.driver;
    expect(rules!.map((r) => r.id)).toEqual([
      ...RULES.map((r) => r.id),
      'schema/unknown-key',
      'source/unreadable',
      'schema/instructions',
    ]);
    expect(rules![1]).toEqual({
      id: 'handoff-description',
      name: 'HandoffDescription',
      shortDescription: { text: 'Handoff targets have a useful description.' },
      fullDescription: { text: 'The model picks a handoff by its description. Describe what the agent handles.' },
      help: {
        text: 'The model picks a handoff by its description. Describe what the agent handles.',
        markdown: 'The model picks a handoff by its description. Describe what the agent handles.',
      },
      defaultConfiguration: { level: 'warning' },
      helpUri: 'https://github.com/switchboard-dev/switchboard/blob/main/docs/rules.md#handoff-description',
    });
    expect(rules![3]).toMatchObject({
      id: 'schema/unknown-key',
      name: 'SchemaUnknownKey',
      shortDescription: { text: 'Schema: unknown-key' },
      defaultConfiguration: { level: 'error' },
    });
    expect(rules![4]!.shortDescription!.text).toBe('Source: unreadable');
    expect(rules![3]!.helpUri).toBe('https://github.com/switchboard-dev/switchboard/blob/main/docs/rules.md#rules');
  });

  it('gives every rule a name apart from its id and a help link, and declares %SRCROOT%', () => {
    const log = toSarifLog({ ...input([unknownKey, noRange]), sourceRoot: '/work/project' });
    const { rules } = log.runs[0]!.tool.driver;
    for (const rule of rules!) {
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(rule.name).not.toBe(rule.id);
      expect(rule.helpUri).toMatch(/^https:\/\/github\.com\/switchboard-dev\/switchboard\/blob\/main\/docs\/rules\.md#[a-z-]+$/);
    }
    expect(log.runs[0]!.originalUriBaseIds).toEqual({
      '%SRCROOT%': { uri: 'file:///work/project/', description: { text: 'The folder switchboard ran in: relative file names are relative to it.' } },
    });
    // Every relative location names a base the run declares.
    const bases = new Set(Object.keys(log.runs[0]!.originalUriBaseIds!));
    for (const result of log.runs[0]!.results!) {
      const { uriBaseId } = result.locations![0]!.physicalLocation!.artifactLocation!;
      if (uriBaseId) expect(bases.has(uriBaseId)).toBe(true);
    }
  });

  it('links rule help to the rules page sections that exist', async () => {
    const { readFileSync } = await import('node:fs');
    const { fromRoot } = await import('../helpers/paths.js');
    const { RULES: REGISTRY } = await import('../../src/rules/index.js');
    const headings = new Set([...readFileSync(fromRoot('docs/rules.md'), 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    const log = toSarifLog({ ...input([]), rules: REGISTRY });
    for (const rule of log.runs[0]!.tool.driver.rules!) expect(headings).toContain(rule.helpUri!.split('#')[1]);
  });

  it('points every result at its rule by id and index', () => {
    const { tool, results } = run(ALL);
    const ids = tool.driver.rules!.map((r) => r.id);
    for (const result of results!) {
      expect(ids).toContain(result.ruleId);
      expect(tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
    }
    expect(results!.map((r) => r.level)).toEqual(['error', 'error', 'error', 'warning', 'error']);
  });

  it('puts the hint on a new line of the message', () => {
    const [result] = run([unknownKey]).results!;
    expect(result!.message.text).toBe(`${unknownKey.message}\n${unknownKey.hint}`);
    expect(run([multiLine]).results![0]!.message.text).toBe(multiLine.message);
  });

  it('gives regions with an exclusive end column, widening zero-width ranges', () => {
    const zeroWidth = { ...unknownKey, range: { start: { line: 10, column: 3 }, end: { line: 10, column: 3 } } };
    const regions = run([unknownKey, multiLine, zeroWidth]).results!.map((r) => r.locations![0]!.physicalLocation!.region);
    expect(regions).toEqual([
      { startLine: 12, startColumn: 5, endLine: 12, endColumn: 12 },
      { startLine: 14, startColumn: 19, endLine: 16, endColumn: 16 },
      { startLine: 10, startColumn: 3, endLine: 10, endColumn: 4 },
    ]);
  });

  it('omits the region when there is no range', () => {
    const [result] = run([noRange]).results!;
    expect(result!.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'topologies/missing.yaml', uriBaseId: '%SRCROOT%' } } },
    ]);
  });

  it('includes related locations', () => {
    const [result] = run([tabbedWarning]).results!;
    expect(result!.relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: {
          artifactLocation: { uri: 'topologies/support.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 9, startColumn: 9, endLine: 9, endColumn: 21 },
        },
        message: { text: 'handoff declared here' },
      },
    ]);
  });

  it('fingerprints by rule, file, pointer and message, not by line', () => {
    const moved = { ...unknownKey, range: { start: { line: 40, column: 5 }, end: { line: 40, column: 12 } } };
    const reworded = { ...unknownKey, message: 'unknown key `handofs`' };
    const prints = run([unknownKey, moved, reworded, { ...unknownKey, file: './topologies/support.yaml' }]).results!.map(
      (r) => r.partialFingerprints!['switchboard/v1']!,
    );
    expect(prints[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(prints[1]).toBe(prints[0]);
    expect(prints[2]).not.toBe(prints[0]);
    expect(prints[3]).toBe(prints[0]);
    expect(run([unknownKey]).results![0]!.partialFingerprints).toEqual({ 'switchboard/v1': prints[0] });
  });

  it('is byte-identical across runs', () => {
    expect(formatSarif(input(ALL))).toBe(formatSarif(input(ALL)));
    expect(formatSarif(input(ALL))).toBe(`${JSON.stringify(toSarifLog(input(ALL)), null, 2)}\n`);
  });

  it('has an empty results list when there is nothing to report', () => {
    const { results, tool } = run([]);
    expect(results).toEqual([]);
    expect(tool.driver.rules).toHaveLength(RULES.length);
  });
});

describe('artifactLocation', () => {
  it('makes relative URIs under %SRCROOT% with forward slashes and no leading ./', () => {
    expect(artifactLocation('./topologies/a.yaml')).toEqual({ uri: 'topologies/a.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('topologies\\a.yaml')).toEqual({ uri: 'topologies/a.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('my dir/a#1.yaml').uri).toBe('my%20dir/a%231.yaml');
  });

  it('uses a file: URI for absolute paths', () => {
    const location = artifactLocation('/srv/topologies/a.yaml');
    expect(location.uri).toMatch(/^file:\/\/\/.*srv\/topologies\/a\.yaml$/);
    expect(location.uriBaseId).toBeUndefined();
  });
});
