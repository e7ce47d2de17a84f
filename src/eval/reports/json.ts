import type { EvalReport } from '../report.js';

/** The `--report-json` file: the report with two-space indentation and a final newline. */
export function formatJsonReport(report: EvalReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
