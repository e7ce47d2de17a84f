import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyse, codeActions, completionContext, isTopology } from '../../src/lsp/features.js';
import { fromRoot } from '../helpers/paths.js';

const at = (text: string) => {
  const offset = text.indexOf('|');
  const before = text.slice(0, offset).split('\n');
  return completionContext(text.replace('|', ''), { line: before.length - 1, character: before.at(-1)!.length });
};

describe('completion context from the text being typed', () => {
  it('knows which kind of id each position takes', () => {
    expect(at('entry: |')).toBe('agent');
    expect(at('handoffs:\n  - { from: triage, to: [bil|')).toBe('agent');
    expect(at('handoffs:\n  - from: triage\n    to:\n      - |')).toBe('agent');
    expect(at('agents:\n  billing:\n    tools: [lookup_invoice, |')).toBe('tool');
    expect(at('agents:\n  billing:\n    tools:\n      - look|')).toBe('tool');
    expect(at('agents:\n  billing:\n    output: |')).toBe('schema');
    expect(at('handoffs:\n  - from: a\n    filter: |')).toBe('filter');
    expect(at('agents:\n  a:\n    fragments: [|')).toBe('fragment');
    expect(at('rules:\n  fan-|')).toBe('rule');
  });

  it('offers nothing where a new name is declared', () => {
    expect(at('tools:\n  |')).toBeUndefined();
    expect(at('agents:\n  bil|')).toBeUndefined();
    expect(at('name: |')).toBeUndefined();
  });

  it('recognises topologies', () => {
    expect(isTopology('version: 1\nagents:\n  a: {}\n')).toBe(true);
    expect(isTopology('# yaml-language-server: $schema=../schema/topology.schema.json\n')).toBe(true);
    expect(isTopology('jobs:\n  build: {}\n')).toBe(false);
  });
});

describe('quick fixes for suppressions', () => {
  const fixture = fromRoot('test/fixtures/suppressions/suppressed.yaml');
  const text = readFileSync(fixture, 'utf8');
  const analysis = analyse(pathToFileURL(fixture).href, fixture, text);
  const lines = text.split('\n');
  const actionsOn = (line: number) => codeActions(analysis, { start: { line, character: 0 }, end: { line, character: 200 } });

  it('removes an unused single-rule suppression; leaves a list of rules to the user', () => {
    const unused = analysis.result.diagnostics.find((d) => d.ruleId === 'unused-suppression')!;
    // That comment names two rules (one used): nothing to remove automatically.
    expect(actionsOn(unused.range!.start.line - 1).map((a) => a.title)).not.toContain('Remove the unused suppression');
    const own = text.replace('# switchboard-disable-next-line unused-definition -- the refund desk', '# switchboard-disable-next-line fan-out -- the refund desk');
    const ownAnalysis = analyse(pathToFileURL(fixture).href, fixture, own);
    const line = lines.findIndex((l) => l.includes('the refund desk opens'));
    const [remove] = codeActions(ownAnalysis, { start: { line, character: 5 }, end: { line, character: 5 } }).filter((a) => a.title === 'Remove the unused suppression');
    expect(remove!.edit!.changes![ownAnalysis.uri]).toEqual([{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' }]);
    const trailing = text.replace('kept for the handoff inputs', 'kept').replace('unused-definition, fan-out -- kept', 'fan-out -- kept');
    const trailingAnalysis = analyse(pathToFileURL(fixture).href, fixture, trailing);
    const at = lines.findIndex((l) => l.startsWith('  HandoffReason: #'));
    const [strip] = codeActions(trailingAnalysis, { start: { line: at, character: 20 }, end: { line: at, character: 20 } }).filter((a) => a.title === 'Remove the unused suppression');
    expect(strip!.edit!.changes![trailingAnalysis.uri]).toEqual([{ range: { start: { line: at, character: '  HandoffReason:'.length }, end: { line: at, character: trailing.split('\n')[at]!.length } }, newText: '' }]);
  });
});
