/**
 * Hardening of `switchboard eval` and `switchboard run` (issue 13): hostile strings in every report,
 * terminal control sequences, hanging providers, SIGTERM, output paths that are also inputs, provider
 * modules, dataset limits and cassette numbers. Reports are checked with real parsers (marked for
 * Markdown, jsdom's XML parser for JUnit); hangs and signals through the real CLI, spawned and bounded
 * by a kill timer, never by timed assertions.
 */
import { JSDOM } from 'jsdom';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/eval/dataset.js';
import { evaluateGates } from '../../src/eval/gates.js';
import { DEFAULT_PRICES } from '../../src/eval/prices.js';
import { renderProgress } from '../../src/eval/progress.js';
import { buildReport, withGates, type EvalReport } from '../../src/eval/report.js';
import { formatJsonReport } from '../../src/eval/reports/json.js';
import { formatJunit } from '../../src/eval/reports/junit.js';
import { formatMarkdown } from '../../src/eval/reports/markdown.js';
import { formatTerminal } from '../../src/eval/reports/terminal.js';
import type { AttemptResult, EvalOutcome } from '../../src/eval/runner.js';

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
