import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

// The package as users get it: packed, installed into a fresh project, then init → validate → compile
// → tsc → run the generated code with a scripted model. Slow (an npm install), so it is one test.
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

describe('the published package', () => {
  it('installs from its tarball and runs init → validate → compile → tsc → run in a new project', () => {
    sh('npm', ['pack', '--pack-destination', work, '--silent'], repoRoot);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
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
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball), '@openai/agents@0.20.0', 'zod@^4', 'typescript@~7.0.2', 'tsx@~4.23.0'], project);

    expect(sh('npx', ['switchboard', 'init'], project)).toContain('created topologies/app.yaml');
    expect(JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')).scripts['switchboard:check']).toBe('switchboard compile topologies/ --check');
    expect(sh('npx', ['switchboard', 'validate', 'topologies/'], project)).toBe('No problems found in 1 file.\n');
    expect(sh('npx', ['switchboard', 'compile', 'topologies/'], project)).toContain('wrote generated/app/agents.ts');
    sh('npx', ['tsc', '-p', '.'], project);

    writeFileSync(join(project, 'run.ts'), SCRIPTED_RUN);
    const output = JSON.parse(sh('npx', ['tsx', 'run.ts'], project));
    expect(output).toEqual({ lastAgent: 'ReturnsAgent', finalOutput: 'Return started.', agents: ['triage', 'orders', 'returns'] });

    // The routing dataset init wrote, evaluated with a user's provider module, through the installed CLI.
    writeFileSync(join(project, 'provider.ts'), ROUTING_PROVIDER);
    const report = sh('npx', ['switchboard', 'eval', 'topologies/app.yaml', '--dataset', 'evals/app.routing.yaml', '--provider', './provider.ts#provider', '--report-json', '-', '--min-accuracy', '1'], project);
    expect(JSON.parse(report)).toMatchObject({ passed: true, runs: [{ summary: { accuracy: 1 } }] });
  });
});
