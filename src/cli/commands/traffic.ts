import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { readTextFileSafely } from '../../source/read-file.js';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { printable } from '../../diagnostics/format-pretty.js';
import { validateFile } from '../../validate.js';
import { display } from '../inputs.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { reportResults } from './validate.js';
import { positiveInteger } from './routes.js';
import type { AnalysisFormat } from '../../analysis/format-routes.js';
import type { Redactor } from '../../analysis/draft-dataset.js';

interface TrafficOptions {
  format: AnalysisFormat;
  prices?: string;
  collapseBelow?: number;
  evalReport?: string;
  toDataset?: string;
  perRoute?: number;
  redact?: string;
  root?: string;
}

/** Largest trace file read (each is read whole; rotate with the processor's maxBytes). */

function share(value: string): number {
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !(n > 0 && n < 1)) throw new InvalidArgumentError(`expected a share between 0 and 1, e.g. 0.1, got "${value}"`);
  return n;
}

/** `switchboard traffic <topology> <traces…>`: per-route traffic from traces, and the advice it supports. */
export function registerTraffic(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('traffic')
    .description('Count real traffic per route from trace files (switchboard/tracing JSONL or the SDK export format): volume, share, hand-backs, ping-pong, escalations, max-turns, latency and cost, with collapse advice.')
    .argument('<topology>', 'the topology YAML file the traces were produced by')
    .argument('<traces...>', 'trace files (JSONL from JsonlTraceProcessor, or SDK-exported traces)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'json', 'markdown', 'mermaid']).default('pretty'))
    .option('--prices <file>', 'token prices in USD per 1M tokens, merged over the built-in table (docs/eval.md)')
    .option('--collapse-below <share>', 'suggest collapsing specialists with a smaller share of conversations (default 0.1)', share)
    .option('--eval-report <file>', 'an eval --report-json file: compare its entry models\' accuracy with their cost on this traffic')
    .option('--to-dataset <file>', 'also write a draft routing dataset of sampled caller inputs (never overwrites)')
    .option('--per-route <n>', 'cases per route in the draft dataset (default 20)', positiveInteger)
    .option('--redact <module#export>', 'a function (text, { route }) => string run on every sampled input, after the built-in email/phone redaction')
    .option('--root <dir>', 'project root that file references must stay inside (default: nearest package.json)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  switchboard traffic topologies/support-desk.yaml docs/examples/support-desk.traces.jsonl',
        '  switchboard traffic topologies/support-desk.yaml traces/*.jsonl --format markdown --collapse-below 0.15',
        '  switchboard traffic topologies/support-desk.yaml traces/*.jsonl --eval-report eval-mini.json',
        '  switchboard traffic topologies/support-desk.yaml traces/*.jsonl --to-dataset evals/draft.routing.yaml --redact ./redact.ts#redact',
      ].join('\n'),
    )
    .action(async (file: string, traces: string[], options: TrafficOptions) => setExit(await trafficCommand(file, traces, options, io)));
}

async function trafficCommand(file: string, traceFiles: readonly string[], options: TrafficOptions, io: CliIo): Promise<number> {
  const absolute = resolve(io.cwd, file);
  const result = validateFile(absolute, { displayPath: display(io.cwd, absolute), ...(options.root ? { root: resolve(io.cwd, options.root) } : {}) });
  if (!result.topology || !result.ok) {
    reportResults([result], { format: 'pretty' }, { ...io, stdout: io.stderr });
    return EXIT.findings;
  }
  const target = options.toDataset ? resolve(io.cwd, options.toDataset) : undefined;
  if (target && existsSync(target)) throw new UsageError(`--to-dataset: ${options.toDataset} already exists; choose a new file (it is never overwritten)`);
  const [{ parseTraceText, MAX_TRACE_BYTES }, { analyseTraffic, conversationsOf }, { formatTraffic, trafficAnnotations }, { emitFlowchart }, prices] = await Promise.all([
    import('../../analysis/traces.js'),
    import('../../analysis/traffic.js'),
    import('../../analysis/format-traffic.js'),
    import('../../emit/mermaid/emit-flowchart.js'),
    import('../../eval/prices.js'),
  ]);
  let priceTable = prices.DEFAULT_PRICES;
  if (options.prices) {
    try {
      priceTable = prices.parsePriceTable(readSmallText(resolve(io.cwd, options.prices)));
    } catch (error) {
      throw new UsageError(`--prices ${options.prices}: ${(error as Error).message}`);
    }
  }
  let evalReport: unknown;
  if (options.evalReport) {
    try {
      evalReport = JSON.parse(readSmallText(resolve(io.cwd, options.evalReport)));
    } catch (error) {
      throw new UsageError(`--eval-report ${options.evalReport}: ${(error as Error).message}`);
    }
    if (!Array.isArray((evalReport as { runs?: unknown })?.runs)) throw new UsageError(`--eval-report ${options.evalReport}: not an eval report (expected the JSON of switchboard eval --report-json)`);
  }

  let parsed = { traces: [], errors: [], records: 0 } as ReturnType<typeof parseTraceText>;
  const shown: string[] = [];
  for (const traceFile of traceFiles) {
    const path = resolve(io.cwd, traceFile);
    const name = display(io.cwd, path);
    shown.push(name);
    // The safe reader: a FIFO or /dev/zero named as a trace file must not hang or exhaust memory.
    const read = readTextFileSafely(path, { maxBytes: MAX_TRACE_BYTES });
    if (!read.ok) {
      const rotate = read.problem === 'too-large' ? '; rotate trace files smaller (JsonlTraceProcessor maxBytes)' : '';
      parsed.errors.push({ file: name, line: 0, message: `${read.message}${rotate}` });
      continue;
    }
    parsed = parseTraceText(read.text, name, parsed);
  }
  if (parsed.errors.length > 0) {
    for (const e of parsed.errors) io.stderr(printable(`${e.file}${e.line > 0 ? `:${e.line}` : ''}: ${e.message}`) + '\n');
    io.stderr(`switchboard: ${parsed.errors.length} unreadable trace record${parsed.errors.length === 1 ? '' : 's'}; nothing was analysed\n`);
    return EXIT.findings;
  }

  const topology = result.topology;
  const report = analyseTraffic(topology, parsed.traces, { prices: priceTable, ...(options.collapseBelow !== undefined ? { collapseShare: options.collapseBelow } : {}), ...(evalReport !== undefined ? { evalReport } : {}) });
  const diagram = options.format === 'markdown' || options.format === 'mermaid' ? emitFlowchart(topology, { source: result.file, annotations: trafficAnnotations(report) }) : undefined;

  if (target) {
    const { draftDataset } = await import('../../analysis/draft-dataset.js');
    const redact = options.redact ? await loadRedactor(options.redact, io.cwd) : undefined;
    let draft: Awaited<ReturnType<typeof draftDataset>>;
    try {
      draft = await draftDataset(conversationsOf(topology, parsed.traces, priceTable), { topology: topology.name, source: shown.join(', '), ...(options.perRoute ? { perRoute: options.perRoute } : {}), ...(redact ? { redact } : {}) });
    } catch (error) {
      throw new UsageError(`--redact ${options.redact}: the redaction hook failed: ${(error as Error)?.message ?? String(error)}`);
    }
    try {
      writeFileSync(target, draft.text, { flag: 'wx' });
    } catch (error) {
      throw new UsageError(`--to-dataset: cannot write ${options.toDataset}: ${(error as Error).message}`);
    }
    const skipped = draft.withoutInput > 0 ? `; ${draft.withoutInput} conversations had no recorded input (JsonlTraceProcessor captureInput)` : '';
    io.stderr(printable(`Wrote ${draft.cases} draft cases to ${options.toDataset} (${draft.duplicates} duplicates dropped${skipped}). Review every label before use.`) + '\n');
  }
  io.stdout(formatTraffic(options.format, { files: shown, report, ...(diagram ? { diagram } : {}) }));
  return EXIT.ok;
}

async function loadRedactor(spec: string, cwd: string): Promise<Redactor> {
  const hash = spec.lastIndexOf('#');
  const path = hash === -1 ? spec : spec.slice(0, hash);
  const exportName = hash === -1 ? 'default' : spec.slice(hash + 1);
  if (path === '' || exportName === '') throw new UsageError(`--redact expects path#export, got "${spec}"`);
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(absolute)) throw new UsageError(`--redact: no such file: ${path}`);
  const { tsImport } = await import('tsx/esm/api');
  let module: Record<string, unknown>;
  try {
    module = (await tsImport(pathToFileURL(absolute).href, pathToFileURL(`${cwd}/`).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--redact: cannot load ${path}: ${(error as Error).message}`);
  }
  const value = module[exportName];
  if (typeof value !== 'function') throw new UsageError(`--redact: ${path}#${exportName} is not a function (text, { route }) => string`);
  return value as Redactor;
}

/** A price table or eval report, read through the safe reader; its failure message becomes the usage error. */
function readSmallText(path: string): string {
  const read = readTextFileSafely(path, { maxBytes: 64 * 1024 * 1024 });
  if (!read.ok) throw new Error(read.message);
  return read.text;
}
