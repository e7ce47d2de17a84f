import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../src/source/load-yaml.js';
import { cachedDataFor, commonJsScript } from '../../src/schema/validate-schema.js';
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

describe('the verdict validator’s code cache (dist/bundle/topology-verdict.cjs.cache)', () => {
  const file = pathToFileURL(fromRoot('dist/bundle/topology-verdict.cjs'));
  const source = readFileSync(file);

  it('is used only when the copy of the source in it is exactly the file', () => {
    const data = cachedDataFor(file, source);
    expect(data?.length).toBeGreaterThan(10_000);
    // V8 takes it: the build made it from this source.
    expect(commonJsScript(file, source.toString('utf8'), data).cachedDataRejected).toBe(false);
    const edited = Buffer.from(source);
    edited[edited.length - 2] = edited[edited.length - 2] === 0x20 ? 0x0a : 0x20; // same length, one byte changed
    expect(cachedDataFor(file, edited)).toBeUndefined();
    expect(cachedDataFor(file, source.subarray(1))).toBeUndefined();
  });

  it('is ignored when it is missing or truncated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-cache-'));
    try {
      const copy = pathToFileURL(join(dir, 'v.cjs'));
      writeFileSync(copy, source);
      expect(cachedDataFor(copy, source)).toBeUndefined();
      writeFileSync(new URL(`${copy.href}.cache`), readFileSync(new URL(`${file.href}.cache`)).subarray(0, 100));
      expect(cachedDataFor(copy, source)).toBeUndefined();
      writeFileSync(new URL(`${copy.href}.cache`), Buffer.alloc(2));
      expect(cachedDataFor(copy, source)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
