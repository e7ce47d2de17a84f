import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASET_LIMITS, datasetFormatOf, loadDatasetFile, parseDataset, type DatasetContext } from '../../src/eval/dataset.js';
import { formatDiagnostics } from '../../src/diagnostics/format.js';
import { fromRoot } from '../helpers/paths.js';

const context: DatasetContext = { topologyName: 'support-desk', entry: 'triage', agents: ['triage', 'billing', 'tech', 'sales', 'legal'], routes: ['billing', 'tech', 'sales'] };

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;
const at = (d: { range?: { start: { line: number; column: number } } }) => `${d.range?.start.line}:${d.range?.start.column}`;

describe('parseDataset (YAML)', () => {
  it('reads cases: a message or a conversation, tags, hand-back and notes', () => {
    const result = parseDataset(
      yaml(
        'version: 1',
        'topology: support-desk',
        'cases:',
        '  - id: a',
        '    input: I was charged twice.',
        '    expect: billing',
        '    tags: [clear]',
        '  - id: b',
        '    input:',
        '      - { role: user, content: Hi }',
        '      - { role: assistant, content: Hello! }',
        '      - { role: user, content: My calls drop. }',
        '    expect: tech',
        '    handback: true',
        '    note: why',
        '  - { id: c, input: Hello?, expect: stay }',
      ),
      'd.yaml',
      context,
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.dataset?.cases).toEqual([
      { id: 'a', input: 'I was charged twice.', expect: 'billing', tags: ['clear'], line: 4 },
      {
        id: 'b',
        input: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: 'My calls drop.' },
        ],
        expect: 'tech',
        tags: [],
        handback: true,
        note: 'why',
        line: 8,
      },
      { id: 'c', input: 'Hello?', expect: 'stay', tags: [], line: 16 },
    ]);
  });

  it('locates unknown agents with did-you-mean, duplicate ids, empty input and unknown keys', () => {
    const text = yaml(
      'version: 1',
      'cases:',
      '  - id: a',
      '    input: I was charged twice.',
      '    expect: biling',
      '  - id: a',
      '    input: "   "',
      '    expect: tech',
      '  - id: c',
      '    input: hi',
      '    expected: stay',
    );
    const { diagnostics, dataset } = parseDataset(text, 'd.yaml', context);
    expect(dataset).toBeUndefined();
    expect(diagnostics.map((d) => [at(d), d.ruleId, d.message])).toEqual([
      ['5:13', 'dataset/unknown-agent', 'unknown agent `biling`; did you mean `billing`?'],
      // Reported although both cases have other errors (issue 13).
      ['6:9', 'dataset/duplicate-id', 'duplicate case id `a` (first used on line 3)'],
      ['7:12', 'dataset/empty-input', "`input` is empty: give the caller's message"],
      ['9:5', 'dataset/missing-key', 'case is missing `expect`'],
      ['11:5', 'dataset/unknown-key', 'unknown key `expected` in a case; did you mean `expect`?'],
    ]);
    expect(diagnostics[0]).toMatchObject({ suggestion: 'billing', pointer: '/cases/0/expect' });
    expect(diagnostics[0]!.hint).toContain('use `stay`');
    // And when both cases are otherwise valid.
    const dup = parseDataset(yaml('version: 1', 'cases:', '  - { id: a, input: x, expect: stay }', '  - { id: a, input: y, expect: stay }'), 'd.yaml', context);
    expect(dup.diagnostics.map((d) => [at(d), d.ruleId, d.message])).toEqual([['4:11', 'dataset/duplicate-id', 'duplicate case id `a` (first used on line 3)']]);
    expect(dup.diagnostics[0]!.related).toEqual([{ message: 'first used here', pointer: '/cases/0/id', range: { start: { line: 3, column: 11 }, end: { line: 3, column: 12 } } }]);
  });

  it('explains ids that are agents but not routes, and the entry itself', () => {
    const { diagnostics } = parseDataset(yaml('version: 1', 'cases:', '  - { id: a, input: x, expect: triage }', '  - { id: b, input: y, expect: legal }'), 'd.yaml', context);
    expect(diagnostics.map((d) => [d.ruleId, d.message, d.suggestion])).toEqual([
      ['dataset/not-a-route', '`triage` is the entry agent; write `stay` when it should handle the caller itself', 'stay'],
      ['dataset/not-a-route', 'the entry `triage` has no handoff to `legal`', undefined],
    ]);
  });

  it('checks conversations, the topology name, the version and the case list', () => {
    const bad = parseDataset(
      yaml(
        'version: 2',
        'topology: clinic',
        'cases:',
        '  - id: a',
        '    expect: stay',
        '    input:',
        '      - { role: usr, content: Hi }',
        '  - id: b',
        '    expect: stay',
        '    input:',
        '      - { role: user, content: Hi }',
        '      - { role: assistant, content: Hello }',
        '  - id: c',
        '    expect: stay',
        '    input: []',
      ),
      'd.yaml',
      context,
    );
    expect(bad.diagnostics.map((d) => [at(d), d.ruleId])).toEqual([
      ['1:10', 'dataset/version'],
      ['2:11', 'dataset/topology-mismatch'],
      ['7:17', 'dataset/role'],
      ['12:9', 'dataset/conversation-end'],
      ['15:12', 'dataset/empty-input'],
    ]);
    expect(bad.diagnostics[2]!.message).toBe('role `usr` is not `user` or `assistant`; did you mean `user`?');
    expect(parseDataset('version: 1\ncases: []\n', 'd.yaml', context).diagnostics.map((d) => d.ruleId)).toEqual(['dataset/no-cases']);
    expect(parseDataset('', 'd.yaml', context).diagnostics.map((d) => d.ruleId)).toEqual(['source/empty']);
    expect(parseDataset('- a\n', 'd.yaml', context).diagnostics.map((d) => d.ruleId)).toEqual(['dataset/type']);
  });

  it('prints like topology diagnostics: file:line:col, a code frame and the hint', () => {
    const text = yaml('version: 1', 'cases:', '  - id: a', '    input: I was charged twice.', '    expect: biling');
    const { diagnostics } = parseDataset(text, 'evals/d.yaml', context);
    const out = formatDiagnostics('pretty', { diagnostics, sources: new Map([['evals/d.yaml', text]]), rules: [], filesChecked: 1, color: false, toolVersion: '0' });
    expect(out).toContain('evals/d.yaml:5:13 error unknown agent `biling`; did you mean `billing`? [dataset/unknown-agent]');
    expect(out).toContain('> 5 |     expect: biling\n    |             ^^^^^^');
  });
});

describe('parseDataset (JSONL)', () => {
  it('reads one case per line and locates problems on their line', () => {
    const text = [
      '{"id":"a","input":"I was charged twice.","expect":"billing","tags":["clear"]}',
      '',
      '{"id":"b","input":"My calls drop","expect":"tecj"}',
      '{"id":"c","input":"x",',
      '{"id":"a","input":"again","expect":"stay"}',
    ].join('\n');
    expect(datasetFormatOf('x.jsonl')).toBe('jsonl');
    const { diagnostics } = parseDataset(text, 'd.jsonl', context, 'jsonl');
    expect(diagnostics.map((d) => [at(d), d.ruleId, d.pointer])).toEqual([
      ['3:44', 'dataset/unknown-agent', '/1/expect'],
      ['4:23', 'dataset/invalid-json', '/2'],
      ['5:7', 'dataset/duplicate-id', '/3/id'],
    ]);
    expect(diagnostics[0]!.message).toBe('unknown agent `tecj`; did you mean `tech`?');
    const ok = parseDataset('{"id":"a","input":"hi","expect":"stay"}\n{"id":"b","input":[{"role":"user","content":"refund please"}],"expect":"billing"}\n', 'd.jsonl', context, 'jsonl');
    expect(ok.dataset?.cases.map((c) => [c.id, c.line, c.expect])).toEqual([
      ['a', 1, 'stay'],
      ['b', 2, 'billing'],
    ]);
  });
});

describe('the shipped dataset', () => {
  it('evals/support-desk.routing.yaml is valid for the support desk, with at least 60 varied cases', () => {
    const { dataset, diagnostics } = loadDatasetFile(fromRoot('evals/support-desk.routing.yaml'), 'evals/support-desk.routing.yaml', {
      topologyName: 'support-desk',
      entry: 'triage',
      agents: ['triage', 'billing', 'tech', 'sales'],
      routes: ['billing', 'tech', 'sales'],
    });
    expect(diagnostics).toEqual([]);
    const cases = dataset!.cases;
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const tags = new Set(cases.flatMap((c) => c.tags));
    for (const tag of ['clear', 'ambiguous', 'multi-intent', 'off-topic', 'angry', 'non-english', 'stay']) expect(tags, tag).toContain(tag);
    const targets = new Set(cases.map((c) => c.expect));
    expect([...targets].sort()).toEqual(['billing', 'sales', 'stay', 'tech']);
    expect(cases.some((c) => Array.isArray(c.input))).toBe(true);
  });
});

describe('dataset limits', () => {
  const cases = (n: number) => Array.from({ length: n }, (_, i) => `  - { id: c${i}, input: hi, expect: stay }`);
  it('reports more cases than --max-cases at the first case over the limit (YAML and JSONL)', () => {
    const yamlResult = parseDataset(yaml('version: 1', 'cases:', ...cases(5)), 'd.yaml', context, 'yaml', { maxCases: 3 });
    expect(yamlResult.dataset).toBeUndefined();
    expect(yamlResult.diagnostics.map((d) => [at(d), d.ruleId, d.message])).toEqual([
      ['6:5', 'dataset/too-many-cases', 'the dataset has 5 cases; the limit is 3 (raise it with --max-cases)'],
    ]);
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `c${i}`, input: 'hi', expect: 'stay' }));
    const jsonl = parseDataset(`${lines.slice(0, 2).join('\n')}\n\n${lines.slice(2).join('\n')}\n`, 'd.jsonl', context, 'jsonl', { maxCases: 3 });
    expect(jsonl.diagnostics.map((d) => [at(d), d.ruleId, d.message])).toEqual([['5:1', 'dataset/too-many-cases', 'the dataset has 5 cases; the limit is 3 (raise it with --max-cases)']]);
    expect(parseDataset(yaml('version: 1', 'cases:', ...cases(3)), 'd.yaml', context, 'yaml', { maxCases: 3 }).dataset?.cases).toHaveLength(3);
    expect(DATASET_LIMITS.maxCases).toBe(10_000);
  });

  it('checks the file before reading it: a regular file, within the size limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-dataset-'));
    try {
      const big = join(dir, 'big.jsonl');
      writeFileSync(big, '');
      truncateSync(big, DATASET_LIMITS.maxJsonlBytes + 1);
      const tooLarge = loadDatasetFile(big, 'big.jsonl', context);
      expect(tooLarge.diagnostics.map((d) => [at(d), d.ruleId, d.message])).toEqual([
        ['1:1', 'source/too-large', 'the dataset is 67,108,865 bytes; a JSONL dataset may have at most 67,108,864'],
      ]);
      const folder = loadDatasetFile(dir, 'dir', context);
      expect(folder.diagnostics.map((d) => [d.ruleId, d.message])).toEqual([['source/unreadable', 'the dataset is not a regular file']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
