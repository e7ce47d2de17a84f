/**
 * `switchboard preview` in a real browser (Debian's Chromium, headless): the built CLI serves a copy
 * of the example in a scratch git repository; the page is driven with puppeteer.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot, repoRoot } from '../helpers/paths.js';

const work = mkdtempSync(join(repoRoot, '.tmp-preview-'));
const yamlPath = join(work, 'support-desk.yaml');
const original = readFileSync(fromRoot('topologies/support-desk.yaml'), 'utf8');
const HOSTILE = '<img src=x onerror="window.__pwned=1">';
/** An agent name in a trace that the topology does not declare. */
const HOSTILE_TRACE_AGENT = '<script>window.__pwned=3</script><b>Mallory</b>';
const tracesPath = join(work, 'traces', 'support-desk.jsonl');

/** One JsonlTraceProcessor span record. */
function span(trace: string, id: string, kind: string, data: Record<string, unknown>, parent: string | null = null, second = 0): string {
  const at = `2026-12-01T00:00:0${second}.000Z`;
  return JSON.stringify({ v: 1, type: 'span', trace_id: trace, span_id: id, parent_id: parent, kind, started_at: at, ended_at: at, error: null, data });
}

let child: ChildProcess;
let browser: Browser;
let page: Page;
let url: string;
let port: number;

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd: work, stdio: 'ignore' });
}

beforeAll(async () => {
  cpSync(fromRoot('topologies/support-desk'), join(work, 'support-desk'), { recursive: true });
  writeFileSync(yamlPath, original);
  // An unknown tool on billing: an error the page links to the billing node.
  // … and a spoke-to-spoke handoff: an error the page links to the billing → tech edge.
  writeFileSync(join(work, 'broken.yaml'), `${original.replace('tools: [lookup_invoice, issue_refund', 'tools: [lookup_invoic, issue_refund')}  - from: billing\n    to: tech\n`);
  writeFileSync(join(work, 'hostile.yaml'), original.replace('name: SalesAgent', `name: '${HOSTILE}'`).replace('description: Book a product demo', 'description: <script>window.__pwned=2</script> Book a product demo'));
  writeFileSync(
    join(work, 'eval.json'),
    JSON.stringify({
      version: 1, topology: 'support-desk', entry: 'triage', dataset: { file: 'cases.yaml', cases: 2 }, mode: 'routing', repeat: 1, judge: null, interrupted: false,
      runs: [{
        label: 'default', models: { triage: 'gpt-4o-mini' },
        summary: { cases: 2, attempts: 2, ran: 2, correct: 1, incorrect: 1, errors: 0, notRun: 0, accuracy: 0.5, accuracyInterval: { low: 0.0945, high: 0.9055 }, flaky: 0, handback: null },
        routes: { billing: { support: 1, predicted: 2, correct: 1, precision: 0.5, recall: 1, f1: 0.6667 }, stay: { support: 1, predicted: 0, correct: 0, precision: null, recall: 0, f1: null } },
        confusion: { labels: ['billing', 'stay'], columns: ['billing', 'stay', 'error'], matrix: [[1, 0, 0], [1, 0, 0]] },
        cost: { currency: 'USD', totalUsd: 0.0001, unpricedModels: [], byModel: {} }, latency: {}, judge: null,
        cases: [
          { id: 'refund', expect: 'billing', tags: [], line: 3, verdict: 'correct', attempts: [{ status: 'ok', actual: 'billing', correct: true, reason: 'refund', error: null, latencyMs: 1, inputTokens: 1, outputTokens: 1 }] },
          { id: 'hello', expect: 'stay', tags: [], line: 7, verdict: 'incorrect', attempts: [{ status: 'ok', actual: 'billing', correct: false, reason: '<b>caller said</b> invoice', error: null, latencyMs: 1, inputTokens: 1, outputTokens: 1 }] },
        ],
      }],
      gates: [], passed: true,
    }),
  );
  // Traces by convention: traces/<name>.jsonl (the example's twenty conversations) and traces/<name>/.
  mkdirSync(join(work, 'traces', 'hostile'), { recursive: true });
  writeFileSync(tracesPath, readFileSync(fromRoot('docs/examples/support-desk.traces.jsonl'), 'utf8'));
  writeFileSync(
    join(work, 'traces', 'hostile', 'run.jsonl'),
    [
      JSON.stringify({ v: 1, type: 'trace_start', trace_id: 'trace_h', workflow: 'Agent workflow', group_id: null }),
      span('trace_h', 'a1', 'agent', { name: 'Triage Agent' }, null, 1),
      span('trace_h', 'h1', 'handoff', { from: 'Triage Agent', to: HOSTILE }, 'a1', 2),
      span('trace_h', 'a2', 'agent', { name: HOSTILE }, null, 3),
      span('trace_h', 'a3', 'agent', { name: HOSTILE_TRACE_AGENT }, null, 4),
      '{"v":1,"type":"span",<b>not json</b>',
      '',
    ].join('\n'),
  );
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'start');

  child = spawn(process.execPath, [fromRoot('bin/switchboard.js'), 'preview', 'support-desk.yaml', 'broken.yaml', 'hostile.yaml', '--eval', 'eval.json'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => process.stderr.write(d));
  const start = Date.now();
  while (!/http:\/\/\S+/.test(stdout)) {
    if (Date.now() - start > 20_000 || child.exitCode !== null) throw new Error(`preview did not start: ${stdout}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  url = /http:\/\/\S+/.exec(stdout)![0];
  port = Number(new URL(url).port);
  browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    protocolTimeout: 30_000,
  });
  page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  await page.waitForSelector('body[data-state=ready]');
});

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

/** A raw request, so the Host header and the token can be anything. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const token = () => new URL(url).searchParams.get('token')!;
const selectFile = async (index: number) => {
  await page.select('#file', String(index));
  await page.waitForFunction((i) => document.querySelector<HTMLSelectElement>('#file')!.value === String(i) && document.querySelector('#diagram svg'), {}, index);
};

describe('switchboard preview', () => {
  it('listens on 127.0.0.1 and refuses every request without the token', async () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
    for (const path of ['/', '/api/state', '/api/events', '/assets/preview.js', '/api/diff?file=0', '/eval']) {
      expect((await get(path)).status).toBe(403);
      expect((await get(`${path}${path.includes('?') ? '&' : '?'}token=wrong${token().slice(5)}`)).status).toBe(403);
    }
    // DNS rebinding: the right token under a foreign Host name is refused too.
    expect((await get(`/?token=${token()}`, { Host: `evil.example:${port}` })).status).toBe(403);
    const ok = await get(`/?token=${token()}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-security-policy']).toContain("script-src 'self'");
    expect(ok.headers['content-security-policy']).toContain("default-src 'none'");
    expect(ok.body).not.toMatch(/<script>|<style>/);
    // Nothing outside the fixed routes: a path into the project is not served.
    expect((await get(`/support-desk.yaml?token=${token()}`)).status).toBe(404);
    expect((await get(`/assets/../support-desk.yaml?token=${token()}`)).status).toBe(404);
  });

  it('draws every agent of the topology', async () => {
    const agents = await page.$$eval('#diagram g.node[data-agent]', (nodes) => nodes.map((n) => n.getAttribute("data-agent")).sort());
    expect(agents).toEqual(['billing', 'sales', 'tech', 'triage']);
    const text = await page.$eval('#diagram', (d) => d.textContent);
    for (const name of ['Triage Agent', 'BillingAgent', 'TechSupportAgent', 'SalesAgent', 'Human operator']) expect(text).toContain(name);
  });

  it('draws traffic from traces/<name>.jsonl on the diagram: counts and shares on the edges, volume on the nodes', async () => {
    await page.waitForSelector('body[data-overlay=traffic] #diagram svg');
    const text = await page.$eval('#diagram', (d) => d.textContent);
    // The numbers of `switchboard traffic` on the same traces (docs/analysis.md).
    expect(text).toContain('onHandoff · 9 · 42.9%');
    expect(text).toContain('onHandoff · 8 · 38.1%');
    expect(text).toContain('hand back · 2 · 9.5%');
    expect(text).toContain('escalate_to_human · 2 to human');
    expect(text).toContain('20 conversations · ping-pong 10% · 1 hit max turns');
    expect(text).toContain('7 conversations · hand-back 12.5% · ping-pong 14.3% · to human 28.6% · 1 hit max turns');
    // Busier edges are drawn thicker.
    const width = (id: string) => page.$eval(`#diagram [id$="${id}"]`, (e) => parseFloat(getComputedStyle(e).strokeWidth));
    expect(await width('agent_triage__to__billing')).toBeGreaterThan(await width('agent_triage__to__sales'));
    expect(await page.$eval('#traffic-summary', (p) => p.textContent)).toBe('20 conversations, 16 routed, 1 hit maxTurns');
    const row = (route: string) => page.$$eval(`#traffic-routes tr[data-route=${route}] > *`, (cells) => cells.map((c) => c.textContent));
    expect(await row('billing')).toEqual(['billing', '8', '40%', '9', '22.2%', '12.5%', '0%', '0']);
    expect(await row('tech')).toEqual(['tech', '7', '35%', '8', '12.5%', '14.3%', '28.6%', '1']);
    expect(await page.$eval('#traffic', (t) => t.textContent)).toContain('traces/support-desk.jsonl');
    expect(await page.$eval('#traffic-advice', (t) => t.textContent)).toContain('consider collapsing it into a general agent');

    // The overlay can be switched off: the plain diagram again.
    await page.click('#traffic-toggle');
    await page.waitForFunction(() => document.body.dataset.overlay === 'none' && document.querySelector('#diagram svg') && !document.querySelector('#diagram')!.textContent!.includes('42.9%'));
    expect(await page.$eval('#diagram', (d) => d.textContent)).toContain('BillingAgent');
    await page.click('#traffic-toggle');
    await page.waitForFunction(() => document.querySelector('#diagram')!.textContent!.includes('42.9%'));
  });

  it('updates the traffic when the trace file grows', async () => {
    // One more conversation the entry answers itself.
    appendFileSync(tracesPath, [JSON.stringify({ v: 1, type: 'trace_start', trace_id: 'trace_new', workflow: 'Agent workflow', group_id: null }), span('trace_new', 's1', 'agent', { name: 'Triage Agent' }), ''].join('\n'));
    await page.waitForFunction(() => document.querySelector('#traffic-summary')?.textContent === '21 conversations, 16 routed, 1 hit maxTurns');
    expect(await page.$eval('#diagram', (d) => d.textContent)).toContain('21 conversations');
    expect(await page.$eval('#traffic-routes tr[data-route=stay] td', (c) => c.textContent)).toBe('5');
  });

  it('shows an agent when its node is clicked', async () => {
    await page.click('#diagram g.node[data-agent=billing]');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#details')?.dataset.agent === 'billing');
    const details = await page.$eval('#details', (d) => d.textContent);
    expect(details).toContain('lookup_invoice');
    expect(details).toContain('invoiceId');
    expect(details).toContain('You are the billing specialist');
    expect(details).toContain('triage');
    expect(await page.$eval('#details .agent-traffic', (p) => p.textContent)).toBe('8 conversations · handoffs 9 in, 2 out · hand-back 22.2% · ping-pong 12.5% · to human 0% · 0 hit max turns');
  });

  it('highlights the node a diagnostic is about when it is clicked', async () => {
    await selectFile(1);
    const frame = await page.$eval('button.diagnostic[data-rule=unknown-reference] + pre.frame', (p) => p.textContent);
    expect(frame).toContain('tools: [lookup_invoic, issue_refund');
    expect(frame).toContain('^^^^^^^^^^^^');
    await page.$eval('button.diagnostic[data-rule=unknown-reference]', (button) => (button as HTMLElement).click()); // query and click in one page task: a redraw can replace the button between the two
    await page.waitForSelector('#diagram g.node.highlight');
    const highlighted = await page.$$eval('#diagram g.node.highlight', (nodes) => nodes.map((n) => n.getAttribute("data-agent")));
    expect(highlighted).toEqual(['billing']);
    expect(await page.$$('#diagram path.highlight')).toHaveLength(0);
    // A finding on a handoff highlights that edge, and its endpoints.
    await page.$eval('button.diagnostic[data-rule=star-spoke-to-spoke]', (button) => (button as HTMLElement).click()); // query and click in one page task: a redraw can replace the button between the two
    await page.waitForSelector('#diagram path.highlight');
    expect(await page.$$eval('#diagram path.highlight', (paths) => paths.map((p) => (p as SVGElement).dataset.id))).toEqual(['L_agent_billing_agent_tech_0']);
    expect(await page.$$eval('#diagram g.node.highlight', (nodes) => nodes.map((n) => n.getAttribute('data-agent')).sort())).toEqual(['billing', 'tech']);
    // No traces for broken.yaml: no overlay.
    expect(await page.$eval('#traffic', (t) => (t as HTMLElement).hidden)).toBe(true);
    expect(await page.$eval('body', (b) => b.dataset.overlay)).toBe('none');
  });

  it('renders a hostile label as text', async () => {
    await selectFile(2);
    const text = await page.$eval('#diagram', (d) => d.textContent);
    expect(text).toContain(HOSTILE);
    expect(await page.$$('#diagram img')).toHaveLength(0);
    await page.click('#diagram g.node[data-agent=sales]');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#details')?.dataset.agent === 'sales');
    expect(await page.$eval('#details h2', (h) => h.textContent)).toContain(HOSTILE);
    expect(await page.$eval('#details', (d) => d.textContent)).toContain('<script>window.__pwned=2</script>');
    expect(await page.$$('#details img, #details script')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('renders hostile names and unreadable records in traces as text (traces/<name>/ by convention)', async () => {
    await selectFile(2);
    // The handoff to the agent named HOSTILE is counted on its edge.
    await page.waitForFunction(() => document.body.dataset.overlay === 'traffic' && document.querySelector('#diagram')!.textContent!.includes('onHandoff · 1 · 100%') && document.querySelector('#traffic-unknown'));
    expect(await page.$eval('#traffic-unknown', (p) => p.textContent)).toContain(HOSTILE_TRACE_AGENT);
    expect(await page.$eval('#traffic-errors', (p) => p.textContent)).toContain('traces/hostile/run.jsonl:6: not valid JSON');
    expect(await page.$$('#traffic script, #traffic b, #traffic img, #diagram b')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('updates when the YAML changes on disk and keeps the last good diagram on invalid input', async () => {
    await selectFile(0);
    const before = Number(await page.$eval('body', (b) => b.dataset.version));
    writeFileSync(yamlPath, original.replace('name: BillingAgent', 'name: InvoiceAgent'));
    await page.waitForFunction(() => document.querySelector('#diagram')!.textContent!.includes('InvoiceAgent'));
    expect(Number(await page.$eval('body', (b) => b.dataset.version))).toBeGreaterThan(before);

    writeFileSync(yamlPath, original.replace('name: BillingAgent', 'name: InvoiceAgent').replace('entry: triage', 'entry: triag'));
    await page.waitForSelector('button.diagnostic[data-rule=entry-exists]');
    expect(await page.$eval('#stale', (b) => (b as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('#diagram', (d) => d.textContent)).toContain('InvoiceAgent');
    expect(await page.$eval('#status', (s) => s.className)).toBe('bad');
  });

  it('shows the diff between a git revision and the working tree', async () => {
    writeFileSync(yamlPath, original.replace('name: BillingAgent', 'name: InvoiceAgent'));
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#stale')!.hidden);
    await page.click('#tab-diff');
    await page.waitForFunction(() => document.body.dataset.diff === 'ready' && document.querySelector('#diff-changes li'));
    const changes = await page.$eval('#diff-changes', (d) => d.textContent);
    expect(changes).toContain('billing');
    expect(changes).toContain('InvoiceAgent');
    expect(await page.$eval('#diff-diagram', (d) => d.textContent)).toContain('InvoiceAgent');
  });

  it('shows the diff between two git revisions', async () => {
    const first = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: work, encoding: 'utf8' }).trim();
    git('commit', '-q', '-am', 'rename billing');
    await page.click('#tab-diagram');
    await page.click('#tab-diff');
    // The tab lists the revisions again (the new commit among them), then compares HEAD with the working tree.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLOptionElement>('#diff-from option')].some((o) => o.textContent!.includes('rename billing')));
    await page.waitForFunction(() => document.body.dataset.diff === 'ready');
    const from = await page.$eval('#diff-from', (s, c) => [...(s as HTMLSelectElement).options].find((o) => o.value.startsWith(c))!.value, first);
    await page.select('#diff-from', from);
    await page.select('#diff-to', 'HEAD');
    await page.click('#diff-compare');
    await page.waitForFunction(() => document.body.dataset.diff === 'ready' && document.querySelector('#diff-changes')!.textContent!.includes('InvoiceAgent'));
    // HEAD against itself: no changes.
    await page.select('#diff-from', 'HEAD');
    await page.click('#diff-compare');
    await page.waitForFunction(() => document.body.dataset.diff === 'ready' && document.querySelector('#diff-changes li.none'));
    expect(await page.$eval('#diff-changes', (d) => d.textContent)).toContain('No semantic changes between HEAD and HEAD');
  });

  it('shows the eval report: heatmap, per-route bars and misrouted cases with reasons, as text', async () => {
    await page.click('#tab-eval');
    const frame = (await (await page.waitForSelector("#eval-frame"))!.contentFrame())!;
    await frame.waitForSelector('table.heatmap');
    const text = await frame.$eval('body', (b) => b.textContent);
    expect(text).toContain('Misrouted cases (1)');
    expect(text).toContain('<b>caller said</b> invoice');
    expect(await frame.$$('svg.bars rect')).not.toHaveLength(0);
    expect(await frame.$$('b')).toHaveLength(0);
  });

  it('ran without a single Content-Security-Policy violation', async () => {
    expect(await page.$eval('body', (b) => b.dataset.cspViolations)).toBeUndefined();
  });
});
