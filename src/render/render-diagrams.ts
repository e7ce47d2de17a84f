import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';

export type ImageFormat = 'svg' | 'png';

export interface RenderedDiagram {
  readonly format: ImageFormat;
  /** SVG text, or PNG bytes. */
  readonly data: string | Uint8Array;
}

/** A renderer holding one browser and one page with mermaid loaded, reused for every diagram. */
export interface DiagramRenderer {
  render(definition: string, format: ImageFormat): Promise<RenderedDiagram>;
  close(): Promise<void>;
}

/** Chromium flags for a closed network, as root, with no GPU (see docs/rendering.md). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * The mermaid bundle that @mermaid-js/mermaid-cli itself renders with, resolved from its location so
 * the two never disagree on versions.
 */
function mermaidBundlePath(): string {
  const fromCli = createRequire(createRequire(import.meta.url).resolve('@mermaid-js/mermaid-cli'));
  return fromCli.resolve('mermaid/dist/mermaid.min.js');
}

/**
 * Launch the browser once and load mermaid into one page. Loading mermaid is most of the cost of a
 * render, so each further diagram costs one `mermaid.render()` call instead of a new process or page.
 */
export async function createRenderer(browserPath: string): Promise<DiagramRenderer> {
  const { default: puppeteer } = await import('puppeteer');
  const profile = mkdtempSync(join(tmpdir(), 'switchboard-chromium-'));
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({ executablePath: browserPath, headless: true, args: CHROMIUM_ARGS, userDataDir: profile });
    const page = await browser.newPage();
    await page.setViewport({ width: 1600, height: 1200, deviceScaleFactor: 2 });
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:white"><div id="container"></div></body></html>');
    await page.addScriptTag({ path: mermaidBundlePath() });
    await page.evaluate(() => {
      const mermaid = (globalThis as unknown as { mermaid: { initialize(config: object): void } }).mermaid;
      // strict: no scripts or click handlers from labels. Fixed theme; default html labels, as GitHub renders them.
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
    });
    const owned = browser;
    return {
      render: (definition, format) => renderOne(page, definition, format),
      close: async () => {
        await owned.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

let counter = 0;

async function renderOne(page: Page, definition: string, format: ImageFormat): Promise<RenderedDiagram> {
  const id = `diagram${++counter}`;
  const svg = await page.evaluate(
    async (text: string, elementId: string) => {
      const mermaid = (globalThis as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
      const { svg } = await mermaid.render(elementId, text);
      const container = document.getElementById('container')!;
      container.innerHTML = svg;
      return svg;
    },
    definition,
    id,
  );
  if (format === 'svg') return { format, data: svg };
  const element = await page.$('#container > svg');
  if (!element) throw new Error('mermaid produced no SVG element');
  const png = await element.screenshot({ type: 'png', omitBackground: false });
  return { format, data: new Uint8Array(png) };
}
