/**
 * `--provider` modules that are ES modules are bundled and imported natively (src/eval/bundle-module.ts):
 * they must share the topology's SDK copy, see their own file locations, pick up edits, and fall back
 * to tsx for what a bundle cannot represent.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDirectory, loadRuntimeTopology } from '../../src/eval/load-topology.js';
import { loadProviderModule } from '../../src/eval/provider.js';
import { validateFile } from '../../src/validate.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';

type Probe = { getModel(): unknown; Usage?: unknown; CoreUsage?: unknown; answer?: string; helper?: string; picked?: string; version?: number };

let work: string;
const write = (name: string, text: string) => writeFileSync(join(work, name), text);
beforeAll(() => {
  // Inside the repo, so the provider's `@openai/agents` resolves from the repo's node_modules.
  work = mkdtempSync(join(repoRoot, '.tmp-provider-bundle-'));
  mkdirSync(join(work, 'data'));
  write('data/answer.txt', 'forty-two\n');
  write('helper.ts', "export const helper: string = 'helped';\n");
  write(
    'sdk-provider.ts',
    [
      "import { readFileSync } from 'node:fs';",
      "import { Usage } from '@openai/agents';",
      "import { Usage as CoreUsage } from '@openai/agents-core';",
      "import { helper } from './helper.js';",
      "const answer = readFileSync(new URL('./data/answer.txt', import.meta.url), 'utf8').trim();",
      "export const provider = { getModel() { throw new Error('unused'); }, Usage, CoreUsage, answer, helper, dir: import.meta.dirname };",
      '',
    ].join('\n'),
  );
  write('sdk-dependent.ts', "import { zodToJsonSchema } from 'zod-to-json-schema';\nimport { Usage } from '@openai/agents';\nexport const provider = { getModel() { throw new Error('unused'); }, Usage, helper: typeof zodToJsonSchema };\n");
  write('chosen.ts', "export const picked = 'chosen';\n");
  write('computed-import.ts', "const name = './chosen.ts';\nconst { picked } = await import(name);\nexport const provider = { getModel() { throw new Error('unused'); }, picked };\n");
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('an ES module --provider', () => {
  it('shares the compiled topology’s one prebuilt copy of the SDK and reads files next to itself', async () => {
    const runtime = await loadRuntimeTopology(validateFile(fromRoot('topologies/support-desk.yaml')));
    expect(runtime.sdkBundle).toBeDefined();
    const provider = (await loadProviderModule('sdk-provider.ts#provider', work, { sdk: runtime.sdkBundle })) as unknown as Probe;
    expect(provider.Usage).toBe(runtime.sdk.Usage);
    expect(provider.CoreUsage).toBe(runtime.sdk.Usage);
    expect({ answer: provider.answer, helper: provider.helper }).toEqual({ answer: 'forty-two', helper: 'helped' });
    expect(existsSync(join(cacheDirectory(repoRoot), 'providers'))).toBe(true);
  });

  it('without a prebuilt SDK, or with a package that depends on the SDK itself, uses the SDK Node loads from node_modules', async () => {
    const native = (await import('@openai/agents')).Usage;
    expect(((await loadProviderModule('sdk-provider.ts#provider', work)) as unknown as Probe).Usage).toBe(native);
    const runtime = await loadRuntimeTopology(validateFile(fromRoot('topologies/support-desk.yaml')));
    // zod-to-json-schema imports zod itself: bundled against the prebuilt SDK it would meet a second zod.
    const provider = (await loadProviderModule('sdk-dependent.ts#provider', work, { sdk: runtime.sdkBundle })) as unknown as Probe;
    expect({ Usage: provider.Usage === native, helper: provider.helper }).toEqual({ Usage: true, helper: 'function' });
  });

  it('is bundled again when it changed, in the same process', async () => {
    write('versioned.ts', "export const provider = { getModel() { throw new Error('unused'); }, version: 1 };\n");
    expect(((await loadProviderModule('versioned.ts#provider', work)) as unknown as Probe).version).toBe(1);
    write('versioned.ts', "export const provider = { getModel() { throw new Error('unused'); }, version: 2 };\n");
    expect(((await loadProviderModule('versioned.ts#provider', work)) as unknown as Probe).version).toBe(2);
  });

  it('goes through tsx when it imports a computed path, which then resolves next to the file', async () => {
    const provider = (await loadProviderModule('computed-import.ts#provider', work)) as unknown as Probe;
    expect(provider.picked).toBe('chosen');
  });
});
