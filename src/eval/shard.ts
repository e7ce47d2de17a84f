/**
 * Sharding for CI matrix jobs (`--shard i/n`, `switchboard eval merge`), the convention of vitest and
 * Playwright. A shard runs every n-th case (by dataset position) and its JSON report carries the raw
 * attempts, the cases and the price table, so merging rebuilds the outcome of a single run and the
 * merged report is computed by the same code from the same data: identical to a single run's.
 */
import type { Dataset, EvalCase } from './dataset.js';
import type { PriceTable } from './prices.js';
import type { EvalReport, ReportContext } from './report.js';
import type { EvalOutcome, SettingResult } from './runner.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export class ShardError extends Error {
  override readonly name = 'ShardError';
}

/** `2/3` → { index: 2, count: 3 }. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) throw new ShardError(`--shard expects <index>/<count> with 1 ≤ index ≤ count, e.g. 2/3; got "${text}"`);
  return { index, count };
}

/** The cases of one shard: every count-th case, starting at index − 1, with their dataset positions. */
export function selectShard(dataset: Dataset, shard: Shard): { dataset: Dataset; positions: number[] } {
  const positions: number[] = [];
  const cases: EvalCase[] = [];
  dataset.cases.forEach((c, i) => {
    if (i % shard.count === shard.index - 1) {
      positions.push(i);
      cases.push(c);
    }
  });
  return { dataset: { ...dataset, cases }, positions };
}

/** What a shard's report carries for `merge` (field `shard` of the JSON report). */
export interface ShardPayload {
  readonly index: number;
  readonly count: number;
  /** Cases in the whole (tag-filtered) dataset, so merge can tell when a shard is missing. */
  readonly totalCases: number;
  /** This shard's cases with their positions in the whole dataset. */
  readonly cases: readonly { readonly position: number; readonly case: EvalCase }[];
  readonly settings: readonly SettingResult[];
  readonly context: Omit<ReportContext, 'dataset' | 'prices'> & { readonly datasetFile: string; readonly datasetTopology?: string; readonly datasetDescription?: string };
  readonly prices: PriceTable;
}

export function shardPayload(shard: Shard, totalCases: number, positions: readonly number[], outcome: EvalOutcome, context: ReportContext): ShardPayload {
  const { dataset, prices, ...rest } = context;
  return {
    index: shard.index,
    count: shard.count,
    totalCases,
    cases: dataset.cases.map((c, i) => ({ position: positions[i]!, case: c })),
    settings: outcome.settings,
    context: {
      ...rest,
      datasetFile: dataset.file,
      ...(dataset.topology !== undefined ? { datasetTopology: dataset.topology } : {}),
      ...(dataset.description !== undefined ? { datasetDescription: dataset.description } : {}),
    },
    prices,
  };
}

/** A shard report as `--report-json` wrote it (the payload under `shard`). */
export type ShardReport = EvalReport & { readonly shard?: ShardPayload };

/**
 * Rebuild one run's outcome and report context from every shard of it. Throws ShardError when the
 * shards do not make up exactly one run (missing, repeated or from different runs).
 */
export function mergeShards(reports: readonly { readonly file: string; readonly report: ShardReport }[]): { outcome: EvalOutcome; context: ReportContext } {
  if (reports.length === 0) throw new ShardError('give the JSON reports of every shard (written with --shard i/n --report-json)');
  const payloads = reports.map(({ file, report }) => {
    if (!report.shard) throw new ShardError(`${file} is not a shard report (run eval with --shard i/n --report-json)`);
    return { file, shard: report.shard };
  });
  const first = payloads[0]!.shard;
  const seen = new Map<number, string>();
  for (const { file, shard } of payloads) {
    if (shard.count !== first.count) throw new ShardError(`${file} is shard ${shard.index}/${shard.count}, but ${payloads[0]!.file} is one of ${first.count}`);
    if (JSON.stringify(shard.context) !== JSON.stringify(first.context) || shard.totalCases !== first.totalCases || JSON.stringify(shard.prices) !== JSON.stringify(first.prices)) {
      throw new ShardError(`${file} comes from a different run than ${payloads[0]!.file} (topology, dataset, settings or prices differ)`);
    }
    if (JSON.stringify(shard.settings.map((s) => [s.label, s.overrides, s.models])) !== JSON.stringify(first.settings.map((s) => [s.label, s.overrides, s.models]))) {
      throw new ShardError(`${file} ran other settings than ${payloads[0]!.file}`);
    }
    const again = seen.get(shard.index);
    if (again) throw new ShardError(`shard ${shard.index}/${shard.count} is given twice (${again} and ${file})`);
    seen.set(shard.index, file);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new ShardError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.count}`).join(', ')}: merge needs every shard`);

  const cases = payloads.flatMap(({ shard }) => shard.cases).sort((a, b) => a.position - b.position);
  if (cases.length !== first.totalCases) throw new ShardError(`the shards hold ${cases.length} cases, the run had ${first.totalCases}`);
  const order = new Map(cases.map((c, i) => [c.case.id, i]));
  const settings: SettingResult[] = first.settings.map((setting, s) => ({
    label: setting.label,
    overrides: setting.overrides,
    models: setting.models,
    attempts: payloads
      .flatMap(({ shard }) => shard.settings[s]!.attempts)
      .sort((a, b) => order.get(a.caseId)! - order.get(b.caseId)! || a.repeat - b.repeat),
  }));
  const interrupted = reports.some(({ report }) => report.interrupted);
  const { datasetFile, datasetTopology, datasetDescription, ...rest } = first.context;
  const dataset: Dataset = {
    file: datasetFile,
    ...(datasetTopology !== undefined ? { topology: datasetTopology } : {}),
    ...(datasetDescription !== undefined ? { description: datasetDescription } : {}),
    cases: cases.map((c) => c.case),
  };
  return { outcome: { settings, interrupted }, context: { ...rest, dataset, prices: first.prices } };
}
