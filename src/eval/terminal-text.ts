/**
 * The one way text from datasets, topologies, the command line or models reaches the terminal in
 * `eval` and `run`: control characters (ESC, OSC, CSI, BEL, CR, …) and bidi controls are shown as
 * `\uXXXX` escapes, so a case id or a model's reply cannot clear the screen, retitle the window, write
 * the clipboard or reorder what is read. It delegates to the diagnostics' `printable`, so the whole CLI
 * has one notion of terminal-safe text.
 */
import { printable } from '../diagnostics/format-pretty.js';

/** Text that may span lines (a model's reply): line feeds and tabs are kept, everything else escaped. */
export function terminalText(text: string): string {
  return printable(text.replace(/\r\n/g, '\n'));
}

/** Text for one line of output: line breaks and tabs become spaces, then as `terminalText`. */
export function terminalLine(text: string): string {
  return printable(text.replace(/\r\n|[\n\t]/g, ' '));
}
