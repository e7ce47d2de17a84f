/**
 * The only ways user text enters a Mermaid diagram: labels through `mermaidLabel` (or
 * `escapeMermaidText` when composing a label around it), node ids through `nodeId`. Unquoted or
 * half-escaped labels fail silently (`"hi"` loses its quotes, `#1;` becomes U+0001, `<b>` turns
 * bold), and some ids (`end`, `graph`, `click`, …) break or silently empty the whole graph.
 */

/**
 * Characters that must become Mermaid entities (`#name;` or `#<decimal>;`, which Mermaid turns into
 * HTML entities when rendering). `#` comes first so the entities added later are not re-escaped.
 * Beyond the five that break parsing: a backtick would open a Markdown string, `%` could form a
 * `%%{…}%%` directive, and `:` lets Mermaid's `style.*:\S*#.*;` pre-pass eat the `;` of a later
 * entity on the line.
 */
const ENTITIES: readonly (readonly [RegExp, string])[] = [
  [/#/g, '#35;'],
  [/"/g, '#quot;'],
  [/</g, '#lt;'],
  [/>/g, '#gt;'],
  [/&/g, '#amp;'],
  [/`/g, '#96;'],
  [/%/g, '#37;'],
  [/:/g, '#58;'],
];

const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085]/g;
// Tabs read as spaces; other control characters are invalid in the SVG's XML or invisible.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * Bidi controls (embeddings, overrides, isolates and the marks) would reorder what a reviewer reads,
 * in the `.mmd` file, in the Mermaid block of TOPOLOGY.md and in the rendered diagram alike; they are
 * shown by name (`U+202E`), as the review page's Markdown does.
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const showBidi = (char: string) => `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Any text as the inside of a quoted Mermaid label: entities for syntax, `<br/>` for line breaks. */
export function escapeMermaidText(text: string): string {
  let out = text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/\t/g, ' ')
    // `ﬂ°` starts Mermaid's internal entity placeholder, which it decodes in the finished SVG, where
    // no escape survives; the ligature's plain spelling keeps user text from forming `&…;` there.
    .replace(/\uFB02/g, 'fl')
    .replace(BIDI, showBidi);
  for (const [pattern, entity] of ENTITIES) out = out.replace(pattern, entity);
  return out
    .split(LINE_BREAKS)
    .map((line) => line.replace(CONTROL, ''))
    .join('<br/>');
}

/**
 * Text for a `%%` comment line (the header's source path): one line, no `%%` (Mermaid applies
 * `%%{init: …}%%` directives even inside comments), and no bidi controls.
 */
export function mermaidCommentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(BIDI, showBidi).replace(/%(?=%)/g, '% ');
}

/** A quoted Mermaid label (`"…"`) showing `text` as written, for node `id[…]` and edge `|…|` positions. */
export function mermaidLabel(text: string): string {
  // `""` is a parse error; a blank label is not.
  return `"${escapeMermaidText(text) || ' '}"`;
}

export type NodeKind = 'agent' | 'tool' | 'human';

const PLAIN_ID = /^[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*$/;

/**
 * A Mermaid node id matching `[A-Za-z_][A-Za-z0-9_]*`: `nodeId('agent', 'triage')` → `agent_triage`,
 * `nodeId('human')` → `human`. The kind prefix keeps keywords (`end`, `click`) from ever being ids.
 *
 * Ids of letters and digits joined by single underscores pass through unchanged. Any other id has
 * each remaining character replaced by `_`, then `__` and the hex code points of the replaced
 * characters joined by `_` (`tech-support` → `tech_support__2d`). A plain id never contains `__`,
 * and the replaced count is recoverable from the underscore count, so distinct ids never collide.
 */
export function nodeId(kind: NodeKind, id?: string): string {
  if (id === undefined) return kind;
  if (PLAIN_ID.test(id)) return `${kind}_${id}`;
  let base = '';
  const codes: string[] = [];
  for (const char of id) {
    if (/^[A-Za-z0-9]$/.test(char)) {
      base += char;
    } else {
      base += '_';
      codes.push(char.codePointAt(0)!.toString(16));
    }
  }
  return `${kind}_${base}__${codes.join('_')}`;
}
