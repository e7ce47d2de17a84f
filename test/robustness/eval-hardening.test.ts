/**
 * Hardening of `switchboard eval` and `switchboard run` (issue 13): hostile strings in every report,
 * terminal control sequences, hanging providers, SIGTERM, output paths that are also inputs, provider
 * modules, dataset limits and cassette numbers. Reports are checked with real parsers (marked for
 * Markdown, jsdom's XML parser for JUnit); hangs and signals through the real CLI, spawned and bounded
 * by a kill timer, never by timed assertions.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { JSDOM } from 'jsdom';
import { marked } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/eval/dataset.js';
import { evaluateGates } from '../../src/eval/gates.js';
import { DEFAULT_PRICES } from '../../src/eval/prices.js';
import { renderProgress } from '../../src/eval/progress.js';
import { buildReport, withGates, type EvalReport } from '../../src/eval/report.js';
import { formatJsonReport } from '../../src/eval/reports/json.js';
import { formatJunit } from '../../src/eval/reports/junit.js';
import { formatMarkdown } from '../../src/eval/reports/markdown.js';
import { formatTerminal } from '../../src/eval/reports/terminal.js';
import { loadProviderModule, ProviderModuleError } from '../../src/eval/provider.js';
import { checkOutputPaths } from '../../src/cli/commands/eval-setup.js';
import { UsageError } from '../../src/cli/io.js';
import type { AttemptResult, EvalOutcome } from '../../src/eval/runner.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';
import { repoTempDir, STACK_TRACE } from './support.js';

// ---------------------------------------------------------------------------------------------------
// A report whose every user- or model-supplied string is hostile.

const ESC = '\u001b';
/** Terminal attacks: clear screen, retitle, clipboard write (OSC 52), CSI in C1 form, bell, CR overwrite, bidi. */
const TERMINAL = `${ESC}[2J${ESC}]0;pwned\u0007${ESC}]52;c;cm0gLXJmIH4=\u0007\u009b31m\rover\u202Egnp.exe`;
/** Markdown / HTML attacks. */
const HTML_ID = 'x` <img src=x onerror=alert(1)> `<script>alert(2)</script>';
const LINKS = '[click](https://evil.example/a) ![img](https://evil.example/i.png) <https://evil.example/b> https://evil.example/c www.evil.example me@evil.example';
const EMPHASIS = '**bold** _em_ ~~gone~~ | cell | # heading\n- list\n> quote\n<details open>';

const usage = (input: number, output: number) => ({ requests: 1, inputTokens: input, outputTokens: output, totalTokens: input + output, cachedInputTokens: 0 });
const call = (model: string) => ({ model, usage: usage(100, 10), latencyMs: 5 });

const hostileDataset: Dataset = {
  file: `evals/${'`'}x${'`'}<b>${LINKS}.yaml`,
  cases: [
    { id: HTML_ID, input: 'hi', expect: 'billing', tags: [LINKS, `<img src=y onerror=alert(3)>`], line: 3 },
    { id: `esc${TERMINAL}`, input: 'hi', expect: 'tech', tags: [EMPHASIS], line: 6 },
    { id: `err${TERMINAL}`, input: 'hi', expect: 'billing', tags: [], line: 9 },
  ],
};

const hostileModel = `gpt<img src=z onerror=alert(4)>${TERMINAL}`;
const hostileAttempts: AttemptResult[] = [
  { caseId: HTML_ID, repeat: 0, status: 'ok', actual: 'sales', reason: `${LINKS} ${EMPHASIS} ${TERMINAL}`, calls: [call(hostileModel)], judge: { score: 1, rationale: `<a href="https://evil.example">x</a> ${LINKS} ${TERMINAL}` } },
  { caseId: `esc${TERMINAL}`, repeat: 0, status: 'ok', actual: 'billing', reason: HTML_ID, calls: [call('gpt-4o-mini')], judge: { score: 2, rationale: EMPHASIS } },
  { caseId: `err${TERMINAL}`, repeat: 0, status: 'error', error: { kind: 'model', message: `provider said ${TERMINAL} ${HTML_ID} ${LINKS}` }, calls: [] },
];

function hostileReport(): EvalReport {
  const label = `triage=${hostileModel}`;
  const outcome: EvalOutcome = {
    interrupted: false,
    settings: [
      { label, overrides: { triage: hostileModel }, models: { triage: hostileModel }, attempts: hostileAttempts },
      { label: `${label} (compare)`, overrides: {}, models: { triage: hostileModel }, attempts: hostileAttempts },
    ],
  };
  const report = buildReport(outcome, {
    topology: 'support-desk',
    entry: 'triage',
    dataset: hostileDataset,
    mode: 'routing',
    repeat: 1,
    judge: `judge<script>${TERMINAL}`,
    routes: ['billing', 'tech', 'sales'],
    prices: DEFAULT_PRICES,
  });
  return withGates(report, evaluateGates(report.runs[0]!, { minAccuracy: 0.5, maxErrors: 0 }));
}

/** Tags Markdown of ours may produce; anything else came from a user string. */
const OUR_TAGS = new Set(['h2', 'h3', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'strong', 'ul', 'li', 'br']);

describe('eval --markdown (the pull-request comment)', () => {
  const markdown = formatMarkdown(hostileReport());
  const html = marked.parse(markdown, { gfm: true, async: false }) as string;
  const document = new JSDOM(html).window.document;

  it('renders no HTML, link, image or emphasis from a user or model string', () => {
    const tags = [...html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)];
    expect(new Set(tags.map((m) => m[1]!.toLowerCase()).filter((t) => !OUR_TAGS.has(t)))).toEqual(new Set());
    // Attributes: only the alignment marked writes for `---:` columns.
    expect(tags.map((m) => m[2]!.trim()).filter((a) => a !== '' && !/^align="(right|left|center)"$/.test(a))).toEqual([]);
    expect(document.querySelectorAll('a, img, script, em, del, blockquote, details, h1, h4, ol').length).toBe(0);
    expect(document.querySelectorAll('h2, h3').length).toBe([...markdown.matchAll(/^#{2,3} /gm)].length);
  });

  it('shows every hostile string as its own text, in its own cell', () => {
    const text = document.body.textContent!;
    for (const s of [HTML_ID, LINKS, '<img src=y onerror=alert(3)>', '**bold** _em_ ~~gone~~ | cell | # heading']) expect(text).toContain(s);
    // Each case table still has its five columns: no `|` from a string made a cell.
    for (const row of document.querySelectorAll('table tr')) {
      const header = row.closest('table')!.querySelector('tr')!.children.length;
      expect(row.children.length).toBe(header);
    }
    const caseCell = [...document.querySelectorAll('td code')].find((c) => c.textContent === HTML_ID);
    expect(caseCell).toBeDefined();
    // Control and bidi characters never reach the comment.
    expect(markdown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('eval --junit', () => {
  it('is well-formed XML whose attributes and text hold the strings (controls illegal in XML replaced)', () => {
    const xml = formatJunit(hostileReport());
    const document = new JSDOM('').window;
    const parsed = new document.DOMParser().parseFromString(xml, 'application/xml');
    expect(parsed.getElementsByTagName('parsererror').length).toBe(0);
    const names = [...parsed.getElementsByTagName('testcase')].map((t) => t.getAttribute('name'));
    expect(names).toContain(HTML_ID);
    expect(names).toContain(`esc${TERMINAL.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '\ufffd')}`);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/);
    // A lone surrogate cannot be written as UTF-8 either.
    const lone = hostileReport();
    const withSurrogate = { ...lone, topology: 'a\ud800b' };
    expect(formatJunit(withSurrogate)).toContain('a\ufffdb');
  });
});

describe('eval --report-json', () => {
  it('round-trips every string exactly and holds no raw control character', () => {
    const report = hostileReport();
    const json = formatJsonReport(report);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(JSON.parse(json).runs[0].cases[1].id).toBe(`esc${TERMINAL}`);
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});

/** What must never reach a terminal raw (tab and line feed are fine). */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('the terminal summary and progress line', () => {
  it('show control and bidi characters from data and models as escapes', () => {
    const plain = formatTerminal(hostileReport());
    expect(plain).not.toMatch(TERMINAL_UNSAFE);
    expect(plain).toContain('esc\\u001b[2J\\u001b]0;pwned\\u0007');
    // With colour, the only escape sequences are our own SGR codes.
    const coloured = formatTerminal(hostileReport(), { color: true });
    expect(coloured.replace(/\u001b\[\d+m/g, '')).not.toMatch(TERMINAL_UNSAFE);
    expect(renderProgress({ setting: `default${TERMINAL}`, done: 1, total: 2, errors: 0 })).not.toMatch(TERMINAL_UNSAFE);
  });
});

// ---------------------------------------------------------------------------------------------------
// The real CLI, spawned: hangs, signals, output paths, provider modules.

const TOPOLOGY = 'topologies/support-desk.yaml';
const DATASET = 'test/fixtures/eval/routing.yaml';
/** Only catches a hang (the test then fails on `killed`); nothing asserts on time. */
const KILL_AFTER_MS = 45_000;

interface Spawned {
  readonly code: number | null;
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run bin/switchboard.js; `onStderr` sees stderr as it grows (to send a signal at the right moment). */
function switchboard(args: readonly string[], onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fromRoot('bin/switchboard.js'), ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', OPENAI_API_KEY: '' } });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

// Created when the file loads: the test tables below name paths in it.
const work = repoTempDir('eval');
const at = (name: string) => join(work, name);
/** Paths as the CLI (cwd: repo root) sees them. */
const rel = (name: string) => join(work.slice(repoRoot.length + 1), name);

const MODEL_STUB = "async *getStreamedResponse() { throw new Error('no streaming'); }";
const PROVIDERS: Record<string, string> = {
  // A promise nothing will ever settle, and nothing else keeps the process alive (Node would exit 13).
  'never.ts': `export const provider = { getModel: () => ({ getResponse: () => new Promise(() => {}), ${MODEL_STUB} }) };\n`,
  // Ignores the abort signal and keeps the event loop busy for ever.
  'deaf.ts': `export const provider = { getModel: () => ({ getResponse: () => new Promise(() => { setInterval(() => {}, 1000); }), ${MODEL_STUB} }) };\n`,
  // Answers the first call, announces the second on stderr, then hangs there like deaf.ts.
  'first-then-deaf.ts': [
    "import { respond } from '../test/fixtures/eval/scripted-routing.ts';",
    'let calls = 0;',
    'export const provider = {',
    '  getModel: (name = "") => ({',
    '    getResponse(request) {',
    '      calls++;',
    '      if (calls === 1) return Promise.resolve(respond(name, request));',
    "      process.stderr.write('PROVIDER: second call\\n');",
    '      return new Promise(() => { setInterval(() => {}, 1000); });',
    '    },',
    `    ${MODEL_STUB}`,
    '  }),',
    '};',
    '',
  ].join('\n'),
};

beforeAll(() => {
  for (const [name, text] of Object.entries(PROVIDERS)) writeFileSync(at(name), text);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const reportsOf = (prefix: string) => ['--report-json', rel(`${prefix}.json`), '--junit', rel(`${prefix}.xml`), '--markdown', rel(`${prefix}.md`)];
const readJson = (name: string) => JSON.parse(readFileSync(at(name), 'utf8'));

describe('eval: a provider that hangs', () => {
  it('never settling: every case fails as stalled, the reports are written, exit by the gates (not 13)', async () => {
    const r = await switchboard(['eval', TOPOLOGY, '-d', DATASET, '--provider', `${rel('never.ts')}#provider`, '--timeout', '120', '--max-errors', '0', ...reportsOf('never')]);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    const report = readJson('never.json');
    expect(report.runs[0].summary).toMatchObject({ cases: 10, ran: 10, errors: 10 });
    expect(new Set(report.runs[0].cases.map((c: { attempts: { error: { kind: string } }[] }) => c.attempts[0]!.error.kind))).toEqual(new Set(['stalled']));
    expect(readFileSync(at('never.xml'), 'utf8')).toContain('<error type="stalled"');
    expect(readFileSync(at('never.md'), 'utf8')).toContain('### Errors (10)');
    expect(r.stdout).toContain('✗ 10 failed attempt(s) > maximum 0');
  });

  it('ignoring the abort signal: --timeout ends each case and the run, the reports are written, the process exits', async () => {
    const r = await switchboard(['eval', TOPOLOGY, '-d', DATASET, '--provider', `${rel('deaf.ts')}#provider`, '--timeout', '0.2', '--concurrency', '10', ...reportsOf('deaf')]);
    expect(r.killed).toBe(false);
    // Every case errored: that fails the run by default (--allow-errors would accept it).
    expect(r.code).toBe(1);
    const report = readJson('deaf.json');
    expect(report.gates).toEqual([expect.objectContaining({ gate: 'errors', passed: false, actual: 10 })]);
    expect(report.runs[0].summary).toMatchObject({ ran: 10, errors: 10 });
    expect(report.runs[0].cases[0].attempts[0].error).toEqual({ kind: 'timeout', message: 'timed out after 200 ms' });
    expect(r.stderr).toContain('switchboard: 10 model call(s) ignored the abort signal and are still running; not waiting for them.');
    expect(existsSync(at('deaf.xml')) && existsSync(at('deaf.md'))).toBe(true);
  });

  it('run: a turn that never settles, or outlives --timeout, fails with a reason and exits 1', async () => {
    const never = await switchboard(['run', TOPOLOGY, 'hello', '--provider', `${rel('never.ts')}#provider`]);
    expect([never.killed, never.code]).toEqual([false, 1]);
    expect(never.stderr).toContain('switchboard: the run failed: the model call can never finish');
    const deaf = await switchboard(['run', TOPOLOGY, 'hello', '--provider', `${rel('deaf.ts')}#provider`, '--timeout', '0.2']);
    expect([deaf.killed, deaf.code]).toEqual([false, 1]);
    expect(deaf.stderr).toContain('switchboard: the run failed: timed out after 200 ms');
  });
});

describe('eval: SIGTERM and SIGINT', () => {
  it.each([
    ['SIGTERM', 143, 'terminated'],
    ['SIGINT', 130, 'interrupted'],
  ] as const)('%s: partial reports and cassette written, exit %i', async (signal, exitCode, word) => {
    const args = ['eval', TOPOLOGY, '-d', DATASET, '--provider', `${rel('first-then-deaf.ts')}#provider`, '--concurrency', '1', '--record', rel(`${signal}.cassette.json`), ...reportsOf(signal)];
    let sent = false;
    const r = await switchboard(args, (stderr, kill) => {
      if (!sent && stderr.includes('PROVIDER: second call')) {
        sent = true;
        kill(signal);
      }
    });
    expect(r.killed).toBe(false);
    expect(r.code).toBe(exitCode);
    const report = readJson(`${signal}.json`);
    expect([report.interrupted, report.passed, report.runs[0].summary.ran, report.runs[0].summary.notRun]).toEqual([true, false, 1, 9]);
    expect(readFileSync(at(`${signal}.md`), 'utf8')).toContain('Interrupted: this report is partial.');
    expect(readFileSync(at(`${signal}.xml`), 'utf8')).toContain('<skipped message="not run (the evaluation was interrupted)"/>');
    expect(Object.keys(readJson(`${signal}.cassette.json`).entries)).toHaveLength(1);
    expect(r.stderr).toContain(`switchboard: ${word}; finishing up and writing the partial report`);
    expect(r.stderr).toContain('(partial: the run was interrupted)');
    expect(r.stdout).toContain('INTERRUPTED');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('output paths that are also inputs', () => {
  const inputs = () => {
    mkdirSync(at('paths'), { recursive: true });
    writeFileSync(at('paths/dataset.yaml'), readFileSync(fromRoot(DATASET)));
    writeFileSync(at('paths/baseline.json'), '{}\n');
    writeFileSync(at('paths/cassette.json'), '{ "version": 1, "entries": {} }\n');
    rmSync(at('paths/link.yaml'), { force: true });
    symlinkSync('dataset.yaml', at('paths/link.yaml'));
  };
  const snapshot = () => Object.fromEntries(readdirSync(at('paths')).sort().map((f) => [f, readFileSync(at(`paths/${f}`), 'utf8')]));
  const provider = `${rel('never.ts')}#provider`;

  it.each([
    ['--record over the dataset', ['--record', 'DATASET'], /^switchboard: --record \S+dataset\.yaml is the --dataset file: refusing to overwrite an input$/],
    ['--report-json over a symlink to the dataset', ['--report-json', rel('paths/link.yaml')], /^switchboard: --report-json \S+link\.yaml is the --dataset file \(\S+dataset\.yaml\): refusing to overwrite an input$/],
    ['--markdown over the dataset, spelt differently', ['--markdown', `${rel('paths')}/../paths/dataset.yaml`], /is the --dataset file \(\S+\): refusing to overwrite an input$/],
    ['--junit over the topology', ['--junit', TOPOLOGY], /^switchboard: --junit topologies\/support-desk\.yaml is the topology file: refusing to overwrite an input$/],
    ['--report-json over the baseline', ['--report-json', rel('paths/baseline.json'), '--baseline', rel('paths/baseline.json')], /is the --baseline file: refusing/],
    ['--record over the provider module', ['--record', rel('never.ts')], /^switchboard: --record \S+never\.ts is the --provider file: refusing to overwrite an input$/],
    ['two outputs in one file', ['--report-json', rel('paths/out.json'), '--junit', rel('paths/out.json')], /^switchboard: --junit \S+out\.json is also the --report-json output: give each output its own file$/],
  ])('refuses %s (exit 2, nothing written)', async (_label, flags, message) => {
    inputs();
    const before = snapshot();
    const args = flags.map((f) => (f === 'DATASET' ? rel('paths/dataset.yaml') : f));
    const r = await switchboard(['eval', TOPOLOGY, '-d', rel('paths/dataset.yaml'), '--provider', provider, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a --replay cassette as --report-json, and run --record over the topology', async () => {
    inputs();
    const before = snapshot();
    const replay = await switchboard(['eval', TOPOLOGY, '-d', rel('paths/dataset.yaml'), '--replay', rel('paths/cassette.json'), '--report-json', rel('paths/cassette.json')]);
    expect([replay.code, replay.stderr.trim()]).toEqual([2, `switchboard: --report-json ${rel('paths/cassette.json')} is the --replay file: refusing to overwrite an input`]);
    expect(snapshot()).toEqual(before);
    const topologyCopy = at('paths/topology.yaml');
    writeFileSync(topologyCopy, 'not read');
    const run = await switchboard(['run', rel('paths/topology.yaml'), 'hi', '--provider', provider, '--record', `./${rel('paths/topology.yaml')}`]);
    expect([run.code, readFileSync(topologyCopy, 'utf8')]).toEqual([2, 'not read']);
    expect(run.stderr).toMatch(/is the topology file \(\S+\): refusing to overwrite an input/);
  });
});

describe('--provider modules', () => {
  const PROVIDER_OBJECT = "{ getModel() { return { async getResponse() { throw new Error('unused'); } }; } }";
  const CJS: Record<string, string> = {
    'module-exports.js': `module.exports = ${PROVIDER_OBJECT};\n`,
    'exports-default.js': `exports.default = ${PROVIDER_OBJECT};\n`,
    'es-module-flag.js': `Object.defineProperty(exports, '__esModule', { value: true });\nexports.default = ${PROVIDER_OBJECT};\n`,
    'export-default.ts': `export default ${PROVIDER_OBJECT};\n`,
    'factory.cjs': `module.exports = async () => (${PROVIDER_OBJECT});\n`,
    'named.js': `exports.provider = ${PROVIDER_OBJECT};\n`,
    'class.ts': `export class Provider ${PROVIDER_OBJECT.replace('getModel()', 'getModel()')}\n`,
    'throws.ts': "export function provider() { throw new Error('OPENROUTER_KEY is not set'); }\n",
    'throws-nothing.ts': 'export function provider() { throw undefined; }\n',
    'not-provider.ts': 'export const provider = { model: 1 };\n',
  };
  let folder: string;
  beforeAll(() => {
    // A CommonJS folder: its package.json has no "type": "module".
    folder = at('cjs');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), '{ "name": "cjs-providers", "private": true }\n');
    for (const [name, text] of Object.entries(CJS)) writeFileSync(join(folder, name), text);
  });

  it.each(['module-exports.js', 'exports-default.js', 'es-module-flag.js', 'export-default.ts', 'factory.cjs', 'named.js#provider', 'class.ts#Provider'])(
    'accepts %s as Node’s CommonJS interop presents it',
    async (spec) => {
      const provider = await loadProviderModule(spec, folder);
      expect(typeof provider.getModel).toBe('function');
    },
  );

  it('explains real mistakes as usage errors', async () => {
    const message = (spec: string) => loadProviderModule(spec, folder).then(() => 'loaded', (e: unknown) => (e instanceof ProviderModuleError ? e.message : `not a usage error: ${String(e)}`));
    expect(await message('throws.ts#provider')).toBe('--provider: throws.ts#provider failed while creating the provider: OPENROUTER_KEY is not set');
    expect(await message('throws-nothing.ts#provider')).toBe('--provider: throws-nothing.ts#provider failed while creating the provider: undefined');
    expect(await message('not-provider.ts#provider')).toBe('--provider: not-provider.ts#provider is not a ModelProvider (an object with getModel(name)), nor a function or class returning one; it is an object with `model`');
    expect(await message('named.js#nope')).toBe('--provider: named.js has no export `nope` (it exports `default`, `provider`)');
  });

  it('a factory that throws is exit 2 with one line, not an internal error', async () => {
    const r = await switchboard(['eval', TOPOLOGY, '-d', DATASET, '--provider', `${rel('cjs/throws.ts')}#provider`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`switchboard: --provider: ${rel('cjs/throws.ts')}#provider failed while creating the provider: OPENROUTER_KEY is not set\n`);
  });
});

describe('output paths (property)', () => {
  const INPUT_FLAGS = ['topology', '--dataset', '--replay', '--baseline', '--prices', '--provider'];
  const OUTPUT_FLAGS = ['--record', '--report-json', '--junit', '--markdown'];
  let root: string;
  beforeAll(() => {
    root = at('prop');
    mkdirSync(join(root, 'sub'), { recursive: true });
    for (const name of ['a.yaml', 'b.yaml', 'c.json']) writeFileSync(join(root, name), 'x');
    symlinkSync('a.yaml', join(root, 'link-a.yaml'));
    symlinkSync('.', join(root, 'here'));
  });
  /** Ways to write the same file, relative to `root` or absolute. */
  const spellings = (name: string) => [name, `./${name}`, `sub/../${name}`, `here/${name}`, join(root, name), ...(name === 'a.yaml' ? ['link-a.yaml', 'here/link-a.yaml'] : [])];
  const io = () => ({ stdout: () => {}, stderr: () => {}, cwd: root, env: {}, isTTY: false });
  const verdict = (inputs: { flag: string; path: string }[], outputs: { flag: string; path: string }[]) => {
    try {
      checkOutputPaths(io(), inputs, outputs);
      return 'ok';
    } catch (error) {
      return error instanceof UsageError ? 'refused' : `threw ${String(error)}`;
    }
  };
  const file = fc.constantFrom('a.yaml', 'b.yaml', 'c.json', 'new.json', 'sub/new.json');
  const named = (flags: string[]) => fc.tuple(fc.constantFrom(...flags), file, fc.nat(10)).map(([flag, name, k]) => ({ flag, name, path: spellings(name)[k % spellings(name).length]! }));

  it('refuses exactly when an output is the same file as an input or another output, however it is spelt', () => {
    fc.assert(
      fc.property(fc.array(named(INPUT_FLAGS), { maxLength: 4 }), fc.array(named(OUTPUT_FLAGS), { maxLength: 4 }), (inputs, outputs) => {
        const used = new Set(inputs.map((i) => i.name));
        let clash = false;
        for (const o of outputs) {
          if (used.has(o.name)) clash = true;
          used.add(o.name);
        }
        expect(verdict(inputs, outputs)).toBe(clash ? 'refused' : 'ok');
      }),
      { seed: 20_261_202, numRuns: 300 },
    );
  });
});
