/**
 * The preview page, bundled with Mermaid into one script (src/cli/bundle.ts) so nothing loads from the
 * network. Every user string reaches the DOM through textContent; the one innerHTML is Mermaid's own
 * SVG, whose labels switchboard escaped when it emitted the diagram and which Mermaid sanitises
 * (securityLevel strict).
 */
import mermaid from 'mermaid';
import type { DiagramEdge, PreviewAgent, PreviewDiagnostic, PreviewEdge, PreviewTopology } from '../snapshot.js';
import type { PreviewDiff } from '../diff.js';
import type { Revision } from '../server.js';
import type { PreviewAgentTraffic, PreviewTraffic } from '../traffic.js';

interface State {
  readonly version: number;
  readonly files: readonly PreviewTopology[];
  readonly eval: boolean;
}

const token = new URL(location.href).searchParams.get('token') ?? '';
const api = (path: string, params: Record<string, string> = {}) => `${path}?${new URLSearchParams({ token, ...params })}`;
const body = document.body;

let violations = 0;
document.addEventListener('securitypolicyviolation', () => {
  body.dataset.cspViolations = String(++violations);
});

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', flowchart: { htmlLabels: true } });

/** `el('li', { class: 'x' }, 'text', child)`: attributes by setAttribute, strings as text nodes. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

// The shell.
const fileSelect = el('select', { id: 'file', 'aria-label': 'topology' });
const tabs = el('nav', { class: 'tabs' });
const status = el('span', { id: 'status', role: 'status' });
const views: Record<string, HTMLElement> = {
  diagram: el('main', { id: 'view-diagram', class: 'view' }),
  diff: el('main', { id: 'view-diff', class: 'view', hidden: '' }),
  eval: el('main', { id: 'view-eval', class: 'view', hidden: '' }),
};
for (const name of Object.keys(views)) {
  const button = el('button', { type: 'button', 'data-tab': name, id: `tab-${name}` }, name === 'eval' ? 'Eval report' : name[0]!.toUpperCase() + name.slice(1));
  button.addEventListener('click', () => show(name));
  tabs.append(button);
}
body.replaceChildren(el('header', {}, el('h1', {}, 'switchboard preview'), fileSelect, tabs, status), ...Object.values(views));

const banner = el('p', { id: 'stale', class: 'banner', hidden: '' });
const diagram = el('div', { id: 'diagram', class: 'diagram' });
const diagnosticsList = el('ol', { id: 'diagnostics' });
const details = el('section', { id: 'details', 'aria-live': 'polite' });
const overlayToggle = el('input', { type: 'checkbox', id: 'traffic-toggle', checked: '' });
const overlayControl = el('label', { class: 'controls', hidden: '' }, overlayToggle, ' Traffic from traces on the diagram');
const trafficPanel = el('section', { id: 'traffic', hidden: '' });
views.diagram!.append(el('section', { class: 'left' }, banner, overlayControl, diagram, trafficPanel), el('aside', {}, el('h2', {}, 'Diagnostics'), diagnosticsList, details));
overlayToggle.addEventListener('change', () => void render());

function show(name: string): void {
  for (const [key, view] of Object.entries(views)) view.hidden = key !== name;
  for (const button of tabs.querySelectorAll('button')) button.classList.toggle('active', button.dataset.tab === name);
  body.dataset.view = name;
  if (name === 'diff') void loadRevisions();
  if (name === 'eval') loadEval();
}

let state: State | undefined;
let selectedFile = 0;
let renderedSource: string | undefined;
let renderCount = 0;
fileSelect.addEventListener('change', () => {
  selectedFile = Number(fileSelect.value);
  renderedSource = undefined;
  void render();
  if (body.dataset.view === 'diff') void loadRevisions();
});

async function refresh(): Promise<void> {
  const response = await fetch(api('/api/state'));
  if (!response.ok) {
    status.textContent = `error ${response.status}`;
    return;
  }
  const next = (await response.json()) as State;
  // Two quick saves start two fetches; a late answer must not bring back the older state.
  if (state && next.version < state.version) return;
  state = next;
  await render();
}

async function render(): Promise<void> {
  if (!state) return;
  const files = state.files;
  if (fileSelect.options.length !== files.length) fileSelect.replaceChildren(...files.map((f, i) => el('option', { value: String(i) }, f.file)));
  fileSelect.value = String(selectedFile);
  fileSelect.hidden = files.length < 2;
  tabs.querySelector<HTMLElement>('[data-tab="eval"]')!.hidden = !state.eval;
  const file = files[selectedFile];
  if (!file) return;
  status.textContent = `${file.file}: ${file.errors} error${file.errors === 1 ? '' : 's'}, ${file.warnings} warning${file.warnings === 1 ? '' : 's'}`;
  status.className = file.errors ? 'bad' : file.warnings ? 'warn' : 'good';
  banner.hidden = !file.stale;
  banner.textContent = file.stale ? 'The file on disk has errors: the diagram and agents are from the last version without errors.' : '';
  overlayControl.hidden = !file.traffic;
  const source = file.traffic && overlayToggle.checked ? file.traffic.diagram : file.diagram;
  body.dataset.overlay = file.traffic && overlayToggle.checked ? 'traffic' : 'none';
  if (source !== undefined && source !== renderedSource) {
    await drawMermaid(diagram, source);
    renderedSource = source;
    wireNodes(file);
  } else if (file.diagram === undefined) {
    diagram.replaceChildren(el('p', { class: 'empty' }, 'The file does not parse yet: nothing to draw.'));
    renderedSource = undefined;
  }
  renderDiagnostics(file);
  renderTraffic(file.traffic);
  const open = details.dataset.agent;
  if (open && file.agents.some((a) => a.id === open)) details.replaceChildren(...agentDetails(file.agents.find((a) => a.id === open)!, file.traffic));
  body.dataset.version = String(state.version);
  body.dataset.state = 'ready';
}

async function drawMermaid(target: HTMLElement, source: string): Promise<void> {
  try {
    const { svg } = await mermaid.render(`mermaid-${++renderCount}`, source);
    target.innerHTML = svg; // Mermaid's sanitised output; see the header comment.
  } catch (error) {
    target.replaceChildren(el('p', { class: 'empty' }, `Mermaid could not draw this diagram: ${(error as Error).message}`));
  }
}

/** Mermaid node elements by the node id switchboard gave them (`agent_billing`). */
function nodeElements(root: ParentNode): Map<string, SVGGElement> {
  const found = new Map<string, SVGGElement>();
  for (const node of root.querySelectorAll<SVGGElement>('g.node')) {
    const id = node.dataset.id ?? /flowchart-(.+)-\d+$/.exec(node.id)?.[1];
    if (id) found.set(id, node);
  }
  return found;
}

function wireNodes(file: PreviewTopology): void {
  const nodes = nodeElements(diagram);
  for (const agent of file.agents) {
    const node = nodes.get(agent.node);
    if (!node) continue;
    node.dataset.agent = agent.id;
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    const open = () => selectAgent(file, agent.id);
    node.addEventListener('click', open);
    node.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') open();
    });
  }
}

function highlight(nodeIds: readonly string[], edges: readonly DiagramEdge[] = []): void {
  const nodes = nodeElements(diagram);
  for (const node of nodes.values()) node.classList.remove('highlight');
  for (const id of nodeIds) nodes.get(id)?.classList.add('highlight');
  // Edge paths carry Mermaid's id: the one switchboard gave a styled edge, or L_<from>_<to>_<n>.
  for (const path of diagram.querySelectorAll<SVGPathElement>('path[data-id]')) {
    const id = path.dataset.id ?? '';
    path.classList.toggle('highlight', edges.some((e) => id === e.id || id.startsWith(`L_${e.from}_${e.to}_`)));
  }
  nodes.get(nodeIds[0] ?? '')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

function renderDiagnostics(file: PreviewTopology): void {
  if (!file.diagnostics.length) {
    diagnosticsList.replaceChildren(el('li', { class: 'none' }, 'No problems found.'));
    return;
  }
  diagnosticsList.replaceChildren(...file.diagnostics.map((d) => diagnosticItem(file, d)));
}

function diagnosticItem(file: PreviewTopology, d: PreviewDiagnostic): HTMLLIElement {
  const where = d.line !== undefined ? `${file.file}:${d.line}:${d.column}` : file.file;
  const frame = el('pre', { class: 'frame' });
  const width = String(Math.max(0, ...d.frame.map((l) => l.number))).length;
  for (const line of d.frame) {
    frame.append(el('span', { class: line.number === d.caret?.line ? 'line current' : 'line' }, `${String(line.number).padStart(width)} | ${line.text}`), '\n');
    if (d.caret && line.number === d.caret.line) frame.append(el('span', { class: 'caret' }, `${' '.repeat(width)} | ${' '.repeat(d.caret.start - 1)}${'^'.repeat(Math.max(1, d.caret.end - d.caret.start))}`), '\n');
  }
  const button = el(
    'button',
    { type: 'button', class: `diagnostic ${d.severity}`, 'data-rule': d.ruleId, 'data-nodes': d.nodes.join(' '), 'data-edges': d.edges.map((e) => `${e.from}→${e.to}`).join(' ') },
    el('span', { class: 'severity' }, d.severity),
    ' ',
    el('code', { class: 'rule' }, d.ruleId),
    ' ',
    el('span', { class: 'where' }, where),
    el('span', { class: 'message' }, d.message),
    d.hint ? el('span', { class: 'hint' }, d.hint) : undefined,
  );
  button.addEventListener('click', () => {
    highlight(d.nodes, d.edges);
    const agent = file.agents.find((a) => a.node === d.nodes[0]);
    if (agent) selectAgent(file, agent.id, false);
  });
  return el('li', {}, button, frame);
}

function selectAgent(file: PreviewTopology, id: string, clearHighlight = true): void {
  const agent = file.agents.find((a) => a.id === id);
  if (!agent) return;
  if (clearHighlight) highlight([agent.node]);
  details.replaceChildren(...agentDetails(agent, file.traffic));
  details.dataset.agent = agent.id;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${Math.round(x * 1000) / 10}%`);

/** The traffic panel: what the overlay is drawn from, the per-route table of `switchboard traffic`, and its advice. */
function renderTraffic(traffic: PreviewTraffic | undefined): void {
  trafficPanel.hidden = !traffic;
  if (!traffic) {
    trafficPanel.replaceChildren();
    return;
  }
  const summary = `${traffic.conversations} conversation${traffic.conversations === 1 ? '' : 's'}, ${traffic.routed} routed, ${traffic.maxTurnsExceeded} hit maxTurns`;
  const out: Node[] = [el('h2', {}, 'Traffic'), el('p', { id: 'traffic-summary' }, summary), el('p', { class: 'files' }, `from ${traffic.files.join(', ')}`)];
  if (traffic.errorCount > 0) {
    const more = traffic.errorCount - traffic.errors.length;
    out.push(
      el('p', { class: 'banner' }, `${traffic.errorCount} unreadable trace record${traffic.errorCount === 1 ? '' : 's'} skipped:`),
      el('ul', { id: 'traffic-errors' }, ...traffic.errors.map((e) => el('li', {}, `${e.file}${e.line > 0 ? `:${e.line}` : ''}: ${e.message}`)), more > 0 ? el('li', {}, `… and ${more} more`) : undefined),
    );
  }
  if (traffic.otherTraces > 0) out.push(el('p', { class: 'hint' }, `${traffic.otherTraces} trace${traffic.otherTraces === 1 ? '' : 's'} name none of this topology's agents and are left out.`));
  if (traffic.unknownAgents.length > 0) out.push(el('p', { class: 'banner', id: 'traffic-unknown' }, `Agents in the traces that the topology does not declare: ${traffic.unknownAgents.join(', ')}`));
  const headers = ['route', 'conversations', 'share', 'handoffs', 'hand-back', 'ping-pong', 'to human', 'max turns'];
  const table = el('table', { id: 'traffic-routes' }, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))));
  const rows = el('tbody');
  for (const r of traffic.routes) {
    const cells = [r.route, String(r.conversations), pct(r.share), String(r.handoffs), pct(r.handBackRate), pct(r.pingPongRate), pct(r.escalationRate), String(r.maxTurnsExceeded)];
    rows.append(el('tr', { 'data-route': r.route }, ...cells.map((c, i) => el(i === 0 ? 'th' : 'td', {}, c))));
  }
  table.append(rows);
  out.push(table, el('p', { class: 'hint' }, 'share: of all conversations; hand-back: per handoff into the specialist; ping-pong and to human: per conversation that visited it; stay: the entry answered itself.'));
  if (traffic.advice.length > 0) out.push(el('h3', {}, 'Advice'), el('ul', { id: 'traffic-advice' }, ...traffic.advice.map((a) => el('li', {}, a))));
  trafficPanel.replaceChildren(...out);
}

function agentTraffic(t: PreviewAgentTraffic): Node[] {
  const parts = [
    `${t.conversations} conversation${t.conversations === 1 ? '' : 's'}`,
    `handoffs ${t.handoffsIn} in, ${t.handoffsOut} out`,
    ...(t.handBackRate !== null ? [`hand-back ${pct(t.handBackRate)}`] : []),
    `ping-pong ${pct(t.pingPongRate)}`,
    `to human ${pct(t.escalationRate)}`,
    `${t.maxTurnsExceeded} hit max turns`,
  ];
  return [el('h3', {}, 'Traffic'), el('p', { class: 'agent-traffic' }, parts.join(' · '))];
}

function agentDetails(agent: PreviewAgent, traffic?: PreviewTraffic): Node[] {
  const out: Node[] = [el('h2', {}, agent.name, ' ', el('code', {}, agent.id), agent.entry ? el('span', { class: 'tag' }, 'entry') : undefined)];
  const facts = el('dl');
  const fact = (term: string, value: string | undefined) => value !== undefined && facts.append(el('dt', {}, term), el('dd', {}, value));
  fact('model', agent.model);
  fact('handoff description', agent.handoffDescription);
  fact('fragments', agent.fragments.length ? agent.fragments.join(', ') : undefined);
  fact('guardrails', agent.guardrails.length ? agent.guardrails.join(', ') : undefined);
  out.push(facts);
  const seen = traffic?.agents.find((t) => t.id === agent.id);
  if (seen) out.push(...agentTraffic(seen));
  if (agent.instructions) {
    const source = agent.instructions.source ? ` (${agent.instructions.kind}: ${agent.instructions.source})` : '';
    out.push(el('h3', {}, `Instructions${source}`), el('pre', { class: 'instructions' }, agent.instructions.text ?? '(built at run time)'));
  }
  if (agent.tools.length) {
    out.push(el('h3', {}, 'Tools'));
    for (const tool of agent.tools) {
      out.push(
        el(
          'details',
          { class: 'tool' },
          el('summary', {}, el('code', {}, tool.id), tool.kind === 'human-escalation' ? ' · human escalation' : '', tool.needsApproval ? ' · needs approval' : ''),
          el('p', {}, tool.description),
          tool.implementation ? el('p', {}, el('code', {}, tool.implementation)) : undefined,
          el('pre', {}, tool.parameters),
        ),
      );
    }
  }
  const edges = (title: string, list: readonly PreviewEdge[], arrow: string) => {
    if (!list.length) return;
    out.push(el('h3', {}, title));
    out.push(
      el(
        'ul',
        { class: 'edges' },
        ...list.map((e) => {
          const parts = [e.kind === 'delegate' ? 'as tool' : e.handback ? 'hand back' : 'handoff', e.input ? `input ${e.input}` : '', e.filter ? `filter ${e.filter.join(' + ')}` : '', e.onHandoff ? `onHandoff ${e.onHandoff}` : '', e.enabled ? `enabled ${e.enabled}` : '', e.toolName ? `tool name ${e.toolName}` : ''].filter(Boolean);
          return el('li', {}, `${arrow} `, el('code', {}, e.agent), ` — ${parts.join(' · ')}`);
        }),
      ),
    );
  };
  edges('Hands off to', agent.outgoing, '→');
  edges('Receives from', agent.incoming, '←');
  if (agent.output) out.push(el('h3', {}, 'Structured output'), el('pre', {}, agent.output));
  for (const schema of agent.schemas) out.push(el('h3', {}, `Schema ${schema.name}`), el('pre', {}, schema.json));
  return out;
}

// Diff view.
const fromSelect = el('select', { id: 'diff-from', 'aria-label': 'old revision' });
const toSelect = el('select', { id: 'diff-to', 'aria-label': 'new revision' });
const compare = el('button', { type: 'button', id: 'diff-compare' }, 'Compare');
const diffDiagram = el('div', { id: 'diff-diagram', class: 'diagram' });
const diffChanges = el('ul', { id: 'diff-changes' });
views.diff!.append(el('p', { class: 'controls' }, 'From ', fromSelect, ' to ', toSelect, ' ', compare), diffDiagram, diffChanges);
compare.addEventListener('click', () => void loadDiff());

async function loadRevisions(): Promise<void> {
  const response = await fetch(api('/api/revisions', { file: String(selectedFile) }));
  const { revisions } = (await response.json()) as { revisions: Revision[] };
  const option = (value: string, label: string) => el('option', { value }, label);
  const listed = revisions.map((r) => option(r.commit, `${r.commit} ${r.date} ${r.subject}`));
  fromSelect.replaceChildren(option('HEAD', 'HEAD'), ...listed);
  toSelect.replaceChildren(option('', 'working tree'), option('HEAD', 'HEAD'), ...revisions.map((r) => option(r.commit, `${r.commit} ${r.date} ${r.subject}`)));
  await loadDiff();
}

let diffRequest = 0;
async function loadDiff(): Promise<void> {
  // Only the latest comparison is shown, however the responses arrive.
  const request = ++diffRequest;
  body.dataset.diff = 'loading';
  const response = await fetch(api('/api/diff', { file: String(selectedFile), from: fromSelect.value, to: toSelect.value }));
  const diff = (await response.json()) as PreviewDiff | { error: string; changes?: undefined };
  if (request !== diffRequest) return;
  if (diff.error || !diff.changes) {
    diffDiagram.replaceChildren();
    diffChanges.replaceChildren(el('li', { class: 'error' }, diff.error ?? 'no diff'));
  } else {
    if (diff.diagram) await drawMermaid(diffDiagram, diff.diagram);
    if (request !== diffRequest) return;
    diffChanges.replaceChildren(
      ...(diff.changes.length
        ? diff.changes.map((c) => el('li', { class: `change ${c.kind}` }, el('span', { class: 'kind' }, c.kind), ` ${c.subject} `, el('code', {}, c.id), ...c.details.map((d) => el('span', { class: 'detail' }, d))))
        : [el('li', { class: 'none' }, `No semantic changes between ${diff.from} and ${diff.to}.`)]),
    );
  }
  body.dataset.diff = 'ready';
}

// Eval report: the same self-contained page as `switchboard eval --html`, in a frame.
function loadEval(): void {
  if (views.eval!.querySelector('iframe')) return;
  views.eval!.append(el('iframe', { src: api('/eval'), title: 'eval report', id: 'eval-frame' }));
}

show('diagram');
const events = new EventSource(api('/api/events'));
events.addEventListener('hello', () => void refresh());
events.addEventListener('change', () => void refresh());
