import { describe, expect, it } from 'vitest';
import { escapeMermaidText, mermaidLabel, nodeId } from '../../../src/emit/mermaid/escape.js';

const VALID_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

describe('mermaidLabel', () => {
  it('quotes and replaces # first, then the other entities', () => {
    expect(mermaidLabel('a#b"c<d>e&f')).toBe('"a#35;b#quot;c#lt;d#gt;e#amp;f"');
    expect(mermaidLabel('#quot;')).toBe('"#35;quot;"');
  });

  it('turns every kind of line break into <br/> and drops other control characters', () => {
    expect(escapeMermaidText('a\nb\r\nc\rd\u2028e')).toBe('a<br/>b<br/>c<br/>d<br/>e');
    expect(escapeMermaidText('a\u0001b\u007fc\td')).toBe('abc d');
  });

  it('neutralises backticks, directives, colons and the placeholder character', () => {
    expect(escapeMermaidText('`x` %%{init}%% a:b ﬂ°°35¶ß')).toBe('#96;x#96; #37;#37;{init}#37;#37; a#58;b fl°°35¶ß');
  });

  it('never produces an empty label, which Mermaid rejects', () => {
    expect(mermaidLabel('')).toBe('" "');
  });

  it('replaces lone surrogates, which are invalid in the SVG', () => {
    expect(escapeMermaidText('a\uD800b')).toBe('a\uFFFDb');
    expect(escapeMermaidText('😀')).toBe('😀');
  });
});

describe('nodeId', () => {
  it('prefixes plain ids and leaves them readable', () => {
    expect(nodeId('agent', 'triage')).toBe('agent_triage');
    expect(nodeId('tool', 'lookup_invoice')).toBe('tool_lookup_invoice');
    expect(nodeId('human')).toBe('human');
  });

  it('never yields a keyword', () => {
    for (const keyword of ['end', 'graph', 'click', 'style', 'subgraph', 'classDef']) expect(nodeId('agent', keyword)).toBe(`agent_${keyword}`);
  });

  it('keeps distinct ids distinct', () => {
    const ids = ['tech-support', 'tech_support', 'tech__support', 'tech_support__2d', 'tech--support', 'tech-_support', 'tech_-support', '_', '-', '', 'a b', 'a_b', 'a__20', 'é', 'e', '😀', '😀_', '_😀', 'a__', 'a_'];
    const mapped = ids.map((id) => nodeId('agent', id));
    expect(new Set(mapped).size).toBe(ids.length);
    for (const id of mapped) expect(id).toMatch(VALID_ID);
  });

  it('is stable and readable for ids with other characters', () => {
    expect(nodeId('agent', 'tech-support')).toBe('agent_tech_support__2d');
    expect(nodeId('agent', 'lab results')).toBe('agent_lab_results__20');
  });

  it('is injective on a large set of generated ids', () => {
    const alphabet = ['a', '_', '-', '2', 'd', ' '];
    const ids: string[] = [''];
    for (let length = 1; length <= 5; length++) {
      for (const id of ids.filter((x) => x.length === length - 1)) for (const char of alphabet) ids.push(id + char);
    }
    const mapped = new Set(ids.map((id) => nodeId('agent', id)));
    expect(mapped.size).toBe(ids.length);
  });
});
