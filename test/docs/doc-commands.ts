/**
 * The shell commands a Markdown file shows a reader: every command of a ```sh / ```bash / ```shell
 * block (the `$ ` lines of a ```console transcript) (continuation lines joined, comments dropped; a `#!` script is one unit), every `run:` step of
 * a GitHub Actions ```yaml block, and every inline code span that is a complete command
 * (`npx switchboard validate topologies/`, `npm run docs:rules`, and in a table a bare
 * `switchboard rules`), not a name in prose or a synopsis with placeholders (`switchboard traffic`,
 * `switchboard diff <old> <new>`).
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';

export interface DocCommand {
  /** The file, relative to the repository root. */
  readonly file: string;
  readonly line: number;
  readonly kind: 'sh' | 'workflow' | 'inline';
  /** The command as a shell reads it: continuations joined, whitespace runs collapsed. */
  readonly text: string;
}

const SHELL_FENCE = /^(sh|bash|shell|zsh)$/;
const PLACEHOLDER = /[<>]|…|\.\.\.(?!\S)|\[[a-z][\w-]*\]/;
/** Inline spans that are whole commands: a switchboard subcommand with an argument, an npm script, node or tsx with a file. */
const INLINE_COMMAND = /^(?:[A-Z_]+=\S+ )*(?:(?:npx )?switchboard [a-z-]+ \S|npx tsx \S|npm (?:run \S|ci\b|test\b)|node \S)/;

/** In a table (README's commands), a bare subcommand is a command too: `switchboard rules`. */
const TABLE_COMMAND = /^(?:npx )?switchboard [a-z-]+$/;

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

export function docCommands(markdown: string, file: string): DocCommand[] {
  const out: DocCommand[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(\S*)\s*$/.exec(lines[i]!);
    if (fence) {
      const start = i + 1;
      let end = start;
      while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
      const body = lines.slice(start, end);
      // A console block is a transcript: its commands are the `$ ` lines, the rest is output.
      if (fence[2] === 'console') out.push(...shellCommands(body.map((l) => (l.startsWith('$ ') ? l.slice(2) : '')), file, start + 1));
      else if (SHELL_FENCE.test(fence[2]!)) out.push(...shellCommands(body, file, start + 1));
      else if (fence[2] === 'yaml') out.push(...workflowSteps(body.join('\n'), file, start + 1));
      i = end;
      continue;
    }
    for (const span of lines[i]!.matchAll(/(?<!`)`([^`\n]+)`(?!`)/g)) {
      const text = squash(span[1]!);
      const command = INLINE_COMMAND.test(text) || (lines[i]!.startsWith('|') && TABLE_COMMAND.test(text));
      if (command && !PLACEHOLDER.test(text)) out.push({ file, line: i + 1, kind: 'inline', text });
    }
  }
  return out;
}

function shellCommands(body: readonly string[], file: string, firstLine: number): DocCommand[] {
  if (body[0]?.startsWith('#!')) return [{ file, line: firstLine, kind: 'sh', text: body.join('\n').trim() }];
  const out: DocCommand[] = [];
  let pending = '';
  let pendingLine = 0;
  body.forEach((raw, index) => {
    const line = raw.replace(/\s+#\s.*$/, '');
    if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) return;
    if (pending === '') pendingLine = firstLine + index;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    out.push({ file, line: pendingLine, kind: 'sh', text: squash(pending + line) });
    pending = '';
  });
  return out;
}

/** `run:` values anywhere in a YAML block (workflow fragments are lists of steps). */
function workflowSteps(text: string, file: string, firstLine: number): DocCommand[] {
  const out: DocCommand[] = [];
  const lineOf = (offset: number) => firstLine + text.slice(0, offset).split('\n').length - 1;
  const walk = (node: Node | null | undefined): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.value === 'run' && isScalar(pair.value) && typeof pair.value.value === 'string') {
          const value = pair.value.value.trim();
          out.push({ file, line: lineOf(pair.value.range?.[0] ?? 0), kind: 'workflow', text: value.includes('\n') ? value : squash(value) });
        } else walk(pair.value as Node);
      }
    } else if (isSeq(node)) for (const item of node.items) walk(item as Node);
  };
  for (const doc of parseAllDocuments(text)) if ('contents' in doc) walk(doc.contents as Node);
  return out;
}
