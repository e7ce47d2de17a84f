import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { importSource } from '../../src/import/index.js';
import { fromRoot } from '../helpers/paths.js';

// import(generated/<name>/agents.ts) gives back the YAML it was compiled from, modulo what code cannot
// carry (docs/import.md, "Importing compiled code"). Both documents are normalised the same way:
// defaults folded into the agents, lists of edges expanded to single edges, named schemas inlined,
// instruction files read, and the keys that leave no trace in agents.ts (description, policy, rules,
// runtime, voice, customerFacing, an agent's description, a tool's kind) dropped.

type Doc = Record<string, any>;
const NOT_IN_CODE = ['description', 'policy', 'rules', 'runtime', 'voice', 'customerFacing', 'defaults'];

function normalise(doc: Doc, yamlDir: string): Doc {
  const out: Doc = JSON.parse(JSON.stringify(doc));
  const defaults = out.defaults ?? {};
  for (const key of NOT_IN_CODE) delete out[key];
  for (const [id, agent] of Object.entries<Doc>(out.agents)) {
    agent.name ??= id;
    agent.model ??= defaults.model;
    if (defaults.modelSettings || agent.modelSettings) agent.modelSettings = { ...defaults.modelSettings, ...agent.modelSettings };
    const prefix = agent.instructionsPrefix ?? defaults.instructionsPrefix;
    delete agent.instructionsPrefix;
    if (prefix === 'recommended') agent.instructionsPrefix = 'recommended';
    if (agent.instructionsFile) {
      agent.instructions = readFileSync(join(yamlDir, agent.instructionsFile), 'utf8');
      delete agent.instructionsFile;
    }
    delete agent.description;
    if (agent.model === undefined) delete agent.model;
  }
  for (const tool of Object.values<Doc>(out.tools ?? {})) delete tool.kind;
  const schema = (ref: unknown) => (typeof ref === 'string' ? out.schemas?.[ref] : ref);
  const filter = (ref: unknown) => (typeof ref === 'string' ? out.filters?.[ref] : ref);
  out.handoffs = (out.handoffs ?? [])
    .flatMap((edge: Doc) => [edge.from].flat().flatMap((from: string) => [edge.to].flat().map((to: string) => ({ ...edge, from, to }))))
    .map((edge: Doc) => ({ ...edge, ...(edge.input ? { input: schema(edge.input) } : {}), ...(edge.filter ? { filter: filter(edge.filter) } : {}), ...(edge.to === out.entry && edge.kind !== 'delegate' ? { handback: true } : {}) }))
    .sort((a: Doc, b: Doc) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`));
  for (const agent of Object.values<Doc>(out.agents)) if (typeof agent.output === 'string') agent.output = schema(agent.output);
  delete out.schemas;
  delete out.filters;
  return out;
}

describe('import of the compiled topologies gives back their YAML', () => {
  for (const name of ['support-desk', 'airline', 'clinic-scheduling']) {
    it(name, async () => {
      const yamlPath = fromRoot('topologies', `${name}.yaml`);
      const agentsTs = fromRoot('generated', name, 'agents.ts');
      const result = await importSource(readFileSync(agentsTs, 'utf8'), agentsTs, { outFile: yamlPath });
      expect(result.notes).toEqual([]);
      expect(result.sideModule).toEqual([]);
      const original = parse(readFileSync(yamlPath, 'utf8')) as Doc;
      const imported = normalise(result.document, fromRoot('topologies'));
      expect(imported).toEqual(normalise(original, fromRoot('topologies')));
    });
  }
});
