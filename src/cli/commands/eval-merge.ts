/**
 * `switchboard eval merge <shard.json…>`: rebuild one run's report from the JSON reports of its shards
 * (`--shard i/n`), apply the gates and write the reports. The merged statistics are computed by the
 * same code from the same attempts as a single run, so they are identical to it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, UsageError, useColor, type CliIo } from '../io.js';
import { buildReport } from '../../eval/report.js';
import { formatJsonReport } from '../../eval/reports/json.js';
import { formatJunit } from '../../eval/reports/junit.js';
import { formatMarkdown } from '../../eval/reports/markdown.js';
import { formatTerminal } from '../../eval/reports/terminal.js';
import { mergeShards, ShardError, type ShardReport } from '../../eval/shard.js';
import { STAY } from '../../eval/types.js';
import { gatedReport, gateSpec, writeReport, type EvalCommandOptions } from './eval-run.js';
import { checkOutputPaths } from './eval-setup.js';

export type MergeOptions = Pick<
  EvalCommandOptions,
  'reportJson' | 'junit' | 'markdown' | 'minAccuracy' | 'minRecall' | 'baseline' | 'maxDrop' | 'maxErrors' | 'failOnSignificantDrop' | 'allowErrors' | 'color'
>;

export const MERGE_OPTION_KEYS = ['reportJson', 'junit', 'markdown', 'minAccuracy', 'minRecall', 'baseline', 'maxDrop', 'maxErrors', 'failOnSignificantDrop', 'allowErrors', 'color'] as const;

export async function mergeCommand(files: readonly string[], options: MergeOptions, io: CliIo): Promise<number> {
  checkOutputPaths(
    io,
    [...files.map((path) => ({ flag: 'shard report', path })), { flag: '--baseline', path: options.baseline }],
    [
      { flag: '--report-json', path: options.reportJson },
      { flag: '--junit', path: options.junit },
      { flag: '--markdown', path: options.markdown },
    ],
  );
  const reports = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, file), 'utf8');
    } catch {
      throw new UsageError(`cannot read ${file}`);
    }
    try {
      return { file, report: JSON.parse(text) as ShardReport };
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON (${(error as Error).message})`);
    }
  });
  let merged;
  try {
    merged = mergeShards(reports);
  } catch (error) {
    if (error instanceof ShardError) throw new UsageError(error.message);
    throw error;
  }
  const gates = gateSpec({ ...options, dataset: '' }, io, [...merged.context.routes, STAY]);
  const report = gatedReport(buildReport(merged.outcome, merged.context), gates, options);
  const outputs = [options.reportJson, options.junit, options.markdown];
  if (outputs.filter((f) => f === '-').length > 1) throw new UsageError('only one report can go to standard output (-)');
  writeReport(options.reportJson, formatJsonReport(report), io);
  writeReport(options.junit, formatJunit(report), io);
  writeReport(options.markdown, formatMarkdown(report), io);
  const toStdout = outputs.includes('-');
  (toStdout ? io.stderr : io.stdout)(formatTerminal(report, { color: useColor(toStdout ? { ...io, isTTY: false } : io, options.color) }));
  if (report.interrupted) return EXIT.findings;
  return report.passed ? EXIT.ok : EXIT.findings;
}
