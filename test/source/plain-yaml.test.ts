import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../src/source/load-yaml.js';
import { locate, startLine } from '../../src/source/locate.js';
import { readPlainYaml } from '../../src/source/plain-yaml.js';
import { parse, stringify } from 'yaml';
import { syntheticTopology } from '../../bench/synthetic.js';

const root = new URL('../../', import.meta.url);
const repoYaml = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
const SEEDS = Number(process.env.PLAIN_YAML_SEEDS ?? 10_000);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8').replace(/\r\n?/g, '\n');

/**
 * The contract: whenever the fast reader accepts a text, the full parse reads it without a single
 * diagnostic and to the same data (Object.is for every leaf, so -0 and 0 differ).
 */
function agreement(text: string): 'outside' | 'agrees' | string {
  const fast = readPlainYaml(text, 1_000_000);
  if (!fast) return 'outside';
  const full = loadYaml(text, 'x.yaml', { fastPath: false });
  if (full.diagnostics.length > 0) return `the full parse reports ${full.diagnostics.map((d) => `${d.ruleId}: ${d.message}`).join('; ')}`;
  if (!isDeepStrictEqual(full.data, fast.data)) return `the data differ: full ${JSON.stringify(full.data)} fast ${JSON.stringify(fast.data)}`;
  // Every sequence item line the reader noted is where the full parse locates that item.
  const walk = (node: unknown, pointer: string): string | undefined => {
    if (node === null || typeof node !== 'object') return undefined;
    const lines = Array.isArray(node) ? fast.itemLines.get(node) : undefined;
    for (const [key, child] of Object.entries(node)) {
      const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const noted = lines?.[Number(key)];
      if (noted && noted !== locate(full.source!, at).start.line) return `${at} is on line ${locate(full.source!, at).start.line}, the reader noted ${noted}`;
      const inner = walk(child, at);
      if (inner) return inner;
    }
    return undefined;
  };
  return walk(fast.data, '') ?? 'agrees';
}

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Snippets that sit on the edges of the subset: every mutation of them probes a boundary. */
const EDGES = `version: 1
name: edge-cases
empty:
nothing: ~
flags: [true, False, TRUE, yes, no, on, null, Null, ~]
numbers: [0, -1, 12, 3.25, -0.5, 1_000, 2024-01-01, 24/7, 1st]
quoted: ["a, b", 'it''s', "tab\\tnew\\nline \\u00e9 \\"q\\" \\\\ \\/", '', ""]
plain: a plain value, with commas [and] brackets:colons? and 'quotes"
url: https://example.com/a#b?c=d
hash: value # a comment
dash: -1
dashed: -flag
brackets: a [b] {c} d,
nested:
  deeper:
    deepest: { a: 1, b: [x, y, { c: "d" }], e: {}, f: [] }
  list:
    - one
    - two: 2
      three: 3
    -   four: 4
    - [five, six]
    - |
      literal
        kept indented
      # not a comment
    - >-
      folded
      text

      new paragraph
  same-level:
  - a
  - b
after: end
literal: |
  line one
  line two


folded: >
  one
  two
stripped: |-
  no newline
comment-only:
  # nothing here
  key: value
folded-plain: a long plain value that yaml's stringify
  folds onto the next lines, where

  an empty line is a line break
  and - a dash inside is text
items:
  - first item, also
    folded
  - key: value that goes
      on
`;

describe('readPlainYaml', () => {
  it('reads every shipped topology (the examples take the fast path)', () => {
    const topologies = readdirSync(new URL('topologies/', root)).filter((f) => f.endsWith('.yaml'));
    expect(topologies.length).toBeGreaterThan(2);
    for (const file of topologies) expect(agreement(read(`topologies/${file}`)), file).toBe('agrees');
  });

  it('agrees with the full parse on every YAML file in the repository it accepts', () => {
    let accepted = 0;
    for (const file of repoYaml) {
      const verdict = agreement(read(file));
      if (verdict === 'outside') continue;
      accepted++;
      expect(verdict, file).toBe('agrees');
    }
    expect(accepted).toBeGreaterThan(30);
  });

  it('agrees on the edge cases and on the benchmark star', () => {
    expect(agreement(EDGES)).toBe('agrees');
    expect(agreement(syntheticTopology(20, 'tools.ts#lookup'))).toBe('agrees');
    expect(agreement(stringify(parse(read('evals/support-desk.routing.yaml')), { lineWidth: 50 }))).toBe('agrees');
  });

  it('gives up on what it does not read: anchors, tags, multi-line scalars, tabs, other notations', () => {
    const outside = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: "two\n  lines"\n',
      'a: two # comment\n  lines\n',
      'a: two\n  b: pair\n',
      'a: two\n  # comment\n  lines\n',
      'a:\n\tb: 1\n',
      'a: 0x1F\n',
      'a: 1e3\n',
      'a: |+\n  kept\n\n',
      'a: |2\n   x\n',
      '"quoted key": 1\n',
      'a: 1\na: 2\n',
      '- a\n- b\n',
      '---\na: 1\n',
      'a: [1,\n  2]\n',
      'a: 😀\n',
      'a: b: c\n',
      'a:b\n',
      '__proto__: 1\n',
      'true: 1\n',
      '',
    ];
    for (const text of outside) expect(readPlainYaml(text, 1_000_000), JSON.stringify(text)).toBeUndefined();
  });

  it('reads the values yaml reads (spot checks the data, not only the agreement)', () => {
    expect(readPlainYaml('a: -1\nb: 3.5\nc: yes\nd: ~\ne:\nf: "x\\ty"\ng: \'it\'\'s\'\nh: [a, "b c", {d: 1}]\n', 1e6)?.data).toEqual({
      a: -1,
      b: 3.5,
      c: 'yes',
      d: null,
      e: null,
      f: 'x\ty',
      g: "it's",
      h: ['a', 'b c', { d: 1 }],
    });
    expect(readPlainYaml('a: |\n  x\n   y\n\n  z\nb: >-\n  p\n  q\n\n  r\n', 1e6)?.data).toEqual({ a: 'x\n y\n\nz\n', b: 'p q\nr' });
    expect(readPlainYaml('a: one\n  two\n\n\n  three\nb: 1\n', 1e6)?.data).toEqual({ a: 'one two\n\nthree', b: 1 });
  });

  it('notes the line of sequence items, so a case’s line needs no second parse', () => {
    const text = 'cases:\n  - id: a\n    input: x\n  # note\n  - id: b\n  - # c is below\n    id: c\n  - plain\n';
    const loaded = loadYaml(text, 'd.yaml');
    expect(loaded.source?.plain).toBeDefined();
    expect(startLine(loaded.source!, '/cases/0')).toBe(2);
    expect(startLine(loaded.source!, '/cases/1')).toBe(5);
    expect(startLine(loaded.source!, '/cases/2')).toBe(7); // not noted: located through the full parse
    expect(startLine(loaded.source!, '/cases/3')).toBe(8);
  });

  it('reads long lines of escapes and flow keys in one pass (a quadratic search would not finish)', () => {
    const escapes = `a: "${'\\n'.repeat(150_000)}"\n`;
    expect((readPlainYaml(escapes, 1_000_000)?.data as { a: string }).a).toHaveLength(150_000);
    const keys = `a: { ${Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`).join(', ')} }\n`;
    expect(Object.keys((readPlainYaml(keys, 1_000_000)?.data as { a: object }).a)).toHaveLength(40_000);
  });

  it('stays under the full parse token limit', () => {
    expect(readPlainYaml('a: 1\n'.repeat(100), 10)).toBeUndefined();
  });

  it('agrees with the full parse on thousands of mutated files (or gives up)', () => {
    // yaml's own output too: it folds long plain scalars over lines, as in generated datasets.
    const folded = stringify(parse(read('evals/support-desk.routing.yaml')), { lineWidth: 50 });
    const bases = [EDGES, read('topologies/support-desk.yaml'), read('topologies/airline.yaml'), syntheticTopology(3, 'tools.ts#lookup'), folded];
    const alphabet = [' ', '  ', ':', ': ', '-', '- ', '#', ' #', "'", '"', '[', ']', '{', '}', ',', '|', '>', '\n', '&', '*', '!', '?', '0', '1', '.', '\\', 'a', '~', '%', '@', '`', '\t', 'é'];
    const verdicts = { outside: 0, agrees: 0 };
    for (let seed = 1; seed <= SEEDS; seed++) {
      const next = random(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
      const base = bases[seed % bases.length]!;
      let lines = base.split('\n');
      // Small files keep the full parse fast: a window of the base around a random line.
      if (lines.length > 40) {
        const from = Math.floor(next() * (lines.length - 40));
        lines = lines.slice(from, from + 40);
        while (lines.length > 0 && /^\s/.test(lines[0]!)) lines.shift();
      }
      let text = lines.join('\n');
      for (let m = 1 + Math.floor(next() * 3); m > 0; m--) {
        const at = Math.floor(next() * (text.length + 1));
        const kind = next();
        if (kind < 0.35) text = text.slice(0, at) + pick(alphabet) + text.slice(at);
        else if (kind < 0.6) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3));
        else {
          const all = text.split('\n');
          const line = Math.floor(next() * all.length);
          if (kind < 0.75) all.splice(line, 0, all[line]!);
          else if (kind < 0.9) all[line] = (next() < 0.5 ? ' ' : '  ') + all[line];
          else all[line] = all[line]!.replace(/^ {1,2}/, '');
          text = all.join('\n');
        }
      }
      const verdict = agreement(text);
      if (verdict !== 'outside' && verdict !== 'agrees') expect.fail(`seed ${seed}: ${verdict}\n--- text ---\n${text}`);
      verdicts[verdict as 'outside' | 'agrees']++;
    }
    // The fuzzing means something only if many mutants land inside the subset.
    expect(verdicts.agrees).toBeGreaterThan(SEEDS / 10);
  });
});
