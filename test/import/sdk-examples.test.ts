import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { validateFile } from '../../src/validate.js';
import { compileTopology } from '../../src/compile.js';
import { fromRoot } from '../helpers/paths.js';

// The SDK's own examples (test/fixtures/import/sdk-examples/README.md), code the importer was not
// written against: each import validates without errors, compiles, and keeps the source's agents,
// entry, edges, tools, hooks and filters.
const examples = fromRoot('test/fixtures/import/sdk-examples');
const scratch = join(examples, `.switchboard-tmp-${process.pid}`);

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: examples, env: { NO_COLOR: '1' }, isTTY: false });
  return { code, stdout, stderr };
}

async function imported(name: string, ...flags: string[]) {
  const out = join(scratch, `${name}.yaml`);
  const run = await cli('import', `${name}.ts`, '--out', out, ...flags);
  expect(run.code, run.stderr).toBe(0);
  const validation = validateFile(out);
  expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const files = await compileTopology(validation, { outDir: join(scratch, 'generated') });
  expect(files.map((f) => f.path)).toContain(`${name}/agents.ts`);
  return { doc: parse(readFileSync(out, 'utf8')) as Record<string, any>, yaml: readFileSync(out, 'utf8'), side: existsSync(out.replace(/\.yaml$/, '.switchboard.ts')) ? readFileSync(out.replace(/\.yaml$/, '.switchboard.ts'), 'utf8') : '', ...run };
}

const edges = (doc: Record<string, any>) =>
  (doc.handoffs ?? []).flatMap((e: any) => [e.from].flat().flatMap((from: string) => [e.to].flat().map((to: string) => `${from}${e.kind === 'delegate' ? ' =tool=> ' : ' -> '}${to}`))).sort();

beforeAll(() => rmSync(scratch, { recursive: true, force: true }));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('switchboard import on the SDK examples', () => {
  it('customer-service: context, prefix, zod tools, handoffs assigned after construction, entry from the run loop', async () => {
    const { doc, yaml, side, stderr } = await imported('customer-service');
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../../../../../schema/topology.schema.json');
    expect(doc.entry).toBe('triage');
    expect(Object.keys(doc.agents)).toEqual(['faq', 'seat_booking', 'triage']);
    expect(doc.agents.faq.instructionsPrefix).toBe('recommended');
    expect(edges(doc)).toEqual(['faq -> triage', 'seat_booking -> triage', 'triage -> faq', 'triage -> seat_booking']);
    expect(Object.keys(doc.tools)).toEqual(['faq_lookup_tool', 'update_seat']);
    expect(doc.tools.update_seat.parameters.required).toEqual(['confirmationNumber', 'seatNumber']);
    expect(doc.context).toBe('customer-service.switchboard.ts#AirlineAgentContext');
    expect(side).toContain('source.updateSeat.invoke(');
    expect(side).toContain('export type { AirlineAgentContext } from "../customer-service.js";');
    // The example exports nothing: the user is told what to export, with positions.
    expect(stderr).toContain('customer-service.ts:9:1: warning: `AirlineAgentContext` is not exported');
    expect(stderr).toContain('customer-service.ts:49:7: warning: `updateSeat` is not exported');
  });

  it('handoffs: two agents are run, so the entry is asked for; a custom input filter stays in user code', async () => {
    const ambiguous = await cli('import', 'handoffs.ts', '--out', join(scratch, 'handoffs.yaml'));
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('handoffs.ts runs more than one agent; choose the entry with --entry; nothing was written');
    expect(ambiguous.stderr).toContain('first  handoffs.ts:62:24');
    expect(ambiguous.stderr).toContain('second  handoffs.ts:78:20');
    expect(existsSync(join(scratch, 'handoffs.yaml'))).toBe(false);
    const { doc, side } = await imported('handoffs', '--entry', 'secondAgent');
    expect(doc.entry).toBe('second');
    expect(Object.keys(doc.agents)).toEqual(['first', 'spanish', 'second']);
    expect(doc.agents.first.tools).toEqual(['random_number_tool']);
    expect(doc.tools.random_number_tool.parameters.properties.max).toEqual({ type: 'number', description: 'The maximum value.' });
    expect(doc.handoffs).toEqual([{ from: 'second', to: 'spanish', filter: [{ implementation: 'handoffs.switchboard.ts#spanishHandoffMessageFilter' }] }]);
    expect(side).toContain('export { spanishHandoffMessageFilter } from "../handoffs.js";');
  });

  it('routing: bare agents in handoffs, entry through a variable', async () => {
    const { doc } = await imported('routing');
    expect(doc.entry).toBe('triage');
    expect(edges(doc)).toEqual(['triage -> english', 'triage -> french', 'triage -> spanish']);
  });

  it('agents-as-tools: asTool becomes delegate edges with their tool names; asTool run options are reported', async () => {
    const { doc, stderr } = await imported('agents-as-tools', '--entry', 'orchestrator');
    expect(edges(doc)).toEqual(['orchestrator =tool=> french', 'orchestrator =tool=> italian', 'orchestrator =tool=> spanish']);
    expect(doc.handoffs.map((e: any) => e.toolName)).toEqual(['translate_to_spanish', 'translate_to_french', 'translate_to_italian']);
    expect(stderr).toMatch(/agents-as-tools\.ts:\d+:\d+: warning: `asTool` option `runConfig` has no place in the topology format/);
  });

  it('typed-handoff: zod output types become named schemas', async () => {
    const { doc } = await imported('typed-handoff');
    expect(doc.agents.first.output).toBe('First');
    expect(doc.schemas.First).toEqual({ type: 'object', properties: { first: { type: 'string' } }, required: ['first'], additionalProperties: false });
  });

  it('is-enabled: handoffs held in variables, isEnabled predicates, a context type alias', async () => {
    const { doc, side, stderr } = await imported('is-enabled');
    expect(doc.context).toBe('is-enabled.switchboard.ts#AppContext');
    expect(doc.handoffs).toEqual([
      { from: 'triage', to: 'spanish', description: 'Transfer the conversation to the Spanish specialist.' },
      { from: 'triage', to: 'french', description: 'Transfer the conversation to the French specialist.', enabled: 'is-enabled.switchboard.ts#frenchSpanishEnabled' },
      { from: 'triage', to: 'italian', description: 'Transfer the conversation to the Italian specialist.', enabled: 'is-enabled.switchboard.ts#europeanEnabled' },
    ]);
    expect(side).toContain('export { europeanEnabled } from "../is-enabled.js";');
    expect(stderr).toContain("is-enabled.ts:56:5: info: the handoff tool description of `triage` → `spanish` replaces the SDK's wording");
  });

  it('refuses to overwrite without --force and leaves the files as they were', async () => {
    const out = join(scratch, 'routing-again.yaml');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, 'mine\n');
    const refused = await cli('import', 'routing.ts', '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('would overwrite existing files; nothing was written');
    expect(readFileSync(out, 'utf8')).toBe('mine\n');
    expect((await cli('import', 'routing.ts', '--out', out, '--force')).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('entry: triage');
  });

  it('reports bad input without writing anything', async () => {
    writeFileSync(join(scratch, 'broken.ts'), 'const a = new Agent({ name: "x" ');
    const broken = await cli('import', join(scratch, 'broken.ts'));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.ts:1:\d+: syntax error: .*; nothing was written/);
    expect(existsSync(join(scratch, 'broken.yaml'))).toBe(false);
    // Python goes through the same errors: a file with no agents is exit 1 and writes nothing.
    writeFileSync(join(scratch, 'agents.py'), 'from agents import Agent\n');
    const python = await cli('import', join(scratch, 'agents.py'));
    expect(python.code).toBe(1);
    expect(python.stderr).toMatch(/agents\.py: no Agent\(\.\.\.\) assigned to a module-level variable was found, so there is nothing to import; nothing was written/);
    expect(existsSync(join(scratch, 'agents.yaml'))).toBe(false);
    expect((await cli('import', 'README.md')).code).toBe(2);
  });
});
