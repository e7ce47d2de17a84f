import { describe, expect, it } from 'vitest';
import { completionContext, isTopology } from '../../src/lsp/features.js';

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
