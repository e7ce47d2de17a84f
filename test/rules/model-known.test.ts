import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSource } from '../../src/validate.js';
import { isKnownModel, REALTIME_MODELS, TEXT_MODELS, TRANSCRIPTION_MODELS } from '../../src/rules/known-models.js';
import { fromRoot } from '../helpers/paths.js';

// The cases the fixture folder does not cover; the fixture is a text-only variant here.
const FIXTURE = fromRoot('test/fixtures/rules/model-known/pass.yaml');
const base = readFileSync(FIXTURE, 'utf8').replace('runtime: [text, voice]', 'runtime: [text]').replace(/^voice:\n(?: {2}.*\n)+/m, '');
const findings = (yaml: string, models?: string[]) =>
  validateSource(yaml, FIXTURE, models ? { ruleOptions: { 'model-known': { models } } } : {})
    .diagnostics.filter((d) => d.ruleId === 'model-known')
    .map((d) => `${d.range!.start.line}:${d.range!.start.column} ${d.message}`);
const withAgentModel = (model: string) => base.replace('    name: Triage Agent\n', `    name: Triage Agent\n    model: ${model}\n`);

describe('model-known', () => {
  it("reports an agent's own model at its value", () => {
    expect(findings(withAgentModel('o4-mni'))).toEqual(['13:12 unknown model `o4-mni`; did you mean `o4-mini`?']);
  });

  it('reports an OpenAI-looking name it cannot place, without a guess', () => {
    expect(findings(withAgentModel('gpt-zeta'))).toEqual(['13:12 unknown model `gpt-zeta`']);
  });

  it("leaves other providers' models, fine-tunes and unrelated names alone", () => {
    for (const model of ['anthropic/claude-sonnet', 'ft:gpt-4o-mini:acme::abc123', 'llama3.3', 'gpt-4o-2024-08-06', 'gpt-4-0613']) expect(findings(withAgentModel(model))).toEqual([]);
  });

  it('accepts the names the configuration adds, and the topology\'s own list', () => {
    expect(findings(withAgentModel('gpt-4o-mnii'), ['gpt-4o-mnii'])).toEqual([]);
    const own = withAgentModel('gpt-house').replace('\nagents:\n', '\nrules:\n  model-known: { models: [gpt-house] }\n\nagents:\n');
    expect(findings(own)).toEqual([]);
  });

  it('knows every model the installed openai client names (text, realtime, transcription)', () => {
    const types = fromRoot('node_modules/openai/resources');
    const literals = (text: string) => [...text.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    const shared = readFileSync(join(types, 'shared.d.ts'), 'utf8');
    const text = [/export type ChatModel = ([^;]*);/, /export type ResponsesModel = ([^;]*);/].flatMap((re) => literals(re.exec(shared)![1]!));
    const realtimeTypes = readFileSync(join(types, 'realtime/realtime.d.ts'), 'utf8');
    const unions = [...realtimeTypes.matchAll(/model\??: \(string & \{\}\) \|([^;]*);/g)].map((m) => literals(m[1]!));
    const audio = unions.filter((u) => u.some((n) => n.includes('realtime'))).flat();
    const transcription = unions.filter((u) => u.includes('whisper-1')).flat();
    expect(text.length).toBeGreaterThan(50);
    expect(audio.length).toBeGreaterThan(5);
    expect(transcription.length).toBeGreaterThan(3);
    const known = new Set([...TEXT_MODELS, ...REALTIME_MODELS, ...TRANSCRIPTION_MODELS]);
    expect([...text, ...audio, ...transcription].filter((name) => !isKnownModel(name, known))).toEqual([]);
  });
});

describe('model-known and the configuration', () => {
  it('takes `models` from switchboard.config.json', async () => {
    const { mkdtempSync, writeFileSync, rmSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { runCli } = await import('../../src/cli/program.js');
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-models-'));
    try {
      mkdirSync(join(dir, 'rules'));
      writeFileSync(join(dir, 'package.json'), '{}\n');
      writeFileSync(join(dir, 'shared-tools.ts'), readFileSync(fromRoot('test/fixtures/rules/shared-tools.ts'), 'utf8'));
      writeFileSync(join(dir, 'rules/line.yaml'), withAgentModel('gpt-house'));
      let stdout = '';
      const io = { stdout: (t: string) => (stdout += t), stderr: () => undefined, cwd: dir, env: { NO_COLOR: '1' }, isTTY: false };
      expect(await runCli(['validate', 'rules/line.yaml'], io)).toBe(0);
      expect(stdout).toContain('rules/line.yaml:13:12 warning unknown model `gpt-house`');
      writeFileSync(join(dir, 'switchboard.config.json'), JSON.stringify({ models: ['gpt-house'] }));
      stdout = '';
      expect(await runCli(['validate', 'rules/line.yaml'], io)).toBe(0);
      expect(stdout).toBe('No problems found in 1 file.\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
