/**
 * Injection: every user string that reaches generated TypeScript carries hostile payloads. The output
 * must type-check (one tsc run) and, imported, hand back each string exactly as the YAML had it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTopology } from '../../src/compile.js';
import { writeOutput, type OutputFile } from '../../src/emit/write-output.js';
import { validateSource } from '../../src/validate.js';
import { call, say, ScriptedModelProvider } from '../helpers/scripted-model.js';
import { fromRoot } from '../helpers/paths.js';
import { located, repoTempDir, typeCheck } from './support.js';

/** Each breaks out of some kind of literal or comment, or is easy to mangle on the way through. */
export const PAYLOADS = [
  'back`tick` ${process.exit(1)} `${`nested`}`',
  'comment */ close /* open // line <!-- -->',
  'quotes " \' \\" \\\' "" \'\'',
  'back\\slash \\n \\u0041 \\x41 \\0 \\',
  'line\u2028separator paragraph\u2029separator',
  'nul\0 bell\u0007 escape\u001b[2J',
  '</script><script>alert(1)</script>',
  '<b>html</b> &amp; &lt; <img src=x onerror=alert(1)>',
  'emoji 🚀 👩‍💻 🇩🇪 e\u0301',
  'lone \ud800 surrogate \udfff',
  'crlf\r\nand cr\r',
  '\ttab, trailing spaces   ',
  '"+process.exit(1)+"',
  "'; process.exit(1); //",
  '$& $1 $$ $` ${0} #{x} %s {{x}}',
  '\ufeff bom \u200b zero-width \u202e rtl',
];
const ALL = PAYLOADS.join(' | ');
const MULTILINE = `${PAYLOADS.join('\n')}\n\nlast line without newline`;
/** Agent names are limited to 64 characters. */
const NAME = (prefix: string) => `${prefix} \`\${x}\` */ "q" 'q' \\ \u2028 \0 </script> 🚀`;

const enumValues = PAYLOADS.slice(0, 8);
const hostileProperties = {
  '*/ key': { type: 'string', description: ALL },
  '`${x}`': { type: 'string', enum: enumValues },
  '"quoted" \'key\'': { type: ['string', 'null'], description: MULTILINE },
  'line\u2028sep': { type: 'number', description: '*/ process.exit(1) /*' },
  constructor: { type: 'boolean' },
  'emoji 🚀': { type: 'array', items: { type: 'string', enum: PAYLOADS.slice(8) } },
};
const parameters = { type: 'object', description: ALL, properties: hostileProperties, required: Object.keys(hostileProperties), additionalProperties: false };
const payloadSchema = {
  type: 'object',
  description: MULTILINE,
  properties: { reason: { type: 'string', description: ALL, enum: enumValues } },
  required: ['reason'],
  additionalProperties: false,
};
const inlineInput = {
  type: 'object',
  properties: { 'why */': { type: 'string', description: '`${x}` */', enum: PAYLOADS.slice(4, 12) } },
  required: ['why */'],
  additionalProperties: false,
};

/** A folder whose name breaks string literals and comments (`*` + `/` ends a block comment). */
const HOSTILE_DIR = 'mod `${x}` \'q\' "dq" $& *';

const topology = {
  version: 1,
  name: 'injection',
  description: ALL,
  entry: 'class',
  agents: {
    class: { name: NAME('Router'), description: `${ALL}\n${MULTILINE}`, model: 'gpt-4o"; process.exit(1); "', instructions: MULTILINE },
    default: { name: NAME('Billing'), description: '*/', instructions: ALL, handoffDescription: ALL, tools: ['hostile_tool'] },
    constructor: { name: NAME('Ctor'), instructionsFile: 'prompt.md', handoffDescription: MULTILINE },
  },
  tools: {
    hostile_tool: { description: MULTILINE, parameters, implementation: 'impl.ts#anyTool' },
  },
  schemas: { Payload: payloadSchema },
  filters: {
    'hostile-filter': [ 'removeAllTools', { keepLast: 3 }, { implementation: `${HOSTILE_DIR}/filter.ts#passThrough` } ],
  },
  handoffs: [
    { from: 'class', to: 'default', description: ALL, toolName: 'to-default_1', input: 'Payload', onHandoff: `${HOSTILE_DIR}/filter.ts#anyHook`, filter: 'hostile-filter' },
    { from: 'class', to: 'constructor', description: MULTILINE, toolName: 'to-ctor_2', input: inlineInput, filter: ['removeReasoning', { keepLast: 1 }] },
    { from: 'default', to: 'class', handback: true, toolName: 'back-1' },
    { from: 'constructor', to: 'class', handback: true, toolName: 'back-2' },
  ],
  // Both targets' descriptions are the same payloads, on purpose.
  rules: { 'similar-descriptions': 'off', 'model-known': 'off' },
};
const PROMPT = `${MULTILINE}\r\nwindows line\r\n`;

interface Generated {
  agents: Record<string, { name: string; instructions: unknown; handoffDescription: string; model: unknown; tools: { name: string; description: string; parameters: unknown }[]; handoffs: { toolName: string; toolDescription: string; inputJsonSchema: unknown }[] }>;
  payloadSchema: unknown;
  runInjection: (input: string, options: object) => Promise<{ finalOutput?: unknown; lastAgent?: { name: string } }>;
}

let work: string;
let files: OutputFile[];
let generated: Generated;
let tsc: { status: number | null; output: string };

beforeAll(async () => {
  work = repoTempDir('injection');
  const impl = relative(join(work, HOSTILE_DIR), fromRoot('test/robustness/fixtures/impl.js')).split(sep).join('/');
  mkdirSync(join(work, HOSTILE_DIR));
  writeFileSync(join(work, HOSTILE_DIR, 'filter.ts'), `export { anyHook, passThrough } from ${JSON.stringify(impl)};\n`);
  writeFileSync(join(work, 'impl.ts'), `export { anyTool } from ${JSON.stringify(relative(work, fromRoot('test/robustness/fixtures/impl.js')).split(sep).join('/'))};\n`);
  writeFileSync(join(work, 'prompt.md'), PROMPT);
  const text = stringify(topology);
  writeFileSync(join(work, 'topology.yaml'), text);
  const result = validateSource(text, join(work, 'topology.yaml'));
  expect(result.diagnostics.map((d) => `${located(d)} ${d.message}`)).toEqual([]);
  files = await compileTopology(result, { outDir: join(work, 'generated') });
  writeOutput(join(work, 'generated'), files);
  tsc = typeCheck(work);
  generated = (await import(pathToFileURL(join(work, 'generated/injection/index.ts')).href)) as Generated;
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('hostile strings in generated code', () => {
  it('type-checks', () => {
    expect(tsc.output).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('writes line terminators, NUL and controls in code only as escapes', () => {
    for (const file of files) {
      // Doc comments may hold them (they cannot end a block comment); string literals must not.
      const code = file.contents.split('\n').filter((line) => !/^\s*(\/\*\*|\*|\/\/)/.test(line));
      for (const line of code) expect(line).not.toMatch(/[\0-\x08\x0b-\x1f\u2028\u2029]/);
    }
  });

  it('keeps agent names, instructions, models and handoff descriptions byte for byte', () => {
    const { agents } = generated;
    expect(Object.keys(agents)).toEqual(['class', 'default', 'constructor']);
    // Looked up through a variable: `agents.constructor` would be typed as Object's own constructor.
    const ctor = agents[String('constructor')]!;
    expect(agents.class!.name).toBe(topology.agents.class.name);
    expect(agents.class!.instructions).toBe(MULTILINE);
    expect(agents.class!.model).toBe(topology.agents.class.model);
    expect(agents.default!.name).toBe(topology.agents.default.name);
    expect(agents.default!.instructions).toBe(ALL);
    expect(agents.default!.handoffDescription).toBe(ALL);
    expect(ctor.name).toBe(topology.agents.constructor.name);
    // As read back from disk: the file cannot hold the payloads' lone surrogates.
    expect(ctor.instructions).toBe(readFileSync(join(work, 'prompt.md'), 'utf8'));
    expect(ctor.handoffDescription).toBe(MULTILINE);
  });

  it('keeps tool names, descriptions and parameter schemas (keys, descriptions, enum values)', () => {
    const [tool] = generated.agents.default!.tools;
    expect(tool!.name).toBe('hostile_tool');
    expect(tool!.description).toBe(MULTILINE);
    expect(tool!.parameters).toEqual(parameters);
    expect(Object.keys((tool!.parameters as { properties: object }).properties)).toEqual(Object.keys(hostileProperties));
  });

  it('keeps named and inline handoff input schemas, edge descriptions and tool-name overrides', () => {
    expect(generated.payloadSchema).toEqual(payloadSchema);
    const byName = new Map(generated.agents.class!.handoffs.map((h) => [h.toolName, h]));
    expect([...byName.keys()]).toEqual(['to-default_1', 'to-ctor_2']);
    expect(byName.get('to-default_1')!.toolDescription).toBe(`Handoff to the ${topology.agents.default.name} agent to handle the request. ${ALL}`);
    expect(byName.get('to-default_1')!.inputJsonSchema).toEqual(payloadSchema);
    expect(byName.get('to-ctor_2')!.toolDescription).toBe(`Handoff to the ${topology.agents.constructor.name} agent to handle the request. ${MULTILINE}`);
    expect(byName.get('to-ctor_2')!.inputJsonSchema).toEqual(inlineInput);
    expect(generated.agents.default!.handoffs.map((h) => h.toolName)).toEqual(['back-1']);
  });

  it('runs: a hostile enum value survives the handoff into the typed hook', async () => {
    const { calls } = await import('./fixtures/impl.js');
    calls.length = 0;
    const reason = enumValues[0]!;
    const provider = new ScriptedModelProvider([() => [call('to-default_1', { reason })], () => [say(ALL)]]);
    const result = await generated.runInjection('hi', { modelProvider: provider, tracingDisabled: true });
    expect(result.lastAgent?.name).toBe(topology.agents.default.name);
    expect(result.finalOutput).toBe(ALL);
    expect(calls).toEqual([`hook:${JSON.stringify({ reason })}`, 'filter']);
  });
});

describe('hostile strings the emitter once got wrong', () => {
  // Fixed bug (src/emit/code.ts `docComment`): descriptions are copied into doc comments with their raw
  // control characters. Harmless to tsc, but a NUL makes git treat the generated file as binary (no
  // reviewable diff), and ESC sequences or bidi overrides (U+202E) rewrite what a reviewer sees in a
  // terminal. Expected: doc comments escape C0/C1 controls, U+2028/U+2029 and bidi controls.
  it('keeps doc comments free of raw control and bidi characters', () => {
    for (const file of files) {
      const found = /[\0-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.exec(file.contents);
      expect(found && `${file.path}: U+${found[0].charCodeAt(0).toString(16)} in ${JSON.stringify(file.contents.slice(Math.max(0, found.index - 60), found.index + 20))}`).toBeNull();
    }
  });

  // Fixed bug (src/emit/code.ts `jsonLiteral`): a schema property named `__proto__` is emitted as
  // `{ "__proto__": {...} }`, which in an object literal sets the prototype instead of creating a
  // property, so the schema the model sees silently loses it. Expected: an own property.
  it('keeps a schema property named `__proto__` as an own property', async () => {
    const dir = repoTempDir('proto');
    try {
      const props = JSON.parse('{"__proto__": {"type": "string", "description": "own"}}') as Record<string, unknown>;
      const schema = { type: 'object', properties: props, required: ['__proto__'], additionalProperties: false };
      const yaml = `version: 1\nname: proto\nentry: a\nagents:\n  a: { instructions: hi }\n  b: { instructions: hi, handoffDescription: b }\nschemas:\n  In: ${JSON.stringify(schema)}\nhandoffs:\n  - { from: a, to: b, input: In }\n  - { from: b, to: a, handback: true }\n`;
      const result = validateSource(yaml, join(dir, 'proto.yaml'));
      expect(result.diagnostics).toEqual([]);
      writeOutput(join(dir, 'out'), await compileTopology(result, { outDir: join(dir, 'out') }));
      const module = (await import(pathToFileURL(join(dir, 'out/proto/agents.ts')).href)) as { inSchema: { properties: object } };
      expect(Object.keys(module.inSchema.properties)).toEqual(['__proto__']);
      expect(Object.getPrototypeOf(module.inSchema.properties)).toBe(Object.prototype);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Fixed bug (src/compile.ts `generatedHeader`): the YAML path is written into a `//` comment as is, so a
  // folder name holding a line break (\n, \r, U+2028, U+2029) ends the comment and the rest of the path
  // becomes code. Expected: the header stays two comment lines whatever the path.
  it('keeps the header a comment when the YAML path holds line breaks', async () => {
    const dir = repoTempDir('header');
    try {
      const nested = join(dir, 'x\nglobalThis.pwned = 1;\u2028y');
      mkdirSync(nested);
      const result = validateSource('version: 1\nname: header\nentry: a\nagents:\n  a: { instructions: hi }\n', join(nested, 't.yaml'));
      expect(result.diagnostics).toEqual([]);
      const [agents] = await compileTopology(result, { outDir: join(dir, 'out') });
      const header = agents!.contents.slice(0, agents!.contents.indexOf('import '));
      for (const line of header.split(/\r\n|[\n\r\u2028\u2029]/).filter(Boolean)) expect(line).toMatch(/^\s*(\/\/|\/\*\*|\*)/);
      expect(agents!.contents).not.toMatch(/^\s*globalThis\.pwned/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

