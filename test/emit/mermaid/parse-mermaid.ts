/**
 * Parses Mermaid in Node with the real mermaid parser, to assert what a renderer would understand:
 * the nodes with their labels and the edges. Mermaid needs a DOM to load, so jsdom's window is
 * installed before the (slow, ~2 s) dynamic import; call `loadMermaidParser` once per file.
 */
import { JSDOM } from 'jsdom';

export interface ParsedEdge {
  readonly start: string;
  readonly end: string;
  /** The label, decoded like `ParsedFlowchart.nodes`. */
  readonly text: string;
  readonly stroke: string;
}

export interface ParsedFlowchart {
  /** Node id → label with Mermaid entities decoded to characters and `<br>` to a newline. */
  readonly nodes: Map<string, string>;
  readonly edges: ParsedEdge[];
}

interface FlowDb {
  getVertices(): Map<string, { text?: string }>;
  getEdges(): { start: string; end: string; text?: string; stroke?: string }[];
}

export type MermaidParser = (text: string) => Promise<ParsedFlowchart>;

export async function loadMermaidParser(): Promise<MermaidParser> {
  const globals = globalThis as Record<string, unknown>;
  if (globals['window'] === undefined) {
    const { window } = new JSDOM('');
    globals['window'] = window;
    globals['document'] = window.document;
  }
  const { default: mermaid } = await import('mermaid');
  return async (text) => {
    // Throws `Parse error on line N` for invalid text.
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db as unknown as FlowDb;
    const nodes = new Map([...db.getVertices()].map(([id, vertex]) => [id, decodeMermaidLabel(vertex.text ?? '')]));
    const edges = db.getEdges().map((e) => ({ start: e.start, end: e.end, text: decodeMermaidLabel(e.text ?? ''), stroke: e.stroke ?? '' }));
    return { nodes, edges };
  };
}

const NAMED: Readonly<Record<string, string>> = { quot: '"', lt: '<', gt: '>', amp: '&' };

/**
 * Mermaid's parser replaces `#35;` with `ﬂ°°35¶ß` and `#quot;` with `ﬂ°quot¶ß` (turned into HTML
 * entities when rendering) and sanitises `<br/>` to `<br>`; this undoes both.
 */
export function decodeMermaidLabel(text: string): string {
  return text
    // One pass: a decoded `ﬂ` must not combine with the text after it.
    .replace(/ﬂ°(°?)(\w+)¶ß/g, (whole, numeric: string, name: string) => (numeric ? String.fromCodePoint(Number(name)) : (NAMED[name] ?? whole)))
    .replace(/<br>/g, '\n');
}
