import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/types.js';
import { emitReviewPage } from '../../../src/emit/markdown/emit-review-page.js';
import { markdownText } from '../../../src/emit/markdown/escape-markdown.js';
import { emitFlowchart } from '../../../src/emit/mermaid/emit-flowchart.js';
import type { Topology } from '../../../src/model/types.js';
import { validateFile } from '../../../src/validate.js';
import { fromRoot } from '../../helpers/paths.js';
import { SMALL_STAR, validateInline } from '../mermaid/build-topology.js';
import { renderMarkdown, shownText, tableAfter } from './render-markdown.js';

const HOSTILE = [
  'pipe | inside | cells',
  'line one\nline two\r\n\nline four',
  '<script>alert(1)</script><img src=x onerror=alert(1)> <b>bold</b> &amp; &lt;',
  '[link](javascript:alert(1)) ![img](http://x/y.png) <http://x> [^1] [ref]: http://x',
  '`code` ``` fence ``` ~~strike~~ *em* **strong** _em_ __strong__ $x$',
  '# heading',
  '- list item',
  '1. ordered',
  '> quote',
  '    indented code',
  '---',
  '\\*not em\\* back\\slash',
  '<!-- comment -->',
];

/** What a reader should see: the original with line breaks unified, tabs as spaces, trimmed. */
const shown = (text: string) => text.replace(/\r\n|\r/g, '\n').replace(/\t/g, ' ').trim();

function page(topology: Topology, diagnostics: readonly Diagnostic[] = [], source = 'test/emit/mermaid/inline.yaml'): string {
  return emitReviewPage({ topology, diagnostics, mermaid: emitFlowchart(topology, { source }), source });
}

function example(name: string) {
  const result = validateFile(fromRoot(`topologies/${name}.yaml`), { displayPath: `topologies/${name}.yaml` });
  expect(result.diagnostics).toEqual([]);
  return result.topology!;
}

describe('emitReviewPage', () => {
  it.each(['support-desk', 'clinic-scheduling', 'support-desk-mcp'])('matches the golden review page of %s', async (name) => {
    const text = page(example(name), [], `topologies/${name}.yaml`);
    await expect(text).toMatchFileSnapshot(`./__goldens__/${name}.TOPOLOGY.md`);
  });

  it('renders one table row per agent, edge and tool, and the diagram verbatim', () => {
    const topology = example('clinic-scheduling');
    const mermaid = emitFlowchart(topology);
    const document = renderMarkdown(emitReviewPage({ topology, diagnostics: [], mermaid, source: 'x.yaml' }));
    expect(tableAfter(document, 'Agents')).toHaveLength(1 + topology.agents.length);
    expect(tableAfter(document, 'Edges')).toHaveLength(1 + topology.edges.length);
    expect(tableAfter(document, 'Tools')).toHaveLength(1 + topology.tools.length);
    expect(document.querySelector('code.language-mermaid')?.textContent?.trimEnd()).toBe(mermaid.trimEnd());
    const findings = [...document.querySelectorAll('h2')].find((h) => h.textContent === 'Validator findings');
    expect(findings?.nextElementSibling?.textContent).toBe('None.');
  });

  it('lists MCP servers with where they run, their filters and who uses them, and hosted tools per agent', () => {
    const mcp = tableAfter(renderMarkdown(page(example('support-desk-mcp'))), 'MCP servers').map((row) => row.map(shownText));
    expect(mcp).toEqual([
      ['Id', 'Transport', 'Runs', 'Tool filter', 'Used by'],
      ['helpdesk', 'stdio', 'node --import tsx support-desk-mcp/helpdesk-server.ts', 'not purge_call_recordings', 'billing (only escalate_to_human), tech'],
    ]);
    const result = validateFile(fromRoot('test/fixtures/rules/hosted-tool-options/pass.yaml'), { displayPath: 'pass.yaml' });
    const document = renderMarkdown(page(result.topology!));
    expect(tableAfter(document, 'Hosted tools').map((row) => row.map(shownText))).toEqual([
      ['Agent', 'Hosted tool', 'Options'],
      ['helper', 'file_search', 'vectorStoreIds: ["vs_1"], maxNumResults: 5'],
      ['helper', 'web_search', 'searchContextSize: "low"'],
      ['helper', 'image_generation', 'outputFormat: "webp", outputCompression: 50'],
    ]);
    expect([...document.querySelectorAll('h2')].map((h) => h.textContent)).not.toContain('MCP servers');
    expect(emitFlowchart(result.topology!)).toContain('<small>file search · web search · image generation</small>');
  });

  it('describes edges by input, resolved filter steps, hook and hand-back', () => {
    const rows = tableAfter(renderMarkdown(page(validateInline(SMALL_STAR).topology)), 'Edges').map((row) => row.map(shownText));
    expect(rows).toEqual([
      ['From', 'To', 'Input', 'Filter steps', 'onHandoff', 'Hand-back'],
      ['hub', 'billing', 'Reason', 'clean: removeAllTools', '../../../topologies/support-desk/hooks.ts#logHandoff', 'no'],
      ['hub', 'tech-support', 'inline: fault', '—', '—', 'no'],
      ['billing', 'hub', '—', 'removeReasoning → keepLast 4', '—', 'yes'],
      ['tech-support', 'hub', '—', 'removeReasoning → keepLast 4', '—', 'yes'],
    ]);
  });

  it('lists warnings with file:line:col, rule id and message', () => {
    const result = validateInline(SMALL_STAR.replace('filters:\n', 'filters:\n  spare: [removeAllTools]\n'));
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
    expect(warnings.map((d) => d.ruleId)).toEqual(['unused-definition']);
    const rows = tableAfter(renderMarkdown(page(result.topology, result.diagnostics)), 'Validator findings').map((row) => row.map(shownText));
    expect(rows).toEqual([
      ['Location', 'Rule', 'Severity', 'Message'],
      [`test/emit/mermaid/inline.yaml:${warnings[0]!.range!.start.line}:${warnings[0]!.range!.start.column}`, 'unused-definition', 'warning', 'filter `spare` is declared but never used'],
    ]);
  });

  it('keeps hostile descriptions, names and messages inside their cells as plain text', () => {
    const base = validateInline(SMALL_STAR).topology;
    const agents = base.agents.map((agent, i) => ({ ...agent, name: HOSTILE[i]!, handoffDescription: { value: HOSTILE[i + 3]!, pointer: '' } }));
    const topology: Topology = { ...base, agents, description: HOSTILE.join('\n') };
    const diagnostics: Diagnostic[] = HOSTILE.map((message) => ({ ruleId: 'x|y', severity: 'warning', message, file: 'a|b.yaml', pointer: '' }));
    const markdown = page(topology, diagnostics, 'evil --> <script>.yaml\n# heading');
    const document = renderMarkdown(markdown);

    expect(markdown.split('\n')[0]).toBe('<!-- Generated by switchboard from evil --&gt; <script&gt;.yaml # heading — DO NOT EDIT. -->');
    expect(document.querySelectorAll('script, img, b, em, strong, del, blockquote, ol, ul, hr, sup').length).toBe(0);
    // GFM turns bare URLs into links (GitHub does too); a link showing anything but its own target would be injected.
    for (const a of document.querySelectorAll('a')) expect(a.getAttribute('href')).toBe(a.textContent);
    expect(document.querySelectorAll('h1').length).toBe(1);
    expect([...document.querySelectorAll('h2')].map((h) => h.textContent)).toEqual(['Agents', 'Edges', 'Tools', 'Validator findings']);
    expect([...document.querySelectorAll('code')].map((c) => c.className)).toEqual(['language-mermaid']);

    expect(shownText(document.querySelector('h1 + p')!)).toBe(shown(HOSTILE.join('\n')));
    const agentRows = tableAfter(document, 'Agents');
    expect(agentRows).toHaveLength(1 + agents.length);
    agentRows.slice(1).forEach((row, i) => {
      expect(row).toHaveLength(5);
      expect(shownText(row[1]!)).toBe(shown(HOSTILE[i]!));
      expect(shownText(row[4]!)).toBe(shown(HOSTILE[i + 3]!));
    });
    const findingRows = tableAfter(document, 'Validator findings');
    expect(findingRows).toHaveLength(1 + HOSTILE.length);
    findingRows.slice(1).forEach((row, i) => expect(row.map(shownText)).toEqual(['a|b.yaml', 'x|y', 'warning', shown(HOSTILE[i]!)]));
  });

  it('makes each hostile string one line that no block syntax can start', () => {
    for (const text of HOSTILE) {
      const escaped = markdownText(text);
      expect(escaped).not.toMatch(/\n|\||`|<(?!br>)/);
      const document = renderMarkdown(escaped);
      expect(document.body.children).toHaveLength(1);
      expect(document.body.firstElementChild?.tagName).toBe('P');
      expect(shownText(document.body.firstElementChild!)).toBe(shown(text));
    }
  });

  it('refuses diagram text that would close the fence', () => {
    const topology = validateInline(SMALL_STAR).topology;
    expect(() => emitReviewPage({ topology, diagnostics: [], mermaid: 'flowchart LR\n```\n# escaped', source: 'x' })).toThrow(/code fence/);
  });
});
