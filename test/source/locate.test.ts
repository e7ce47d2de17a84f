import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../src/source/load-yaml.js';
import { locate } from '../../src/source/locate.js';
import { decodePointer, encodePointer } from '../../src/source/pointer.js';

const text = [
  'agents:', //                      1
  '  billing:', //                   2
  '    tools: [lookup, refund]', //  3
  '    instructions: |', //          4
  '      Line one.', //              5
  '      Line two.', //              6
  '  "a/b~c": x', //                 7
  '200: numeric key', //             8
  'anchor: &a { k: v }', //          9
  'alias: *a', //                    10
  '',
].join('\n');
const { source } = loadYaml(text, 'x.yaml');
const at = (pointer: string, onKey = false) => {
  const r = locate(source!, pointer, { onKey });
  return `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
};

describe('locate', () => {
  it('maps a pointer to the value, or to the key with onKey', () => {
    expect(at('/agents/billing/tools/1')).toBe('3:21-3:27');
    expect(at('/agents/billing', true)).toBe('2:3-2:10');
  });

  it('keeps a block scalar underline off the trailing newline', () => {
    expect(at('/agents/billing/instructions')).toBe('4:19-6:16');
  });

  it('decodes ~1 and ~0 in keys, and finds numeric keys', () => {
    expect(encodePointer(['agents', 'a/b~c'])).toBe('/agents/a~1b~0c');
    expect(decodePointer('/agents/a~1b~0c')).toEqual(['agents', 'a/b~c']);
    expect(at('/agents/a~1b~0c')).toBe('7:12-7:13');
    expect(at('/200')).toBe('8:6-8:17');
  });

  it('follows aliases to the anchored node', () => {
    expect(at('/alias/k')).toBe('9:17-9:18');
  });

  it('lands on the key of the deepest existing node when the path goes further', () => {
    expect(at('/agents/billing/model')).toBe('2:3-2:10');
    expect(at('/agents/missing/tools')).toBe('1:1-1:7');
  });
});
