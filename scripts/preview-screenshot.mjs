// Regenerates docs/preview.png: `npm run build && node scripts/preview-screenshot.mjs`.
// Starts `switchboard preview topologies/support-desk.yaml --traces docs/examples/support-desk.traces.jsonl`
// (the reference example with its example traces drawn on the diagram), opens it in headless Chromium,
// clicks the billing agent and takes a screenshot. Needs /usr/bin/chromium (or CHROMIUM=path).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer';

const root = fileURLToPath(new URL('..', import.meta.url));
const child = spawn(process.execPath, ['bin/switchboard.js', 'preview', 'topologies/support-desk.yaml', '--traces', 'docs/examples/support-desk.traces.jsonl'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let stdout = '';
child.stdout.on('data', (d) => (stdout += d));
const started = Date.now();
while (!/http:\/\/\S+/.test(stdout)) {
  if (Date.now() - started > 20_000) throw new Error('preview did not start');
  await new Promise((r) => setTimeout(r, 50));
}
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 820 });
  await page.goto(/http:\/\/\S+/.exec(stdout)[0]);
  await page.waitForSelector('body[data-state=ready] #diagram svg');
  await page.click('#diagram g.node[data-agent=billing]');
  await page.waitForFunction(() => document.querySelector('#details')?.dataset.agent === 'billing');
  await page.screenshot({ path: `${root}/docs/preview.png` });
} finally {
  await browser.close();
  child.kill('SIGINT');
}
