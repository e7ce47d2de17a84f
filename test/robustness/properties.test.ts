/**
 * Property tests (fast-check, fixed seed):
 * - random valid topologies always validate, compile and type-check (one tsc run over all of them),
 *   and, driven by a scripted model, hand off where the script says;
 * - random mutations of valid files never crash the loader, the validator or the compiler: the
 *   result is clean or a list of located diagnostics;
 * - random `compile --out` paths (through folders, files, symlinks and hand-written files) never
 *   write outside --out, never replace a file switchboard did not generate, and write nothing at all
 *   when they are refused.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTopology } from '../../src/compile.js';
import { writeOutput } from '../../src/emit/write-output.js';
import { validateSource, type ValidationResult } from '../../src/validate.js';
import { call, say, ScriptedModelProvider } from '../helpers/scripted-model.js';
import { fromRoot } from '../helpers/paths.js';
import { located, repoTempDir, snapshotTree, typeCheck } from './support.js';
import { runCli } from '../../src/cli/program.js';
import { isGeneratedText } from '../../src/emit/write-output.js';

const SEED = 20_240_611;
const COMPILE_RUNS = 25;
const DRIVEN_RUNS = 10;
const MUTATION_RUNS = 300;
const OUT_PATH_RUNS = 60;

// ---------------------------------------------------------------------------------------------------
// Generators

/** Text that tends to break generated code; YAML-printable (the yaml library escapes C0 controls). */
const hostileChar = fc.constantFrom(...'abcXYZ 09_-.,:;!?#&*|>%@'.split(''), '`', '${', '}', '*/', '/*', '\\', '"', "'", '\n', '\t', '\u2028', '\u2029', '\0', '🚀', 'é', '</script>', '$&');
/** Up to `maxParts` fragments, at most 40 UTF-16 units (agent names must leave room for `transfer_to_`). */
const text = (maxParts: number) => fc.array(hostileChar, { minLength: 1, maxLength: maxParts }).map((parts) => parts.join('').slice(0, 40));
const suffix = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')), maxLength: 6 });

/** A strict JSON Schema for an object, with one value that satisfies it (the scripted model's arguments). */
interface SchemaWithSample {
  readonly schema: Record<string, unknown>;
  readonly sample: Record<string, unknown>;
}
const leaf: fc.Arbitrary<[Record<string, unknown>, unknown]> = fc.oneof(
  fc.record({ d: text(8) }).map(({ d }): [Record<string, unknown>, unknown] => [{ type: 'string', description: d }, 'some text']),
  fc.constant<[Record<string, unknown>, unknown]>([{ type: 'number' }, 1.5]),
  fc.constant<[Record<string, unknown>, unknown]>([{ type: 'integer', minimum: 0 }, 3]),
  fc.constant<[Record<string, unknown>, unknown]>([{ type: 'boolean' }, true]),
  fc.uniqueArray(text(6), { minLength: 1, maxLength: 4 }).map((values): [Record<string, unknown>, unknown] => [{ type: 'string', enum: values }, values[0]]),
  fc.constant<[Record<string, unknown>, unknown]>([{ type: ['string', 'null'] }, null]),
  fc.constant<[Record<string, unknown>, unknown]>([{ type: 'array', items: { type: 'string' } }, ['a', 'b']]),
);
const objectSchema = (depth: number): fc.Arbitrary<SchemaWithSample> =>
  fc
    .uniqueArray(fc.tuple(fc.oneof(suffix.map((s) => `p${s}`), text(4)), depth > 0 ? fc.oneof(leaf, objectSchema(depth - 1).map((o): [Record<string, unknown>, unknown] => [o.schema, o.sample])) : leaf), {
      maxLength: 4,
      selector: ([key]) => key,
    })
    .map((props) => ({
      schema: { type: 'object', properties: Object.fromEntries(props.map(([k, [s]]) => [k, s])), required: props.map(([k]) => k), additionalProperties: false },
      sample: Object.fromEntries(props.map(([k, [, v]]) => [k, v])),
    }));

const filterStep = fc.oneof(fc.constant('removeAllTools'), fc.constant('removeReasoning'), fc.integer({ min: 1, max: 20 }).map((n) => ({ keepLast: n })), fc.constant({ implementation: 'impl.ts#passThrough' }));
const pipeline = fc.array(filterStep, { minLength: 1, maxLength: 3 });

interface Spec {
  readonly topology: Record<string, unknown>;
  /** Which specialist the scripted model routes to, and the arguments it sends. */
  readonly route: { readonly target: string; readonly args: Record<string, unknown> | undefined; readonly back: boolean };
}

function topologyArbitrary(name: string): fc.Arbitrary<Spec> {
  return fc
    .record({
      specialists: fc.uniqueArray(suffix, { minLength: 1, maxLength: 5 }).map((s) => s.map((x, i) => `s${i}${x ? `-${x}` : ''}`)),
      names: fc.array(text(10), { minLength: 6, maxLength: 6 }),
      descriptions: fc.array(text(12), { minLength: 6, maxLength: 6 }),
      tools: fc.array(fc.record({ schema: objectSchema(1), strict: fc.boolean(), needsApproval: fc.boolean(), description: text(12), owner: fc.nat() }), { maxLength: 3 }),
      schemas: fc.array(objectSchema(1), { maxLength: 2 }),
      filters: fc.array(pipeline, { maxLength: 2 }),
      edges: fc.array(
        fc.record({
          input: fc.oneof(fc.constant(undefined), fc.nat().map((n) => ({ named: n })), objectSchema(1).map((o) => ({ inline: o }))),
          hook: fc.boolean(),
          filter: fc.oneof(fc.constant(undefined), fc.nat().map((n) => ({ named: n })), pipeline.map((p) => ({ inline: p }))),
          description: fc.option(text(12), { nil: undefined }),
          override: fc.boolean(),
          handback: fc.boolean(),
        }),
        { minLength: 5, maxLength: 5 },
      ),
      spokeToSpoke: fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: undefined }),
      model: fc.constantFrom(undefined, 'gpt-4o', 'gpt-4.1-mini'),
      temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
      policy: fc.constantFrom('star', 'mesh'),
      route: fc.nat(),
      back: fc.boolean(),
    })
    .map((r): Spec => {
      const ids = r.specialists;
      const agents: Record<string, Record<string, unknown>> = { hub: { name: `Hub ${r.names[5]}`, instructions: `Route. ${r.descriptions[5]}` } };
      ids.forEach((id, i) => {
        agents[id] = { name: `S${i} ${r.names[i]}`, instructions: r.descriptions[i], handoffDescription: `Specialist ${i}: ${r.descriptions[i]}` };
      });
      const tools: Record<string, unknown> = {};
      r.tools.forEach((t, i) => {
        const id = `tool_${i}`;
        const parameters = t.strict ? t.schema.schema : { ...t.schema.schema, additionalProperties: undefined };
        tools[id] = { description: t.description, parameters: JSON.parse(JSON.stringify(parameters)), strict: t.strict, needsApproval: t.needsApproval, implementation: `impl.ts#tool${i}` };
        const owner = ids[t.owner % ids.length]!;
        agents[owner]!.tools = [...((agents[owner]!.tools as string[] | undefined) ?? []), id];
      });
      const schemas = Object.fromEntries(r.schemas.map((s, i) => [`Input${i}`, s.schema]));
      const filters = Object.fromEntries(r.filters.map((f, i) => [`filter-${i}`, f]));
      const inputs: (Record<string, unknown> | undefined)[] = [];
      const handoffs: Record<string, unknown>[] = ids.map((to, i) => {
        const e = r.edges[i]!;
        const edge: Record<string, unknown> = { from: 'hub', to };
        let sample: Record<string, unknown> | undefined;
        if (e.input && 'named' in e.input && r.schemas.length > 0) {
          const n = e.input.named % r.schemas.length;
          edge.input = `Input${n}`;
          sample = r.schemas[n]!.sample;
        } else if (e.input && 'inline' in e.input) {
          edge.input = e.input.inline.schema;
          sample = e.input.inline.sample;
        }
        inputs.push(sample);
        if (e.hook) edge.onHandoff = `impl.ts#hook${i}`;
        if (e.filter && 'named' in e.filter && r.filters.length > 0) edge.filter = `filter-${e.filter.named % r.filters.length}`;
        else if (e.filter && 'inline' in e.filter) edge.filter = e.filter.inline;
        if (e.description !== undefined) edge.description = e.description;
        if (e.override) edge.toolName = `route-to_${i}`;
        return edge;
      });
      ids.forEach((from, i) => {
        if (r.edges[i]!.handback) handoffs.push({ from, to: 'hub', handback: true });
      });
      if (r.spokeToSpoke && ids.length > 1) {
        const [a, b] = [r.spokeToSpoke[0] % ids.length, r.spokeToSpoke[1] % ids.length];
        if (a !== b) handoffs.push({ from: ids[a], to: ids[b], allowSpokeToSpoke: 'A deliberate exception.' });
      }
      const target = r.route % ids.length;
      const topology: Record<string, unknown> = {
        version: 1,
        name,
        description: r.descriptions[5],
        policy: r.policy,
        entry: 'hub',
        ...(r.model || r.temperature !== undefined ? { defaults: { ...(r.model ? { model: r.model } : {}), ...(r.temperature !== undefined ? { modelSettings: { temperature: r.temperature } } : {}) } } : {}),
        agents,
        ...(r.tools.length ? { tools } : {}),
        ...(r.schemas.length ? { schemas } : {}),
        ...(r.filters.length ? { filters } : {}),
        handoffs,
      };
      return { topology, route: { target: ids[target]!, args: inputs[target], back: r.back } };
    });
}

// ---------------------------------------------------------------------------------------------------
// Random valid topologies

/** Two tools and two hooks sharing one export each, with different parameter and input types. */
const SHARED_EXPORT = `version: 1
name: shared-export
entry: hub
agents:
  hub: { instructions: Route. }
  a: { instructions: A., handoffDescription: Invoices., tools: [first, second] }
  b: { instructions: B., handoffDescription: Refunds. }
tools:
  first: { description: One., implementation: impl.ts#anyTool, parameters: { type: object, properties: { x: { type: string } }, required: [x], additionalProperties: false } }
  second: { description: Two., implementation: impl.ts#anyTool, parameters: { type: object, properties: { y: { type: number } }, required: [y], additionalProperties: false } }
handoffs:
  - { from: hub, to: a, onHandoff: impl.ts#anyHook }
  - { from: hub, to: b, onHandoff: impl.ts#anyHook, input: { type: object, properties: { why: { type: string } }, required: [why], additionalProperties: false } }
  - { from: [a, b], to: hub, handback: true }
`;

interface Compiled {
  readonly name: string;
  readonly spec: Spec;
}

describe('random valid topologies', () => {
  let work: string;
  const compiled: Compiled[] = [];
  let tsc: { status: number | null; output: string };

  beforeAll(async () => {
    work = repoTempDir('props');
    writeFileSync(join(work, 'impl.ts'), `export { anyTool, anyHook, passThrough, tool0, tool1, tool2, hook0, hook1, hook2, hook3, hook4 } from ${JSON.stringify(relative(work, fromRoot('test/robustness/fixtures/impl.js')).split(sep).join('/'))};\n`);
    await fc.assert(
      fc.asyncProperty(
        topologyArbitrary('placeholder'),
        async (generated) => {
          const name = `prop-${compiled.length}`;
          const spec: Spec = { ...generated, topology: { ...generated.topology, name } };
          const yamlText = stringify(spec.topology);
          const result = validateSource(yamlText, join(work, `${name}.yaml`));
          const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${located(d)} ${d.pointer} ${d.message}`);
          expect(errors, yamlText).toEqual([]);
          const files = await compileTopology(result, { outDir: join(work, 'generated') });
          writeOutput(join(work, 'generated'), files);
          compiled.push({ name, spec });
        },
      ),
      { seed: SEED, numRuns: COMPILE_RUNS, endOnFailure: true },
    );
    // A known emitter bug, compiled into the same folder so the one tsc run covers it (see below).
    const shared = validateSource(SHARED_EXPORT, join(work, 'shared-export.yaml'));
    expect(shared.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    writeOutput(join(work, 'generated'), await compileTopology(shared, { outDir: join(work, 'generated') }));
    tsc = typeCheck(work);
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** tsc's messages (an error line and its indented continuation lines), in or outside the bug repro. */
  const tscErrors = (inShared: boolean) =>
    tsc.output
      .split(/\n(?=\S)/)
      .filter((message) => message.trim() !== '' && message.includes('generated/shared-export/') === inShared);

  it(`validate and compile (${COMPILE_RUNS} runs), and type-check in one tsc run`, () => {
    expect(compiled).toHaveLength(COMPILE_RUNS);
    expect(tscErrors(false)).toEqual([]);
  });

  // Fixed bug (src/emit/typescript/emit-agents.ts `emitBindings`): one export used by two tools with
  // different parameter types (or one hook on edges with different inputs) is bound once per type
  // under the same name: `const anyTool: ToolImplementation<AParams> = …; const anyTool:
  // ToolImplementation<BParams> = …;` — TS2451 (redeclared) and TS2741 at the second use. Expected:
  // one binding per use (or a union type), and the output type-checks.
  it('type-checks when tools and hooks share one implementation', () => {
    expect(tscErrors(true)).toEqual([]);
  });

  it(`route where the scripted model says (${DRIVEN_RUNS} of them)`, async () => {
    let backs = 0;
    for (const { name, spec } of compiled.slice(0, DRIVEN_RUNS)) {
      const helper = `run${name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}`;
      const module = (await import(pathToFileURL(join(work, 'generated', name, 'index.ts')).href)) as Record<string, unknown> & {
        agents: Record<string, { name: string; handoffs: { toolName: string; agentName: string }[] }>;
      };
      const run = module[helper] as (input: string, options: object) => Promise<{ lastAgent?: { name: string }; finalOutput?: unknown }>;
      const target = module.agents[spec.route.target]!;
      const edge = module.agents.hub!.handoffs.find((h) => h.agentName === target.name)!;
      expect(edge, `${name}: no handoff from hub to ${spec.route.target}`).toBeDefined();
      // Then, when the script says so and the specialist can hand back, back to the hub.
      const back = spec.route.back ? target.handoffs.find((h) => h.agentName === module.agents.hub!.name) : undefined;
      const last = back ? module.agents.hub! : target;
      const provider = new ScriptedModelProvider([
        () => [call(edge.toolName, spec.route.args ?? {})],
        ...(back ? [() => [call(back.toolName, {})]] : []),
        () => [say(`handled by ${last.name}`)],
      ]);
      const result = await run('Please help.', { modelProvider: provider, tracingDisabled: true });
      expect(result.lastAgent?.name, name).toBe(last.name);
      expect(result.finalOutput).toBe(`handled by ${last.name}`);
      expect(provider.remaining).toBe(0);
      backs += back ? 1 : 0;
    }
    // The seed exercises both shapes of script.
    expect(backs).toBeGreaterThan(0);
    expect(backs).toBeLessThan(DRIVEN_RUNS);
  });
});

// ---------------------------------------------------------------------------------------------------
// Mutations of valid files

const BASES = ['topologies/support-desk.yaml', 'topologies/clinic-scheduling.yaml', 'test/fixtures/compile/features/topology.yaml'].map((path) => ({
  path: fromRoot(path),
  text: readFileSync(fromRoot(path), 'utf8'),
}));

/** Fragments that mean something to YAML, to the schema or to JavaScript. */
const FRAGMENTS = [':', ': ', '- ', '[', ']', '{', '}', ',', '&a ', '*a', '!!js/function ', '!x ', '<<: ', '\t', '\n', '\r\n', '"', "'", '#', '---\n', '%YAML 1.1\n', '? ', '|', '>-', '~', 'null', '1e999', '.nan', '-1', '__proto__', 'constructor', 'toString', '\u2028', '\ufeff', '\0', '\\', '${x}', '`', '*/', '../../../../etc/passwd', 'node:fs#rmSync', '/abs.ts#x', '  ', 'x'.repeat(80)];

type Mutation = (text: string) => string;
const at = (t: string, n: number) => (t.length === 0 ? 0 : n % (t.length + 1));
const lines = (t: string) => t.split('\n');
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })).map(([p, n]): Mutation => (t) => t.slice(0, at(t, p)) + t.slice(at(t, p) + n)),
  fc.tuple(fc.nat(), fc.constantFrom(...FRAGMENTS)).map(([p, f]): Mutation => (t) => t.slice(0, at(t, p)) + f + t.slice(at(t, p))),
  fc.tuple(fc.nat(), fc.string({ maxLength: 8 })).map(([p, s]): Mutation => (t) => t.slice(0, at(t, p)) + s + t.slice(at(t, p))),
  fc.nat().map((p): Mutation => (t) => t.slice(0, at(t, p))),
  fc.nat().map((p): Mutation => (t) => {
    const l = lines(t);
    const i = p % l.length;
    return [...l.slice(0, i + 1), l[i]!, ...l.slice(i + 1)].join('\n');
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (t) => {
    const l = lines(t);
    const [i, j] = [a % l.length, b % l.length];
    [l[i], l[j]] = [l[j]!, l[i]!];
    return l.join('\n');
  }),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(([p, d]): Mutation => (t) => {
    const l = lines(t);
    const i = p % l.length;
    l[i] = d >= 0 ? ' '.repeat(d) + l[i] : l[i]!.replace(new RegExp(`^ {0,${-d}}`), '');
    return l.join('\n');
  }),
);

/** The no-crash contract: diagnostics are located and well-formed; a clean result compiles. */
async function expectCleanOrDiagnostics(result: ValidationResult, input: string): Promise<void> {
  for (const d of result.diagnostics) {
    expect(d.range, `${d.ruleId} ${d.message}`).toBeDefined();
    expect(d.range!.start.line).toBeGreaterThanOrEqual(1);
    expect(d.range!.start.line).toBeLessThanOrEqual(input.split('\n').length + 1);
    expect(d.range!.start.column).toBeGreaterThanOrEqual(1);
    expect(d.ruleId).toMatch(/^[a-z][a-zA-Z/-]*$/);
    expect(d.message).not.toMatch(/\n\s+at /);
  }
  if (result.ok) {
    const files = await compileTopology(result, { outDir: fromRoot('generated') });
    expect(files.length).toBeGreaterThan(0);
  }
}

describe('mutations of valid files', () => {
  it(`never crash the loader, validator or compiler: text mutations (${MUTATION_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(BASES.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (b, mutations) => {
        const base = BASES[b]!;
        const input = mutations.reduce((t, m) => m(t), base.text);
        await expectCleanOrDiagnostics(validateSource(input, base.path), input);
      }),
      { seed: SEED, numRuns: MUTATION_RUNS },
    );
  });

  it(`never crash the loader, validator or compiler: data mutations (${MUTATION_RUNS} runs)`, async () => {
    const datas = BASES.map((base) => ({ path: base.path, data: parse(base.text) as unknown }));
    const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] =>
      Array.isArray(value)
        ? [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))]
        : value !== null && typeof value === 'object'
          ? [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))]
          : [prefix];
    const replacement = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(null, '', 0, -1, 1e308, true, [], {}, 'hub', 'Triage', '__proto__', 'constructor', 'removeAllTools', { keepLast: 0 }, { implementation: '../../../x.ts#y' }, { type: 'object' }, 'x'.repeat(100)),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(datas.length - 1), fc.array(fc.tuple(fc.nat(), replacement, fc.boolean()), { minLength: 1, maxLength: 4 }), async (b, edits) => {
        const { path, data } = datas[b]!;
        const copy = structuredClone(data) as Record<string, unknown>;
        for (const [n, value, remove] of edits) {
          const all = paths(copy).filter((p) => p.length > 0);
          if (all.length === 0) break;
          const target = all[n % all.length]!;
          let parent = copy as Record<string | number, unknown>;
          for (const key of target.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
          const last = target[target.length - 1]!;
          if (remove && !Array.isArray(parent)) delete parent[last];
          else parent[last] = value;
        }
        const input = stringify(copy);
        await expectCleanOrDiagnostics(validateSource(input, path), input);
      }),
      { seed: SEED, numRuns: MUTATION_RUNS },
    );
  });
});

describe('random --out paths', () => {
  /**
   * A sandbox: the CLI runs in `root/a/b` (so at most two `..` stay inside the sandbox), next to
   * hand-written files where generated ones would go, a plain file, and a symlink to a folder outside.
   */
  let root: string;
  const handWritten = ['a/b/src/p/agents.ts', 'a/b/p/index.ts', 'a/p/TOPOLOGY.md', 'p/topology.mmd', 'outside/p/agents.ts', 'a/b/gen/p/agents.ts'];
  const reset = () => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(join(root, 'a/b'), { recursive: true });
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'package.json'), '{ "name": "sandbox", "private": true }\n');
    writeFileSync(join(root, 'a/b/t.yaml'), 'version: 1\nname: p\nentry: triage\nagents:\n  triage: { instructions: Route callers. }\n');
    for (const path of handWritten) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), `hand-written ${path}\n`);
    }
    writeFileSync(join(root, 'a/b/file.txt'), 'a plain file\n');
    symlinkSync(join(root, 'outside'), join(root, 'a/b/link-out'));
    // Earlier output of the same topology, which may be replaced.
    mkdirSync(join(root, 'a/b/gen-ok/p'), { recursive: true });
    writeFileSync(join(root, 'a/b/gen-ok/p/agents.ts'), '// Generated by switchboard from a/b/t.yaml — DO NOT EDIT.\nold\n');
  };
  beforeAll(() => {
    root = repoTempDir('out-paths');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const segment = fc.constantFrom('.', '..', 'src', 'p', 'gen', 'gen-ok', 'new', 'file.txt', 'link-out', 'outside', 'a', 'b');
  const outPath = fc.array(segment, { minLength: 1, maxLength: 4 }).filter((parts) => parts.filter((p) => p === '..').length <= 2);

  /** Where writes under `out` may land: its real location once the existing part is resolved. */
  const realTarget = (path: string): string => {
    let existing = path;
    const rest: string[] = [];
    while (!existsSync(existing) && dirname(existing) !== existing) {
      rest.unshift(existing.slice(dirname(existing).length + 1));
      existing = dirname(existing);
    }
    return join(realpathSync(existing), ...rest);
  };

  it(`never write outside --out or over files switchboard did not generate (${OUT_PATH_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(outPath, async (parts) => {
        reset();
        const cwd = join(root, 'a/b');
        const out = parts.join('/');
        const allowed = realTarget(resolve(cwd, out));
        const before = snapshotTree(root);
        let stderr = '';
        const code = await runCli(['compile', 't.yaml', '--out', out, '--quiet'], { stdout: () => undefined, stderr: (t) => void (stderr += t), cwd, env: { NO_COLOR: '1' }, isTTY: false });
        const after = snapshotTree(root);
        expect(stderr).not.toMatch(/internal error|This is a bug/);
        expect([0, 2]).toContain(code);
        const changed = [...after].filter(([key, value]) => !key.endsWith('/') && before.get(key) !== value).map(([key]) => key);
        if (code === 2) expect(changed, stderr).toEqual([]);
        for (const key of changed) {
          const real = realpathSync(join(root, key));
          expect(relative(allowed, real).startsWith('..'), `${key} written for --out ${out}`).toBe(false);
          expect(isGeneratedText(readFileSync(real, 'utf8')), `${key} has the header`).toBe(true);
        }
        for (const path of handWritten) expect(readFileSync(join(root, path), 'utf8')).toBe(`hand-written ${path}\n`);
        expect(readFileSync(join(root, 'a/b/file.txt'), 'utf8')).toBe('a plain file\n');
        expect(readFileSync(join(root, 'a/b/t.yaml'), 'utf8')).toMatch(/^version: 1/);
      }),
      { seed: SEED, numRuns: OUT_PATH_RUNS },
    );
  });
});
