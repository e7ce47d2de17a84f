/**
 * The only way user text enters the review page. The result is one line of inline Markdown that
 * renders as exactly the given text, both in a table cell and as a paragraph on its own: it cannot
 * end a cell, open a code span, link or image, form HTML, or start a heading, list or quote.
 */
export function markdownText(text: string, options: MarkdownTextOptions = {}): string {
  let escaped = text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/\t/g, ' ')
    .replace(LINE_BREAKS, '\n')
    .replace(CONTROL_EXCEPT_NEWLINE, '')
    // Bidi controls would reorder what the reviewer reads; show them by name instead.
    .replace(BIDI, showBidi)
    .trim()
    // `\` first, so the backslashes added below are not doubled.
    .replace(/[\\*[\]~$]/g, (char) => `\\${char}`)
    // Only an underscore at a word edge can start emphasis; `lookup_invoice` stays readable.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/[&<>|`]/g, (char) => ENTITIES[char]!)
    .replace(/\n/g, '<br>');
  if (options.inertLinks) escaped = breakAutolinks(escaped);
  // Block syntax only counts at the start of a line, and the text is a single line by now.
  return escaped.replace(/^(#|-|\+|=|\d+(?=[.)]))/, (marker) => (/^\d/.test(marker) ? `${marker}\\` : `\\${marker}`));
}

export interface MarkdownTextOptions {
  /**
   * Also keep GFM from turning bare URLs (`https://…`, `www.…`) and e-mail addresses into links, by
   * writing their `:`, `.` and `@` as character references (they render the same). For text that comes
   * from models or untrusted data, such as an eval report posted as a pull-request comment.
   */
  readonly inertLinks?: boolean;
}

/** Inline code showing exactly `text`: `<code>` around `markdownText`, so no backtick can end it early. */
export function markdownCode(text: string, options: MarkdownTextOptions = {}): string {
  return `<code>${markdownText(text, options)}</code>`;
}

/** The autolink triggers of GFM (and GitHub): a scheme's `:`, `www.` and `@`. */
function breakAutolinks(escaped: string): string {
  return escaped.replace(/:/g, '&#58;').replace(/(www)\./gi, '$1&#46;').replace(/@/g, '&#64;');
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '|': '&#124;', '`': '&#96;' };
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085]/g;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const showBidi = (char: string) => `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Text inside an HTML comment (the page's header): one line, no `>` to end it early, no bidi controls. */
export function htmlCommentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(BIDI, showBidi).replace(/>/g, '&gt;');
}

/** A Markdown table: header, delimiter and one row per entry, every cell passed through `markdownText`. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => markdownText(cell) || ' ').join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}
