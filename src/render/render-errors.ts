import type { Position } from '../diagnostics/types.js';

/** A render failure reduced to what a reader needs: a one-line message and, when Mermaid says, where. */
export interface RenderProblem {
  readonly message: string;
  readonly position?: Position;
}

/** What crosses back from the page when `mermaid.render` throws (an Error does not survive serialising). */
export interface PageError {
  readonly name?: string;
  readonly message?: string;
  /** Jison parsers attach the failing token's location (1-based lines, 0-based columns). */
  readonly loc?: { readonly first_line?: number; readonly first_column?: number };
}

const MAX_MESSAGE = 300;

/**
 * Turn Mermaid's error into a message without stack frames or the echoed source (its "Parse error on
 * line N" counts lines after its own preprocessing, and its excerpt may quote binary or hostile text),
 * located with the parser's token position clamped to the file.
 */
export function describeRenderError(error: PageError, definition: string): RenderProblem {
  const lines = definition.split(/\r\n|\r|\n/);
  if (error.name === 'UnknownDiagramError') {
    return { message: 'no diagram type found: the first line must name one, such as `flowchart LR`', position: { line: 1, column: 1 } };
  }
  const text = String(error.message ?? 'rendering failed');
  const expecting = /^Expecting (.*)$/m.exec(text)?.[1];
  const head = text.split('\n')[0]!.replace(/ on line \d+:?$/, '').replace(/:$/, '') || 'rendering failed';
  let message = expecting ? `${head}: expecting ${shorten(expecting)}` : head;
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE - 1)}…`;
  const line = error.loc?.first_line;
  if (typeof line !== 'number' || line < 1) return { message };
  const clamped = Math.min(line, lines.length);
  const column = Math.min((error.loc?.first_column ?? 0) + 1, (lines[clamped - 1]?.length ?? 0) + 1);
  return { message, position: { line: clamped, column: Math.max(1, column) } };
}

/** "'A', 'B', … got 'EOF'" with at most five alternatives. */
function shorten(expecting: string): string {
  const [alternatives, got] = expecting.split(/, got /);
  const names = (alternatives ?? '').split(', ');
  const listed = names.length > 5 ? `${names.slice(0, 5).join(', ')}, …` : names.join(', ');
  return got ? `${listed}; got ${got}` : listed;
}
