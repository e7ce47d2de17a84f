import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffTopologies } from '../../src/diff/diff-topologies.js';
import { summariseWordDiff } from '../../src/diff/word-diff.js';
import { validateFile, validateSource } from '../../src/validate.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';
import { loadMermaidParser, type MermaidParser } from '../emit/mermaid/parse-mermaid.js';

const original = readFileSync(fromRoot('topologies/support-desk.yaml'), 'utf8');
const RETENTION = `  retention:
    name: RetentionAgent
    handoffDescription: Callers who want to cancel their subscription or are unhappy enough to leave.
    instructions: Understand why the caller wants to leave and offer what the retention policy allows.
    tools: [escalate_to_human]

`;
/** The example with one specialist added, one filter changed and one edge removed. */
const changed = original
  .replace('  sales:\n', `${RETENTION}  sales:\n`)
  .replace('  clean:\n    - removeAllTools\n', '  clean:\n    - removeAllTools\n    - keepLast: 10\n')
  .replace('    to: [billing, tech, sales]\n', '    to: [billing, tech, sales, retention]\n')
  .replace('  - from: [billing, tech, sales]\n    to: triage', '  - from: [billing, tech, retention]\n    to: triage');

// Beside the original, so its relative tool paths resolve; the leading dot keeps `validate topologies/` off it.
const changedPath = join(repoRoot, 'topologies', `.tmp-diff-${process.pid}.yaml`);
let parse: MermaidParser;
beforeAll(async () => {
  writeFileSync(changedPath, changed);
  parse = await loadMermaidParser();
}, 120_000);
afterAll(() => {
  rmSync(changedPath, { force: true });
});

const switchboard = (args: string[]) => spawnSync(process.execPath, [fromRoot('bin/switchboard.js'), ...args], { cwd: repoRoot, encoding: 'utf8' });
const relChanged = () => changedPath.slice(repoRoot.length + 1);

describe('diffTopologies', () => {
  it('reports exactly the added specialist, the changed filter, the removed edge and the new finding', () => {
    const before = validateFile(fromRoot('topologies/support-desk.yaml'));
    const after = validateSource(changed, fromRoot('topologies/support-desk.yaml'));
    const diff = diffTopologies({ topology: before.topology!, diagnostics: before.diagnostics }, { topology: after.topology!, diagnostics: after.diagnostics });
    expect(diff.changes.map((c) => `${c.subject} ${c.kind} ${c.id}`)).toEqual([
      'agent added retention',
      'edge added triage→retention',
      'edge added retention→triage',
      'edge removed sales→triage',
      'filter changed clean',
      'finding added warning [specialist-dead-end] agent `sales` can neither hand back to `triage` nor escalate to a human',
    ]);
    expect(diff.changes.find((c) => c.subject === 'filter')!.details[0]).toBe('steps: [removeAllTools] → [removeAllTools, keepLast 10]');
  });

  it('finds renames and summarises instruction edits in words', () => {
    const renamed = original.replace('  tech:\n', '  support:\n').replaceAll('[billing, tech, sales]', '[billing, support, sales]');
    const before = validateFile(fromRoot('topologies/support-desk.yaml'));
    const after = validateSource(renamed.replace('Be warm and brief', 'Be warm, patient and brief'), fromRoot('topologies/support-desk.yaml'));
    const diff = diffTopologies({ topology: before.topology!, diagnostics: before.diagnostics }, { topology: after.topology!, diagnostics: after.diagnostics });
    expect(diff.changes.map((c) => `${c.subject} ${c.kind} ${c.id}`)).toEqual(['agent renamed support', 'agent changed sales']);
    expect(diff.changes[1]!.details).toEqual(['instructions: +2 words, −1 words; added “warm, patient”; removed “warm”']);
  });

  it('reports voice runtime changes: the session settings and an agent taken out of the voice session', () => {
    const edited = original.replace('  voice: marin\n', '  voice: cedar\n').replace('    name: SalesAgent\n', '    name: SalesAgent\n    runtime: [text]\n');
    const before = validateFile(fromRoot('topologies/support-desk.yaml'));
    const after = validateSource(edited, fromRoot('topologies/support-desk.yaml'));
    const diff = diffTopologies({ topology: before.topology!, diagnostics: before.diagnostics }, { topology: after.topology!, diagnostics: after.diagnostics });
    expect(diff.changes.filter((c) => c.subject !== 'finding').map((c) => [`${c.subject} ${c.kind} ${c.id}`, ...c.details])).toEqual([
      ['topology changed voice', 'voice voice: marin → cedar'],
      ['agent changed sales', 'runtime: (none) → text'],
    ]);
    // Sales leaves the voice session, so triage's voice handoff to it is now an error.
    expect(diff.changes.filter((c) => c.subject === 'finding').map((c) => c.id)).toEqual([
      'error [voice-handoff-target] voice agent `triage` hands off to `sales`, which is text-only: a voice session can only hand the call to another voice agent',
    ]);
  });

  it('summarises word-level edits', () => {
    expect(summariseWordDiff('a b c d', 'a x c d e')).toEqual({ added: 2, removed: 1, firstAdded: 'x', firstRemoved: 'b' });
  });
});

describe('switchboard diff', () => {
  it('prints the same changes as pretty text', () => {
    const result = switchboard(['diff', 'topologies/support-desk.yaml', relChanged()]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('6 changes (4 added, 1 removed, 1 changed)');
    expect(result.stdout).toContain('  + retention (added)');
    expect(result.stdout).toContain('  - sales→triage (removed)');
    expect(result.stdout).toContain('  ~ clean\n      steps: [removeAllTools] → [removeAllTools, keepLast 10]');
  });

  it('prints stable JSON and exits 1 with --exit-code', () => {
    const result = switchboard(['diff', 'topologies/support-desk.yaml', relChanged(), '--format', 'json', '--exit-code']);
    expect(result.status).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.summary).toEqual({ added: 4, removed: 1, renamed: 0, changed: 1 });
    expect(json.changes.map((c: { subject: string; kind: string }) => `${c.subject}:${c.kind}`)).toEqual(['agent:added', 'edge:added', 'edge:added', 'edge:removed', 'filter:changed', 'finding:added']);
  });

  it('prints Markdown with a diagram that highlights additions and draws removals', async () => {
    const result = switchboard(['diff', 'topologies/support-desk.yaml', relChanged(), '--format', 'markdown']);
    expect(result.stdout).toContain('- added `retention`');
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(result.stdout)![1]!;
    expect(diagram).toContain('class agent_retention added');
    expect(diagram).toMatch(/agent_sales agent_sales__to__triage__removed@-\.-x\|"removed"\| agent_triage/);
    expect(diagram).toContain('class agent_sales__to__triage__removed removed');
    const parsed = await parse(diagram);
    expect(parsed.nodes.has('agent_retention')).toBe(true);
  });

  it('reads a git revision', () => {
    const result = switchboard(['diff', 'HEAD:topologies/support-desk.yaml', 'topologies/support-desk.yaml']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^No semantic changes between HEAD:topologies\/support-desk\.yaml and topologies\/support-desk\.yaml\.\n$/);
    const missing = switchboard(['diff', 'no-such-rev:topologies/support-desk.yaml', 'topologies/support-desk.yaml']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read no-such-rev:topologies\/support-desk\.yaml from git/);
  });
});
