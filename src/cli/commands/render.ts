import { lstatSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { display, filesUnder } from '../inputs.js';
import { loadConfig } from '../../config.js';
import { EXIT, UsageError, usageProblem, type CliIo } from '../io.js';
import { BROWSER_HELP, explicitBrowserProblem, findBrowser } from '../../render/find-browser.js';
import type { ImageFormat } from '../../render/render-diagrams.js';
import type { RenderProblem } from '../../render/render-errors.js';
import { readFileSafely, readTextFileSafely } from '../../source/read-file.js';
import { isGeneratedImage, markPng, markSvg } from '../../render/image-marker.js';
import { checkOutputFolder, writeAtomically } from '../../emit/write-output.js';
import { terminalLine } from '../../diagnostics/terminal-text.js';

/** Diagrams larger than this are not read (the generated ones are a few KiB). */
const MAX_DIAGRAM_BYTES = 1024 * 1024;
/** Existing images are read (safely) only to look for switchboard's mark. */
const MAX_EXISTING_IMAGE_BYTES = 64 * 1024 * 1024;

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
  const outDir = options.out ? resolve(io.cwd, options.out) : undefined;
  if (outDir) checkOutputFolder(outDir, io.cwd);
  const named = options.browser ?? loadConfig(io.cwd).config.browser;
  const badBrowser = explicitBrowserProblem(named, io.env);
  if (badBrowser) throw new UsageError(badBrowser);
  const browser = findBrowser(named, io.env);
  if (!browser) throw new UsageError(BROWSER_HELP);
  const formats: ImageFormat[] = options.format === 'both' ? ['svg', 'png'] : [options.format];
  const { createRenderer, DiagramError } = await import('../../render/render-diagrams.js');
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
  // Every message names the file as `file[:line:col]` and is escaped: diagrams may hold anything.
  const report = (diagram: string, problem: RenderProblem) => {
    failures++;
    const at = problem.position ? `:${problem.position.line}:${problem.position.column}` : '';
    io.stderr(`${io.isTTY ? '\n' : ''}${terminalLine(display(io.cwd, diagram))}${at} error ${terminalLine(problem.message)} [render]\n`);
  };
  try {
    for (const [index, diagram] of diagrams.entries()) {
      if (io.isTTY && !options.quiet) io.stderr(`\rrendering ${index + 1}/${diagrams.length} ${terminalLine(display(io.cwd, diagram))}\u001b[K`);
      // Regular UTF-8 files only: a FIFO does not hang, and a binary file is named, never echoed.
      const read = readTextFileSafely(diagram, { maxBytes: MAX_DIAGRAM_BYTES });
      if (!read.ok) {
        report(diagram, { message: read.problem === 'too-large' ? read.message : `file ${read.message}` });
        continue;
      }
      const definition = read.text.replace(/^\uFEFF/, '');
      if (definition.trim() === '') {
        report(diagram, { message: 'the diagram is empty', position: { line: 1, column: 1 } });
        continue;
      }
      for (const format of formats) {
        const target = outputPath(diagram, format, outDir);
        const refusal = replaceProblem(target, io.cwd);
        if (refusal) {
          report(diagram, { message: refusal });
          continue;
        }
        let image;
        try {
          image = await renderer.render(definition, format);
        } catch (error) {
          report(diagram, error instanceof DiagramError ? error.problem : { message: String((error as Error)?.message ?? error).split('\n')[0]! });
          continue;
        }
        const data = typeof image.data === 'string' ? markSvg(image.data, basename(diagram)) : markPng(image.data);
        try {
          // A temporary file renamed into place: an interrupted run never leaves half an image.
          writeAtomically(target, data, io.cwd);
        } catch (error) {
          // The output folder, not the diagram: a usage problem that ends the run.
          const problem = usageProblem(error);
          if (problem === undefined) throw error;
          throw error instanceof UsageError ? error : new UsageError(problem);
        }
        if (!io.isTTY && !options.quiet) io.stdout(`wrote ${terminalLine(display(io.cwd, target))}\n`);
      }
    }
  } finally {
    await renderer.close();
  }
  if (io.isTTY && !options.quiet) io.stderr(`\rrendered ${diagrams.length - failures}/${diagrams.length} diagrams\u001b[K\n`);
  return failures ? EXIT.findings : EXIT.ok;
}

/** Why an existing file must not be replaced by a rendered image, if it must not. */
function replaceProblem(target: string, cwd: string): string | undefined {
  let stats;
  try {
    stats = lstatSync(target);
  } catch {
    return undefined; // nothing there yet
  }
  const shown = terminalLine(display(cwd, target));
  if (stats.isSymbolicLink()) return `refusing to write through the symlink ${shown}`;
  if (!stats.isFile()) return `refusing to replace ${shown}: it is not a regular file`;
  const existing = readFileSafely(target, { maxBytes: MAX_EXISTING_IMAGE_BYTES });
  if (existing.ok && isGeneratedImage(existing.bytes)) return undefined;
  return `refusing to overwrite ${shown}: it was not rendered by switchboard (no "Generated by switchboard … DO NOT EDIT" mark); move it away or choose another --out folder`;
}

function outputPath(diagram: string, format: ImageFormat, outDir: string | undefined): string {
  const name = `${basename(diagram, '.mmd')}.${format}`;
  return outDir ? join(outDir, basename(dirname(diagram)), name) : join(dirname(diagram), name);
}
