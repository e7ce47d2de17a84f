/**
 * The one escaper for text that reaches a terminal (diagnostics, CLI messages, eval summaries).
 * User text (YAML values, file names, case ids, model output) can carry escape sequences that clear
 * the screen, set the title or write the clipboard (ESC, CSI, OSC), carriage returns that overwrite a
 * line, and bidi controls that reorder what the reader sees. Each of those is shown as a visible
 * `\uXXXX` escape instead; tabs and line feeds pass through.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Whether one character (code point) would be escaped by `terminalText`, or is a tab or line feed. */
export function isTerminalControl(ch: string): boolean {
  UNSAFE.lastIndex = 0;
  return ch === '\t' || ch === '\n' || UNSAFE.test(ch);
}

export function terminalText(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `terminalText` for one line: line breaks are escaped too, so the text cannot start a line of its own. */
export function terminalLine(s: string): string {
  return terminalText(s).replace(/\n/g, '\\n');
}
