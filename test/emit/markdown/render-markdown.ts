/**
 * Renders Markdown to a DOM the way a GFM renderer would, to assert on what a reader sees rather
 * than on Markdown text. `marked` comes with mermaid (a devDependency), so it is always installed.
 */
import { JSDOM } from 'jsdom';
import { marked } from 'marked';

export function renderMarkdown(markdown: string): Document {
  const html = marked.parse(markdown, { gfm: true, async: false });
  return new JSDOM(html).window.document;
}

/** A cell's or paragraph's text as shown, with `<br>` read as a newline. */
export function shownText(element: Element): string {
  const copy = element.cloneNode(true) as Element;
  for (const br of copy.querySelectorAll('br')) br.replaceWith('\n');
  return copy.textContent ?? '';
}

/** The table following the `## title` heading, as rows of cell elements (header row first). */
export function tableAfter(document: Document, title: string): Element[][] {
  const heading = [...document.querySelectorAll('h2')].find((h) => h.textContent === title);
  const table = heading?.nextElementSibling;
  if (table?.tagName !== 'TABLE') throw new Error(`no table after "${title}"`);
  return [...table.querySelectorAll('tr')].map((row) => [...row.querySelectorAll('th, td')]);
}
