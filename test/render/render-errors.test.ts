import { describe, expect, it } from 'vitest';
import { describeRenderError } from '../../src/render/render-errors.js';

describe('describeRenderError', () => {
  it('locates a parse error at the parser token, clamped to the file, without the echoed source', () => {
    const text = 'flowchart LR\n  a --> b\n  b -->\n';
    const error = {
      name: 'Error',
      message: "Parse error on line 5:\n...  a --> b  b -->\n-------------------^\nExpecting 'AMP', 'COLON', 'PIPE', 'TESTSTR', 'DOWN', 'DEFAULT', got 'EOF'",
      loc: { first_line: 3, first_column: 3 },
    };
    expect(describeRenderError(error, text)).toEqual({ message: "Parse error: expecting 'AMP', 'COLON', 'PIPE', 'TESTSTR', 'DOWN', …; got 'EOF'", position: { line: 3, column: 4 } });
    expect(describeRenderError({ ...error, loc: { first_line: 9, first_column: 50 } }, text).position).toEqual({ line: 4, column: 1 });
  });

  it('names a missing diagram type at 1:1 instead of quoting the file and a stack frame', () => {
    const problem = describeRenderError({ name: 'UnknownDiagramError', message: 'No diagram type detected matching given configuration for text: \u0000\u001b[2J' }, '\u0000\u001b[2J');
    expect(problem).toEqual({ message: 'no diagram type found: the first line must name one, such as `flowchart LR`', position: { line: 1, column: 1 } });
  });

  it('keeps only the first line of other errors, shortened', () => {
    const problem = describeRenderError({ message: `${'x'.repeat(500)}\n    at detectType (mermaid.min.js:265:74)` }, 'graph');
    expect(problem.position).toBeUndefined();
    expect(problem.message).toHaveLength(300);
    expect(problem.message).not.toContain('mermaid.min.js');
  });
});
