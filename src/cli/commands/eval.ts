import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { CliIo } from '../io.js';
import type { EvalCommandOptions, EvalDeps } from './eval-run.js';

/**
 * `switchboard eval <topology> --dataset <file>`: routing evaluation (docs/eval.md). The evaluation
 * modules are imported when the command runs, so other commands never pay for them.
 */
export function registerEval(program: Command, io: CliIo, setExit: (code: number) => void, deps: EvalDeps = {}): void {
  const evalCommand = program
    .command('eval')
    .description("Run a routing dataset through a topology's entry agent and score its handoffs (accuracy, per-route recall, cost, latency).")
    .argument('<topology>', 'the topology YAML file')
    .option('-d, --dataset <file>', 'the routing dataset (.yaml, or .jsonl with one case per line)')
    .option('--scenarios <file>', 'run multi-turn scenarios (scripted or simulated callers) instead of a routing dataset')
    .option('--full', 'run the whole turn (specialists and their tools too) instead of stopping after the routing decision')
    .option('--judge <model>', 'also score each handoff reason 1-5 with this model (reported beside accuracy, never mixed into it)')
    .option('--model <agent=model>', 'run an agent on another model (repeatable)', collect, [])
    .option('--compare <agent=model>', 'evaluate a second setting with these overrides, side by side (repeatable)', collect, [])
    .option('--repeat <n>', 'run each case n times to expose flaky routing', positiveInt, 1)
    .option('--concurrency <n>', 'cases in flight at once', positiveInt, 4)
    .option('--retries <n>', 'retries per model call on rate limits and transient errors', wholeNumber, 4)
    .option('--timeout <seconds>', 'per-case time limit (0: none)', seconds, 120)
    .option('--max-turns <n>', 'SDK maxTurns per case (default 10)', positiveInt)
    .option('--tag <tag>', 'only run cases with this tag (repeatable)', collect, [])
    .option('--max-cases <n>', 'refuse datasets with more cases than this (default 10000)', positiveInt)
    .option('--provider <module#export>', 'a ModelProvider module (default: OpenAI, using OPENAI_API_KEY)')
    .option('--record <cassette>', 'save every model request and response to a cassette file')
    .option('--replay <cassette>', 'serve every model response from a cassette: offline, no API key')
    .option('--prices <file.json>', 'token prices in USD per 1M tokens, merged over the built-in table')
    .option('--report-json <file>', 'write the JSON report (- for stdout)')
    .option('--junit <file>', 'write JUnit XML, a testcase per dataset case (- for stdout)')
    .option('--markdown <file>', 'write a Markdown summary for a pull-request comment (- for stdout)')
    .option('--html <file>', 'write a self-contained HTML report (heatmap, per-route bars, misrouted cases) for CI artifacts (- for stdout)')
    .option('--min-accuracy <ratio>', 'gate: exit 1 when accuracy is below this (0-1 or a percentage)', ratio('--min-accuracy'))
    .option('--min-recall <route=ratio>', 'gate: exit 1 when a route’s recall is below this (repeatable)', collect, [])
    .option('--baseline <report.json>', 'gate: compare accuracy with an earlier --report-json')
    .option('--max-drop <ratio>', 'with --baseline: the accuracy drop allowed (default 0)', ratio('--max-drop'))
    .option('--max-errors <n>', 'gate: exit 1 when more attempts than this fail with errors', wholeNumber)
    .option('--models <a,b,c>', "evaluate the entry agent on each of these models: accuracy, cost and latency side by side, the Pareto set marked")
    .option('--fail-on-significant-drop [alpha]', 'gate: exit 1 when a paired comparison (--baseline or --compare) shows a significant drop (exact McNemar, default alpha 0.05)', probability)
    .option('--cassette-note <text>', "with --record: a note kept in the cassette's metadata and shown in reports replayed from it")
    .option('--shard <i/n>', 'run every n-th case starting at the i-th, for CI matrix jobs (needs --report-json; combine with `switchboard eval merge`)')
    .option('--batch', "send the entry decisions through OpenAI's Batch API (lower price, asynchronous; routing mode only)")
    .option('--batch-id <id>', 'resume a submitted batch (printed by --batch) instead of submitting one')
    .option('--batch-poll <seconds>', 'with --batch: seconds between status checks (default 30)', seconds)
    .option('--batch-timeout <seconds>', 'with --batch: give up waiting after this long (default 86400; resume with --batch-id)', seconds)
    .option('--allow-errors', 'do not fail the run when attempts end in errors (by default any error exits 1)')
    .option('--progress', 'show a progress bar on stderr (default: when stderr is a terminal)')
    .option('--no-progress', 'never show the progress bar')
    .option('--root <dir>', 'project root that file references must stay inside (default: nearest package.json)')
    .option('--color', 'always colour the summary')
    .option('--no-color', 'never colour the summary (NO_COLOR is honoured too)')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 gates passed; 1 a gate failed, or the topology or dataset has errors; 2 bad usage; 130 interrupted by Ctrl-C, 143 by SIGTERM (partial report written).',
        '',
        'Examples:',
        '  switchboard eval topologies/support-desk.yaml -d evals/support-desk.routing.yaml',
        '  switchboard eval topologies/support-desk.yaml -d evals/support-desk.routing.yaml --record evals/support-desk.cassette.json',
        '  switchboard eval topologies/support-desk.yaml -d evals/support-desk.routing.yaml --replay evals/support-desk.cassette.json \\',
        '    --min-accuracy 0.9 --min-recall billing=0.9 --junit eval.xml --markdown eval.md',
        '  switchboard eval topologies/support-desk.yaml -d evals/support-desk.routing.yaml --compare triage=gpt-4.1-mini',
      ].join('\n'),
    )
    .action(async (topology: string, options: EvalCommandOptions) => {
      const { evalCommand } = await import('./eval-run.js');
      let abandoned = false;
      const code = await evalCommand(topology, options, io, { onAbandoned: () => (abandoned = true), ...deps });
      setExit(code);
      // A provider that ignored the abort signal may hold the event loop open for ever: the reports are
      // written, so end the process once its output is flushed.
      if (abandoned) exitAfterOutput(code);
    });
  evalCommand
    .command('merge')
    .description('Merge the JSON reports of --shard runs into the report of one run (identical statistics), and apply the gates.')
    .argument('<reports...>', 'the --report-json file of every shard')
    .option('--report-json <file>', 'write the merged JSON report (- for stdout)')
    .option('--junit <file>', 'write JUnit XML (- for stdout)')
    .option('--markdown <file>', 'write a Markdown summary (- for stdout)')
    .option('--min-accuracy <ratio>', 'gate: exit 1 when accuracy is below this', ratio('--min-accuracy'))
    .option('--min-recall <route=ratio>', 'gate: exit 1 when a route’s recall is below this (repeatable)', collect, [])
    .option('--baseline <report.json>', 'gate: compare with an earlier --report-json')
    .option('--max-drop <ratio>', 'with --baseline: the accuracy drop allowed (default 0)', ratio('--max-drop'))
    .option('--max-errors <n>', 'gate: exit 1 when more attempts than this fail with errors', wholeNumber)
    .option('--fail-on-significant-drop [alpha]', 'gate: exit 1 on a significant drop in a paired comparison (exact McNemar)', probability)
    .option('--allow-errors', 'do not fail when attempts ended in errors')
    .option('--color', 'always colour the summary')
    .option('--no-color', 'never colour the summary')
    .action(async (reports: string[], own: import('./eval-merge.js').MergeOptions) => {
      const { mergeCommand, MERGE_OPTION_KEYS } = await import('./eval-merge.js');
      // Options that `eval` also has are parsed by it (commander parses a parent's options after
      // the subcommand name too, unless the whole program uses positional options): take them from there.
      const parent = evalCommand.opts() as Record<string, unknown>;
      const pick = (key: string): unknown => {
        const mine = (own as Record<string, unknown>)[key];
        const theirs = parent[key];
        if (Array.isArray(mine) || Array.isArray(theirs)) return [...((theirs as unknown[]) ?? []), ...((mine as unknown[]) ?? [])];
        return mine ?? theirs;
      };
      const options = Object.fromEntries(MERGE_OPTION_KEYS.map((key) => [key, pick(key)]).filter(([, value]) => value !== undefined));
      setExit(await mergeCommand(reports, options as import('./eval-merge.js').MergeOptions, io));
    });
  evalCommand
    .command('lint')
    .description('Lint a routing dataset and show how it covers the topology: routes, hand-backs and escalations with no or few cases, label imbalance, near-duplicate inputs, unreachable labels. Runs nothing.')
    .argument('<topology>', 'the topology YAML file')
    .option('-d, --dataset <file>', 'the routing dataset')
    .option('--scenarios <file>', 'scenarios that also count as coverage (hand-backs, escalations)')
    .option('--min-cases <n>', 'fewer cases than this is too few (default 3)', positiveInt)
    .option('--max-imbalance <ratio>', 'largest label count / smallest allowed (default 3)', positiveNumber)
    .option('--similarity <ratio>', 'token similarity from which inputs are near-duplicates (default 0.8)', ratio('--similarity'))
    .option('--report-json <file>', 'write the coverage report as JSON (- for stdout)')
    .option('--root <dir>', 'project root (default: nearest package.json)')
    .option('--color', 'always colour diagnostics')
    .option('--no-color', 'never colour diagnostics')
    .action(async (topology: string, own: import('./eval-lint.js').LintOptions) => {
      const { lintCommand, LINT_OPTION_KEYS } = await import('./eval-lint.js');
      // As for merge: options `eval` also has may have been parsed by it.
      const parent = evalCommand.opts() as Record<string, unknown>;
      const options = Object.fromEntries(LINT_OPTION_KEYS.map((key) => [key, (own as Record<string, unknown>)[key] ?? parent[key]]).filter(([, value]) => value !== undefined));
      setExit(await lintCommand(topology, options as import('./eval-lint.js').LintOptions, io));
    });
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(parsed >= 1)) throw new InvalidArgumentError(`expected a number of at least 1, got "${value}"`);
  return parsed;
}

/** Exit with `code` once stdout and stderr have flushed what was written to them. */
export function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return Number(value);
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return Number(value);
}

function seconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InvalidArgumentError(`expected a number of seconds, got "${value}"`);
  return Number(value);
}

function ratio(flag: string): (value: string) => number {
  return (value) => {
    const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(value);
    const parsed = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN;
    if (!(parsed >= 0 && parsed <= 1)) throw new InvalidArgumentError(`${flag} expects a ratio between 0 and 1 (or a percentage), got "${value}"`);
    return parsed;
  };
}

function probability(value: string): number {
  const parsed = Number(value);
  if (!/^\s*(0?\.\d+|0|1)\s*$/.test(value) || !(parsed > 0 && parsed < 1)) throw new InvalidArgumentError(`expected a significance level between 0 and 1, e.g. 0.05; got "${value}"`);
  return parsed;
}
