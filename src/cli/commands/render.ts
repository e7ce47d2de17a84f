import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { display, filesUnder } from '../inputs.js';
import { loadConfig } from '../../config.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { BROWSER_HELP, findBrowser } from '../../render/find-browser.js';
import type { ImageFormat } from '../../render/render-diagrams.js';

interface RenderOptions {
  format: ImageFormat | 'both';
  out?: string;
  browser?: string;
  quiet?: boolean;
}

export function registerRender(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('render')
    .description('Render Mermaid diagrams (.mmd) to SVG or PNG offline, with one browser for all of them.')
    .argument('<paths...>', '.mmd files, or directories to search for them (e.g. generated/)')
    .addOption(new Option('-f, --format <format>', 'image format').choices(['svg', 'png', 'both']).default('svg'))
    .option('-o, --out <dir>', 'write images to <dir>/<folder>/<name>.<ext> instead of next to each .mmd')
    .option('-q, --quiet', 'print only problems')
    .option('--browser <path>', 'Chromium or Chrome executable (default: SWITCHBOARD_BROWSER, PUPPETEER_EXECUTABLE_PATH, then the usual paths)')
    .addHelpText('after', '\nExamples:\n  switchboard render generated/\n  switchboard render generated/support-desk/topology.mmd --format png --out review/')
    .action(async (paths: string[], options: RenderOptions) => setExit(await renderCommand(paths, options, io)));
}

function findDiagrams(paths: readonly string[], cwd: string): string[] {
  const found: string[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch {
      throw new UsageError(`no such file or directory: ${path}`);
    }
    if (isDirectory) found.push(...filesUnder(absolute, /\.mmd$/));
    else found.push(absolute);
  }
  if (found.length === 0) throw new UsageError(`no .mmd files in ${paths.join(', ')}`);
  return found;
}

async function renderCommand(paths: string[], options: RenderOptions, io: CliIo): Promise<number> {
  const diagrams = findDiagrams(paths, io.cwd);
  const browser = findBrowser(options.browser ?? loadConfig(io.cwd).config.browser, io.env);
  if (!browser) throw new UsageError(BROWSER_HELP);
  const formats: ImageFormat[] = options.format === 'both' ? ['svg', 'png'] : [options.format];
  const { createRenderer } = await import('../../render/render-diagrams.js');
  let renderer;
  try {
    renderer = await createRenderer(browser);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (package|module) '(puppeteer|@mermaid-js\/mermaid-cli)/.test(String(error))) {
      throw new UsageError('render needs the optional peer dependencies @mermaid-js/mermaid-cli and puppeteer: npm install -D @mermaid-js/mermaid-cli@~11.17.0 puppeteer@^24');
    }
    throw new UsageError(`could not start the browser ${browser}: ${(error as Error).message.split('\n')[0]}`);
  }
  let failures = 0;
  try {
    for (const [index, diagram] of diagrams.entries()) {
      if (io.isTTY && !options.quiet) io.stderr(`\rrendering ${index + 1}/${diagrams.length} ${display(io.cwd, diagram)}\u001b[K`);
      const definition = readFileSync(diagram, 'utf8');
      for (const format of formats) {
        const target = outputPath(diagram, format, options.out ? resolve(io.cwd, options.out) : undefined);
        try {
          const image = await renderer.render(definition, format);
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, image.data);
          if (!io.isTTY && !options.quiet) io.stdout(`wrote ${display(io.cwd, target)}\n`);
        } catch (error) {
          failures++;
          io.stderr(`${io.isTTY ? '\n' : ''}${display(io.cwd, diagram)}: error ${(error as Error).message.split('\n').slice(0, 3).join(' ')} [render]\n`);
        }
      }
    }
  } finally {
    await renderer.close();
  }
  if (io.isTTY && !options.quiet) io.stderr(`\rrendered ${diagrams.length - failures}/${diagrams.length} diagrams\u001b[K\n`);
  return failures ? EXIT.findings : EXIT.ok;
}

function outputPath(diagram: string, format: ImageFormat, outDir: string | undefined): string {
  const name = `${basename(diagram, '.mmd')}.${format}`;
  return outDir ? join(outDir, basename(dirname(diagram)), name) : join(dirname(diagram), name);
}
