import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../src/source/load-yaml.js';
import { fromRoot } from '../helpers/paths.js';

// The build writes two precompiled validators (src/schema/build-validator.ts): the first-error one
// decides, the all-errors one explains. They must agree on every file, valid or not (npm test builds first).
type Check = ((data: unknown) => boolean) & { errors?: unknown[] | null };
const load = (name: string) => createRequire(import.meta.url)(fromRoot('dist/schema', name)) as { topology: Check; embedded: Check };
const yamlFiles = [
  ...readdirSync(fromRoot('topologies')).filter((f) => f.endsWith('.yaml')).map((f) => `topologies/${f}`),
  ...readdirSync(fromRoot('test/fixtures'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => `test/fixtures/${f}`),
];

describe('the first-error validator', () => {
  it('gives the all-errors validator’s verdict on every shipped topology and fixture', () => {
    const verdict = load('topology-verdict.cjs');
    const full = load('topology-validator.cjs');
    let invalid = 0;
    for (const file of yamlFiles) {
      const { data } = loadYaml(readFileSync(fromRoot(file)), file);
      if (data === undefined) continue;
      const expected = full.topology(data);
      if (!expected) invalid++;
      expect(verdict.topology(data), file).toBe(expected);
    }
    expect(yamlFiles.length).toBeGreaterThan(20);
    expect(invalid).toBeGreaterThan(5);
  });
});
