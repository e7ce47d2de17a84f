import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { expandInputs } from '../inputs.js';
import { UsageError, type CliIo } from '../io.js';
import { discoveryFor, inputPaths } from './validate.js';

interface PreviewOptions {
  port?: string;
  root?: string;
  eval?: string;
  traces?: string[];
}

export function registerPreview(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('preview')
    .description('Serve a live preview on 127.0.0.1: the diagram, diagnostics linked to their nodes, agent details, a diff between git revisions, the eval report and traffic from traces drawn on the diagram.')
    .argument('[paths...]', 'YAML files or folders (default: `inputs` from the config file)')
    .option('-p, --port <port>', 'port to listen on (default: a free one)')
    .option('--root <dir>', 'project root that file references must stay inside')
    .option('--eval <report.json>', 'an eval report (`switchboard eval --report-json`) to show; read again on every page load')
    .option('--traces <paths...>', 'trace files or folders (switchboard/tracing JSONL or the SDK export format) to overlay on the diagram (default: traces/<name>.jsonl and traces/<name>/ when they exist); read again when they change')
    .addHelpText('after', '\nExamples:\n  switchboard preview topologies/support-desk.yaml\n  switchboard preview topologies/ --port 4000 --eval eval.json\n  switchboard preview topologies/support-desk.yaml --traces docs/examples/support-desk.traces.jsonl\n\nOpen the printed URL (it carries a random token). Stops on Ctrl-C.')
    .action(async (paths: string[], options: PreviewOptions) => setExit(await previewCommand(paths, options, io)));
}

async function previewCommand(paths: string[], options: PreviewOptions, io: CliIo): Promise<number> {
  const loaded = loadConfig(io.cwd);
  const { config } = loaded;
  const inputs = expandInputs(inputPaths(paths, config), io.cwd, discoveryFor(io.cwd, loaded));
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not ${options.port}`);
  const [{ startPreviewServer }, { renderEvalHtml }] = await Promise.all([import('../../preview/server.js'), import('../../eval/reports/html.js')]);
  const root = options.root ?? config.root;
  const rootPath = root ? resolve(io.cwd, root) : undefined;
  const traces = options.traces?.map((path) => resolve(io.cwd, path));
  const missing = options.traces?.filter((_, i) => !existsSync(traces![i]!));
  if (missing?.length) throw new UsageError(`--traces: no such file or folder: ${missing.join(', ')}`);
  let server;
  try {
    server = await startPreviewServer({
      inputs,
      assetsDir: fileURLToPath(new URL('../preview-client/', import.meta.url)),
      port,
      cwd: io.cwd,
      validate: { ...(rootPath ? { root: rootPath } : {}), ...(config.rules ? { ruleSettings: config.rules } : {}) },
      ...(options.eval ? { evalReport: resolve(io.cwd, options.eval) } : {}),
      ...(traces ? { traces } : {}),
      renderEval: (json, file) => renderEvalHtml(json, file),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use; pick another with --port, or leave it out for a free one`);
    throw error;
  }
  io.stdout(`switchboard preview: ${server.url}\n`);
  io.stderr(`[preview] watching ${inputs.map((i) => i.displayPath).join(', ')} (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  return 0;
}
