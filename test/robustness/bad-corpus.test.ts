/**
 * The bad-input corpus: every file under test/fixtures/bad/ (plus large and binary cases generated
 * here) yields exactly the located diagnostics listed in expected.json — never a crash. A second part
 * runs the built CLI over a handful of them and checks nothing is written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/source/load-yaml.js';
import { RULES } from '../../src/rules/index.js';
import { validateFile, validateSource, type ValidationResult } from '../../src/validate.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';
import { located, repoTempDir, snapshotTree, STACK_TRACE, TEMP_FILE } from './support.js';

const BAD = fromRoot('test/fixtures/bad');
const EXPECTED_FILE = join(BAD, 'expected.json');
interface Expected {
  readonly '//': string;
  readonly cases: Record<string, { about: string; diagnostics: string[] }>;
}
const expected = JSON.parse(readFileSync(EXPECTED_FILE, 'utf8')) as Expected;
const cases = readdirSync(BAD)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();
const UPDATE = Boolean(process.env.SWITCHBOARD_UPDATE_BAD_CORPUS);
const RULE_IDS = new Set(RULES.map((r) => r.id));

/** What every diagnostic of every bad file must satisfy, whatever the case. */
function expectWellFormed(result: ValidationResult, text: string | Uint8Array): void {
  expect(result.ok).toBe(false);
  expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  // Lines as YAML (and editors) count them: CR LF, LF and a lone CR each end one.
  const lines = (typeof text === 'string' ? text : Buffer.from(text).toString('latin1')).split(/\r\n|\r|\n/).length;
  for (const d of result.diagnostics) {
    expect(d.ruleId).toMatch(/^(?:(?:yaml|source|schema)\/[a-z][a-zA-Z-]*|[a-z][a-z-]*)$/);
    if (!d.ruleId.includes('/')) expect(RULE_IDS).toContain(d.ruleId);
    expect(d.range, d.message).toBeDefined();
    expect(d.range!.start.line).toBeGreaterThanOrEqual(1);
    expect(d.range!.start.line).toBeLessThanOrEqual(lines);
    expect(d.range!.start.column).toBeGreaterThanOrEqual(1);
    expect(d.message.trim()).not.toBe('');
    expect(d.message).not.toMatch(STACK_TRACE);
    expect(d.message).not.toMatch(/\[object Object\]/);
  }
}

describe('the bad-input corpus (test/fixtures/bad)', () => {
  afterAll(() => {
    if (UPDATE) writeFileSync(EXPECTED_FILE, `${JSON.stringify(expected, null, 2)}\n`);
  });

  it('has at least 40 cases, each with an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(expected.cases).sort()).toEqual(cases);
  });

  it.each(cases)('%s', (name) => {
    const path = join(BAD, `${name}.yaml`);
    const result = validateFile(path, { displayPath: `${name}.yaml` });
    const actual = result.diagnostics.map(located);
    if (UPDATE) expected.cases[name] = { about: expected.cases[name]?.about ?? '', diagnostics: actual };
    expect(actual).toEqual(expected.cases[name]?.diagnostics);
    expectWellFormed(result, readFileSync(path));
  });
});

/** Cases too large, binary or invisible to commit: built here, checked the same way. */
const VALID_TAIL = 'entry: triage\nagents:\n  triage: { instructions: Route callers., modle: gpt-4o }\n';
const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));
const generated: [name: string, input: () => string | Uint8Array, diagnostics: string[]][] = [
  ['a 20 MB file', () => `version: 1\ndescription: "${'x'.repeat(20 * 1024 * 1024)}"\n`, ['1:1 error source/too-large']],
  ['one byte over the size limit', () => `#${'x'.repeat(LIMITS.maxFileBytes - 1)}\n`, ['1:1 error source/too-large']],
  [
    'a file exactly at the size limit (parsed)',
    () => {
      const head = `version: 1\nname: at-limit\n${VALID_TAIL}description: "`;
      return `${head}${'x'.repeat(LIMITS.maxFileBytes - head.length - 2)}"\n`;
    },
    ['5:43 error schema/unknown-key'],
  ],
  ['a lone 0xff byte', () => bytes('version: 1\nname: ab', [0xff], '\n'), ['2:9 error source/encoding']],
  ['Latin-1 é inside a string', () => bytes('version: 1\nname: caf', [0xe9], '\n'), ['2:10 error source/encoding']],
  ['a multi-byte sequence cut off at the end', () => bytes('version: 1\nname: euro', [0xe2, 0x82]), ['2:11 error source/encoding']],
  ['an overlong encoding of /', () => bytes('version: 1\nname: ', [0xc0, 0xaf], '\n'), ['2:7 error source/encoding']],
  ['a UTF-8-encoded surrogate (CESU-8)', () => bytes('version: 1\nname: ', [0xed, 0xa0, 0x80], '\n'), ['2:7 error source/encoding']],
  ['a 4-byte sequence above U+10FFFF', () => bytes('name: ', [0xf4, 0x90, 0x80, 0x80], '\n'), ['1:7 error source/encoding']],
  ['a UTF-16LE file with its BOM', () => new Uint8Array([0xff, 0xfe, ...[...'version: 1\n'].flatMap((c) => [c.charCodeAt(0), 0])]), ['1:1 error source/encoding']],
  ['a UTF-8 BOM (bytes) before an error', () => bytes([0xef, 0xbb, 0xbf], 'version: 1\nname: bom\n', VALID_TAIL), ['5:43 error schema/unknown-key']],
  ['a BOM (text) before an error', () => `\ufeffversion: 1\nname: bom\n${VALID_TAIL}`, ['5:43 error schema/unknown-key']],
  ['a BOM in the middle of a file', () => `version: 1\n\ufeffname: bom\n${VALID_TAIL}`, ['2:1 error schema/unknown-key', '5:43 error schema/unknown-key']],
  [
    'an error at the end of a 2 MB line',
    () => `version: 1\nname: long-line\nentry: triage\nagents: { triage: { instructions: "${'x'.repeat(2_000_000)}", modle: gpt-4o } }\n`,
    [`4:${2_000_000 + 39} error schema/unknown-key`],
  ],
  [
    'an error on the line after a 5 MB line',
    () => `version: 1\nname: long-line\ndescription: ${'word '.repeat(1_000_000)}\n${VALID_TAIL}`,
    ['6:43 error schema/unknown-key'],
  ],
  ['CRLF line endings', () => `version: 1\r\nname: crlf\r\n${VALID_TAIL.replace(/\n/g, '\r\n')}`, ['5:43 error schema/unknown-key']],
  // Issue 13: a lone CR (old Mac) or a mix of endings gave a cascade of YAML errors; YAML 1.2 reads CR
  // as a line break, as editors do, so the one real mistake is found at the line the editor shows.
  ['lone CR line endings', () => `version: 1\rname: cr\r${VALID_TAIL.replace(/\n/g, '\r')}`, ['5:43 error schema/unknown-key']],
  ['mixed LF, CRLF and CR line endings', () => `version: 1\rname: mixed\r\n${VALID_TAIL.replace('\n', '\r').replace('\n', '\r\n')}`, ['5:43 error schema/unknown-key']],
  ['a raw NUL', () => 'version: 1\nname: "a\0b"\n', ['2:9 error source/control-character']],
  ['a raw ANSI escape', () => 'version: 1\nname: \x1b[2Jcleared\n', ['2:7 error source/control-character']],
  ['a raw DEL and C1 control', () => 'version: 1\nname: a\x7f\x9b\n', ['2:8 error source/control-character']],
  ['an unpaired surrogate', () => 'version: 1\nname: a\ud800\n', ['2:8 error source/control-character']],
  ['one token over the token limit', () => `a: [${'1,'.repeat(LIMITS.maxTokens / 2)}]\n`, [`1:${LIMITS.maxTokens + 2} error source/token-limit`]],
  ['10 MiB of `[`', () => `a: ${'['.repeat(LIMITS.maxFileBytes - 4)}\n`, ['1:259 error source/too-deep']],
  ['10 MiB of `a: b` lines', () => 'a: b\n'.repeat(LIMITS.maxFileBytes / 5), [`${Math.floor(LIMITS.maxTokens / 3) + 1}:2 error source/token-limit`]],
  ['a million nested block sequences on one line', () => `${'- '.repeat(1_000_000)}x\n`, ['1:511 error source/too-deep']],
  ['1,000 aliases', () => `a: &a x\nb: [${'*a, '.repeat(1000)}]\n`, [`2:${5 + 4 * LIMITS.maxAliases} error source/alias-limit`]],
  ['an anchor reused inside its own list', () => 'a: &a [1, *a]\n', ['1:11 error source/recursive-alias']],
];

describe('generated bad inputs', () => {
  it.each(generated)('%s', (_name, make, diagnostics) => {
    const input = make();
    const result = validateSource(input, join(BAD, 'generated.yaml'), { displayPath: 'generated.yaml' });
    expect(result.diagnostics.map(located)).toEqual(diagnostics);
    expectWellFormed(result, input);
  });
});

/**
 * Shapes that stay under the limits but once took quadratic time (each took tens of seconds before
 * the fixes in src/source and src/schema; the timeouts only catch a return of that).
 */
describe('hostile shapes under the limits', () => {
  it('3,000 mistyped edges (schema unions resolved in linear time)', () => {
    const text = `version: 1\nname: edges\nentry: a\nagents:\n  a: { instructions: x }\nhandoffs:\n${Array.from({ length: 3000 }, (_, i) => `  - { from: ${i}, to: [X${i}] }`).join('\n')}\n`;
    const result = validateSource(text, join(BAD, 'generated.yaml'));
    expect(result.diagnostics.filter((d) => d.ruleId === 'schema/type')).toHaveLength(3000);
    expectWellFormed(result, text);
  }, 15_000);

  it('3,000 diagnostics inside aliased values (aliases located in linear time)', () => {
    const items = Array.from({ length: 30 }, () => '{ x: 1 }').join(', ');
    const padding = Array.from({ length: 40_000 }, (_, i) => `w${i}`).join(', ');
    const edges = Array.from({ length: 99 }, () => '  - { from: a, to: *bad }').join('\n');
    const text = `version: 1\nname: aliases\nentry: a\ndescription: [${padding}]\ndefs: &bad [${items}]\nagents:\n  a: { instructions: hi }\nhandoffs:\n${edges}\n`;
    const result = validateSource(text, join(BAD, 'generated.yaml'));
    expect(result.diagnostics.length).toBeGreaterThan(2970);
    expectWellFormed(result, text);
  }, 15_000);

  it('10,000 unknown keys (duplicate check and key lookup in linear time)', () => {
    const text = `${Array.from({ length: 10_000 }, (_, i) => `k${i}: v`).join('\n')}\n`;
    const result = validateSource(text, join(BAD, 'generated.yaml'));
    expect(result.diagnostics.filter((d) => d.ruleId === 'schema/unknown-key')).toHaveLength(10_000);
    expectWellFormed(result, text);
  }, 30_000);

  // Fixed bug (src/rules/similar-descriptions.ts + src/validate.ts): the rule reports every similar pair
  // (n² / 2 warnings for n specialists sharing a description), and validateSource appends them with
  // `drafts.push(...runRules(...))`, which overflows the stack past ~125,000 items. A 46 KB file of
  // 600 specialists therefore throws RangeError (the CLI: "internal error", exit 2). Expected: no
  // throw; at most one finding per specialist (or a capped list), and no spread of unbounded arrays.
  it('600 specialists with one shared handoff description', () => {
    const ids = Array.from({ length: 600 }, (_, i) => `a${i}`);
    const text = `version: 1\nname: similar\nentry: hub\nagents:\n  hub: { instructions: Route. }\n${ids.map((id) => `  ${id}: { instructions: x, handoffDescription: Invoices and refunds. }`).join('\n')}\nhandoffs:\n  - { from: hub, to: [${ids.join(', ')}] }\n`;
    const result = validateSource(text, join(BAD, 'generated.yaml'));
    expect(result.diagnostics.length).toBeLessThan(10_000);
  }, 30_000);
});

/** References that reach outside the project, or past what the validator reads, by other routes. */
describe('references: other ways out', () => {
  let dir: string;
  let outside: string;
  beforeAll(() => {
    dir = repoTempDir('refs');
    outside = mkdtempSync(join(tmpdir(), 'switchboard-outside-'));
    writeFileSync(join(outside, 'secret.md'), 'a secret outside the project\n');
    writeFileSync(join(outside, 'x.ts'), 'export function run(): void {}\n');
    symlinkSync(join(outside, 'secret.md'), join(dir, 'linked.md'));
    symlinkSync(outside, join(dir, 'outside-link'));
    writeFileSync(join(dir, 'big.md'), 'x'.repeat(1024 * 1024 + 1));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  // Fixed bug (src/model/resolve-files.ts): references are resolved lexically (`path.resolve`), never with
  // realpath, so a symlink inside the project that points outside it passes `file-reference`, and
  // compile inlines the target (a file in the temp folder here; it could be ~/.ssh/id_rsa) into
  // generated code, or imports a module from outside.
  // Expected: a `file-reference` error "is outside the project root" at the reference.
  it('rejects references through symlinks that leave the project', () => {
    const text = 'version: 1\nname: linked\nentry: a\nagents:\n  a: { instructionsFile: linked.md, tools: [t] }\ntools:\n  t: { description: x, implementation: outside-link/x.ts#run, parameters: { type: object, properties: {}, required: [], additionalProperties: false } }\nrules: { triage-tools: off }\n';
    const result = validateSource(text, join(dir, 'linked.yaml'), { displayPath: 'linked.yaml' });
    expect(result.diagnostics.map(located)).toEqual(['5:26 error file-reference', '7:40 error file-reference']);
  });

  // Fixed bug (src/model/resolve-files.ts + src/rules/file-reference.ts): an instructions file over 1 MiB
  // is silently not read, validation passes, and compile then throws "internal: instructions file
  // big.md was not read" (CLI: internal error, exit 2). Expected: a located `file-reference` error.
  it('reports an instructions file too large to inline', () => {
    const text = 'version: 1\nname: big\nentry: a\nagents:\n  a: { instructionsFile: big.md }\n';
    const result = validateSource(text, join(dir, 'big.yaml'), { displayPath: 'big.yaml' });
    expect(result.diagnostics.map(located)).toEqual(['5:26 error file-reference']);
  });
});

// ---------------------------------------------------------------------------------------------------
// The built CLI: exit 1, located diagnostics, no stack trace, nothing written, earlier output intact.

const bin = fromRoot('bin/switchboard.js');
const CLI_CASES = ['yaml-tag-js-function', 'yaml-alias-bomb', 'yaml-deep-nesting-flow', 'schema-wrong-types', 'ref-escape-project', 'ref-missing-export', 'reserved-word-references'];

describe('the built CLI on bad input', () => {
  let work: string;
  let out: string;
  let before: Map<string, string>;
  const run = (args: string[]) => {
    const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(() => {
    if (!existsSync(fromRoot('dist/cli/program.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    work = repoTempDir('cli');
    out = join(work, 'out');
    // Earlier output the failing runs must leave byte for byte (and mtime for mtime) as it is.
    const first = run(['compile', 'topologies/support-desk.yaml', '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    mkdirSync(join(out, 'unrelated'));
    writeFileSync(join(out, 'unrelated', 'keep.txt'), 'not ours\n');
    before = snapshotTree(out);
    writeFileSync(join(work, 'huge.yaml'), `version: 1\ndescription: "${'x'.repeat(20 * 1024 * 1024)}"\n`);
    writeFileSync(join(work, 'latin1.yaml'), bytes('version: 1\nname: caf', [0xe9], '\n'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const inputs = (): [string, string, string][] => [
    ...CLI_CASES.map((name): [string, string, string] => [name, `test/fixtures/bad/${name}.yaml`, expected.cases[name]!.diagnostics[0]!]),
    ['a 20 MB file', join(work, 'huge.yaml'), '1:1 error source/too-large'],
    ['invalid UTF-8', join(work, 'latin1.yaml'), '2:10 error source/encoding'],
  ];

  it('exits 1 on each bad file (compiled together with a good one), locates the problem and writes nothing', () => {
    for (const [name, path, first] of inputs()) {
      const result = run(['compile', 'topologies/support-desk.yaml', path, '--out', out]);
      const shown = path.startsWith(work) ? path.slice(repoRoot.length + 1) : path;
      const [position, severity, ruleId] = first.split(' ');
      expect(result.code, `${name}\n${result.stdout}${result.stderr}`).toBe(1);
      expect(result.stderr).toContain(`${shown}:${position} ${severity} `);
      expect(result.stderr).toContain(`[${ruleId}]`);
      expect(result.stderr).toContain('nothing was written');
      expect(`${result.stdout}\n${result.stderr}`).not.toMatch(STACK_TRACE);
      expect(result.stderr).not.toMatch(/internal error/);
      expect(snapshotTree(out)).toEqual(before);
    }
  });

  // Fixed bug (src/diagnostics/format-pretty.ts): user text in messages is printed raw. Raw control
  // characters in the YAML are rejected, but the escapes "\e", "\x9b" or "\u202e" in a quoted string
  // yield them, so `entry: "a\e[2J"` clears the reviewer's terminal (or recolours or hides output)
  // when `validate` reports the unknown agent. Expected: control and bidi characters in quoted user
  // text are shown escaped (as JSON.stringify would), in every format that targets a terminal.
  it('prints control characters from YAML escapes as escapes, not raw', () => {
    writeFileSync(join(work, 'escape.yaml'), 'version: 1\nname: esc\nentry: "a\\e[2J\\u202e"\nagents:\n  a: { instructions: hi }\n');
    const result = run(['validate', join(work, 'escape.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/[\x1b\u202e]/);
  });

  it('validate exits 1 on all of them at once, with no stack trace', () => {
    const result = run(['validate', ...inputs().map(([, path]) => path)]);
    expect(result.code).toBe(1);
    expect(`${result.stdout}\n${result.stderr}`).not.toMatch(STACK_TRACE);
    expect(result.stderr).not.toMatch(/internal error/);
    expect([...snapshotTree(out).keys()].some((k) => TEMP_FILE.test(k))).toBe(false);
  });
});
