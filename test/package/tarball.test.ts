import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromRoot, repoRoot } from '../helpers/paths.js';

// The package as users get it: packed, installed into a fresh project, then init → validate → compile
// → tsc → run the generated code with a scripted model. Slow (npm installs), so few tests, each a story.
const work = mkdtempSync(join(tmpdir(), 'switchboard-tarball-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sh = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });

const SCRIPTED_RUN = `
import { Usage, type ModelProvider } from '@openai/agents';
import { runApp, agents } from './generated/app/index.js';

const steps = [
  { type: 'function_call', callId: 'c1', name: 'transfer_to_ReturnsAgent', arguments: JSON.stringify({ reason: 'wants to return' }), status: 'completed' },
  { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Return started.' }] },
] as const;
let turn = 0;
const provider: ModelProvider = {
  getModel: () => ({
    getResponse: async () => ({ output: [steps[turn++] as never], usage: new Usage(), responseId: String(turn) }),
    getStreamedResponse: () => { throw new Error('no streaming'); },
  }),
};
const result = await runApp('I want to return my order', { modelProvider: provider, tracingDisabled: true });
console.log(JSON.stringify({ lastAgent: result.lastAgent?.name, finalOutput: result.finalOutput, agents: Object.keys(agents) }));
`;

// The shipped trace processor, registered alone (no OpenAI exporter), then read back by \`switchboard traffic\`.
const TRACED_RUN = SCRIPTED_RUN.replace(
  "import { runApp, agents } from './generated/app/index.js';",
  "import { runApp, agents } from './generated/app/index.js';\nimport { setTraceProcessors, setTracingDisabled } from '@openai/agents';\nimport { JsonlTraceProcessor } from 'switchboard/tracing';\nsetTraceProcessors([new JsonlTraceProcessor({ file: 'traces/app.jsonl' })]);\nsetTracingDisabled(false); // the SDK turns tracing off under NODE_ENV=test, which vitest sets",
).replace('tracingDisabled: true', 'tracingDisabled: false');

const ROUTING_PROVIDER = `
import { Usage, type ModelProvider, type ModelRequest } from '@openai/agents';

const routeOf = (text: string) => (/back|swap|return|broken/i.test(text) ? 'transfer_to_ReturnsAgent' : /order/i.test(text) ? 'transfer_to_OrdersAgent' : undefined);
export const provider: ModelProvider = {
  getModel: () => ({
    getResponse: async (request: ModelRequest) => {
      const text = JSON.stringify(request.input);
      const route = request.handoffs.length > 1 ? routeOf(text) : undefined;
      const output = route
        ? [{ type: 'function_call', callId: 'c1', name: route, arguments: JSON.stringify({ reason: 'routing' }), status: 'completed' }]
        : [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'How can I help?' }] }];
      return { output: output as never, usage: new Usage() };
    },
    getStreamedResponse: () => { throw new Error('no streaming'); },
  }),
};
`;

/** The packed tarball's file name in `work`, packed on first use. */
let packed: string | undefined;
function tarballName(): string {
  if (!packed) {
    sh('npm', ['pack', '--pack-destination', work, '--silent'], repoRoot);
    packed = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  }
  return packed;
}

/** What users install next to switchboard, per the README: the SDK, zod, TypeScript, and tsx to run .ts files. */
const USER_DEPENDENCIES = ['@openai/agents@0.20.0', 'zod@^4', 'typescript@~7.0.2', 'tsx@~4.23.0'];

/** tsc over the project; its diagnostics become the assertion message when it fails. */
function expectTypeChecks(project: string): void {
  const tsc = spawnSync('npx', ['tsc', '-p', '.'], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect({ status: tsc.status, diagnostics: `${tsc.stdout}${tsc.stderr}`.trim() }).toEqual({ status: 0, diagnostics: '' });
}

/** The README's library snippets (```js blocks under "Library API"): the ES module one, then the CommonJS one. */
function readmeLibrarySnippets(): { esm: string; cjs: string } {
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Library API'), readme.indexOf('\n## ', readme.indexOf('## Library API') + 1));
  const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const esm = blocks.find((b) => b.includes("from 'switchboard'"));
  const cjs = blocks.find((b) => b.includes("require('switchboard')"));
  if (!esm || !cjs) throw new Error('README.md: the Library API section should show an import and a require snippet');
  return { esm, cjs };
}

/** Runs the README's snippets from `project` (ESM as .mjs, CommonJS as .cjs) and a typed import of each entry point. */
function expectLoadsFromEsmAndCommonJs(project: string): void {
  mkdirSync(join(project, 'topologies'), { recursive: true });
  cpSync(fromRoot('topologies/support-desk.yaml'), join(project, 'topologies/support-desk.yaml'));
  cpSync(fromRoot('topologies/support-desk'), join(project, 'topologies/support-desk'), { recursive: true });
  const { esm, cjs } = readmeLibrarySnippets();
  writeFileSync(join(project, 'snippet.mjs'), esm);
  writeFileSync(join(project, 'snippet.cjs'), cjs);
  // Both module systems get the same module instance's exports, and both entry points resolve.
  writeFileSync(join(project, 'entries.cjs'), "const s = require('switchboard'); const t = require('switchboard/tracing');\nconsole.log(JSON.stringify({ node: process.version, validateFile: typeof s.validateFile, rules: s.RULES.length > 0, tracing: typeof t.JsonlTraceProcessor }));\n");
  writeFileSync(join(project, 'entries.mjs'), "import { validateFile, RULES } from 'switchboard'; import { JsonlTraceProcessor } from 'switchboard/tracing';\nconsole.log(JSON.stringify({ node: process.version, validateFile: typeof validateFile, rules: RULES.length > 0, tracing: typeof JsonlTraceProcessor }));\n");
  const expected = { node: process.version, validateFile: 'function', rules: true, tracing: 'function' };
  for (const script of ['entries.mjs', 'entries.cjs']) {
    const ran = spawnSync(process.execPath, [script], { cwd: project, encoding: 'utf8' });
    // No ExperimentalWarning either: require(esm) is unflagged and quiet on every supported Node.
    expect({ script, status: ran.status, stderr: ran.stderr, out: ran.stdout ? JSON.parse(ran.stdout) : undefined }).toEqual({ script, status: 0, stderr: '', out: expected });
  }
  for (const script of ['snippet.mjs', 'snippet.cjs']) {
    const ran = spawnSync(process.execPath, [script], { cwd: project, encoding: 'utf8' });
    expect({ script, status: ran.status, stdout: ran.stdout, stderr: ran.stderr }).toEqual({ script, status: 0, stdout: '', stderr: '' });
  }
}

describe('the published package', () => {
  it('loads from ES modules and from CommonJS: installed from the tarball, and linked (npm link, file: dependencies)', () => {
    // A CommonJS project (no "type" field), the tarball its only dependency.
    const installed = join(work, 'cjs-app');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'cjs-app', private: true }, null, 2));
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarballName())], installed);
    expectLoadsFromEsmAndCommonJs(installed);

    // What `npm link switchboard` and a `file:` dependency on a checkout both leave: node_modules/switchboard
    // a symlink to the package's folder, whose own node_modules holds its dependencies.
    const linked = join(work, 'linked-checkout-app');
    mkdirSync(join(linked, 'node_modules'), { recursive: true });
    writeFileSync(join(linked, 'package.json'), JSON.stringify({ name: 'linked-checkout-app', private: true, dependencies: { switchboard: `file:${repoRoot}` } }, null, 2));
    symlinkSync(repoRoot, join(linked, 'node_modules/switchboard'), 'dir');
    expectLoadsFromEsmAndCommonJs(linked);
  }, 120_000);


  it('installs from its tarball and runs init → validate → compile → tsc → run in a new project', () => {
    const tarball = tarballName();
    expect(tarball).toMatch(/^switchboard-\d+\.\d+\.\d+\.tgz$/);
    const contents = sh('tar', ['-tzf', join(work, tarball)], work);
    expect(contents).toContain('package/dist/index.js');
    expect(contents).toContain('package/schema/topology.schema.json');
    // The preview's client, Mermaid bundled in: users need no peer for `switchboard preview`.
    expect(contents).toContain('package/dist/preview-client/preview.js');
    expect(contents).not.toContain('package/test/');

    const project = join(work, 'app');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2));
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball), ...USER_DEPENDENCIES], project);

    expect(sh('npx', ['switchboard', 'init'], project)).toContain('created topologies/app.yaml');
    expect(JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')).scripts['switchboard:check']).toBe('switchboard compile topologies/ --check');
    expect(sh('npx', ['switchboard', 'validate', 'topologies/'], project)).toBe('No problems found in 1 file.\n');
    expect(sh('npx', ['switchboard', 'compile', 'topologies/'], project)).toContain('wrote generated/app/agents.ts');
    sh('npx', ['tsc', '-p', '.'], project);

    writeFileSync(join(project, 'run.ts'), SCRIPTED_RUN);
    const output = JSON.parse(sh('npx', ['tsx', 'run.ts'], project));
    expect(output).toEqual({ lastAgent: 'ReturnsAgent', finalOutput: 'Return started.', agents: ['triage', 'orders', 'returns'] });

    writeFileSync(join(project, 'traced-run.ts'), TRACED_RUN);
    sh('npx', ['tsx', 'traced-run.ts'], project);
    const traffic = JSON.parse(sh('npx', ['switchboard', 'traffic', 'topologies/app.yaml', 'traces/app.jsonl', '--format', 'json'], project));
    expect(traffic).toMatchObject({ conversations: 1, routed: 1, routes: [{ route: 'orders', conversations: 0 }, { route: 'returns', conversations: 1 }, { route: 'stay', conversations: 0 }] });
    expect(sh('npx', ['switchboard', 'routes', 'topologies/app.yaml'], project)).toContain('triage → returns');

    // The routing dataset init wrote, evaluated with a user's provider module, through the installed CLI.
    writeFileSync(join(project, 'provider.ts'), ROUTING_PROVIDER);
    const report = sh('npx', ['switchboard', 'eval', 'topologies/app.yaml', '--dataset', 'evals/app.routing.yaml', '--provider', './provider.ts#provider', '--report-json', '-', '--min-accuracy', '1'], project);
    expect(JSON.parse(report)).toMatchObject({ passed: true, runs: [{ summary: { accuracy: 1 } }] });
    // An npm install and a dozen CLI and tsx processes: only a hang should time out, on a loaded machine too.
  }, 180_000);

  // A strict layout (npm's linked strategy, as pnpm does by default) exposes only the packages the project
  // itself depends on: generated code that imports anything else fails here (TS2307), not on users' machines.
  it('under a linked install (--install-strategy=linked), every shipped example compiles, type-checks and runs', () => {
    const project = join(work, 'linked', 'app');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2));
    // `ws` is the phone-line example's own dependency (docs/voice.md), `@modelcontextprotocol/sdk` the helpdesk MCP server's (support-desk-mcp), copied in with topologies/ below.
    sh('npm', ['install', '--install-strategy=linked', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarballName()), ...USER_DEPENDENCIES, 'ws@^8', '@types/ws@^8', '@modelcontextprotocol/sdk@1.32.2'], project);
    // The layout really is strict: the SDK's own dependencies are not visible from the project.
    expect(existsSync(join(project, 'node_modules/@openai/agents'))).toBe(true);
    expect(existsSync(join(project, 'node_modules/@openai/agents-core'))).toBe(false);

    expect(sh('npx', ['switchboard', 'init'], project)).toContain('created topologies/app.yaml');
    for (const entry of readdirSync(fromRoot('topologies'))) cpSync(fromRoot('topologies', entry), join(project, 'topologies', entry), { recursive: true });
    expect(sh('npx', ['switchboard', 'compile', 'topologies/'], project)).toContain('5 topologies compiled');
    expectTypeChecks(project);

    writeFileSync(join(project, 'run.ts'), SCRIPTED_RUN);
    expect(JSON.parse(sh('npx', ['tsx', 'run.ts'], project))).toEqual({ lastAgent: 'ReturnsAgent', finalOutput: 'Return started.', agents: ['triage', 'orders', 'returns'] });
  }, 180_000);
});
