import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { describeRenderError, type PageError, type RenderProblem } from './render-errors.js';

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

/** Mermaid rejected a diagram; carries what the page reported, already reduced (see render-errors.ts). */
export class DiagramError extends Error {
  override readonly name = 'DiagramError';
  constructor(readonly problem: RenderProblem) {
    super(problem.message);
  }
}

async function renderOne(page: Page, definition: string, format: ImageFormat): Promise<RenderedDiagram> {
  const id = `diagram${++counter}`;
  const result = await page.evaluate(
    async (text: string, elementId: string) => {
      const mermaid = (globalThis as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
      try {
        const { svg } = await mermaid.render(elementId, text);
        const container = document.getElementById('container')!;
        container.innerHTML = svg;
        return { svg };
      } catch (error) {
        // Only plain data crosses back; the parser's location is on `hash.loc`.
        const e = error as { name?: string; message?: string; hash?: { loc?: { first_line?: number; first_column?: number } } };
        document.getElementById(`d${elementId}`)?.remove();
        return { error: { name: String(e?.name ?? 'Error'), message: String(e?.message ?? e), ...(e?.hash?.loc ? { loc: { first_line: e.hash.loc.first_line, first_column: e.hash.loc.first_column } } : {}) } };
      }
    },
    definition,
    id,
  );
  if ('error' in result) throw new DiagramError(describeRenderError(result.error as PageError, definition));
  const svg = result.svg;
  if (format === 'svg') return { format, data: svg };
  const element = await page.$('#container > svg');
  if (!element) throw new Error('mermaid produced no SVG element');
  const png = await element.screenshot({ type: 'png', omitBackground: false });
  return { format, data: new Uint8Array(png) };
}
