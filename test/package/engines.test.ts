import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../helpers/paths.js';
// @ts-expect-error: a plain .mjs script without types; only its two constants are used here.
import { MATRIX_TESTS, TESTED_NODE_MAJORS } from '../../scripts/node-binaries.mjs';

// `engines` says which Node versions switchboard supports; this keeps it true: CI tests each supported
// major, the lowest one included, and no runtime dependency declares a narrower range than ours.
interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly engines?: { readonly node?: string };
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const own = readManifest(fromRoot());
const engines = own.engines!.node!;
const tested = TESTED_NODE_MAJORS as readonly number[];

/** Where Node would find `name` from `dir`: the nearest node_modules/<name> going up. */
function packageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every installed package `names` pull in (dependencies, transitively), with its declared Node range. */
function closure(names: readonly string[]): Map<string, string | undefined> {
  const seen = new Map<string, string | undefined>();
  const queue = names.map((name) => [name, fromRoot()] as const).slice();
  while (queue.length > 0) {
    const [name, from] = queue.shift()!;
    const dir = packageDir(name, from);
    if (!dir) continue; // an optional dependency for another platform
    const manifest = readManifest(dir);
    const key = `${manifest.name}@${manifest.version}`;
    if (seen.has(key)) continue;
    seen.set(key, manifest.engines?.node);
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) queue.push([dep, dir]);
  }
  return seen;
}

/** The range the Agents SDK needs: the narrowest its dependency tree declares (openai: >=22). */
const SDK_RANGE = '>=22.12.0';

describe("package.json's engines", () => {
  it('covers every Node major CI tests, starts at the lowest of them, and holds the Node running this test', () => {
    expect(engines).toBe('^20.19.0 || >=22.12.0');
    for (const major of tested) expect(semver.intersects(engines, `^${major}.0.0`), `Node ${major}`).toBe(true);
    expect(tested).toContain(semver.minVersion(engines)!.major);
    expect(semver.satisfies(process.versions.node, engines), process.version).toBe(true);
    // require(esm) without a flag (the CommonJS entry, README "Library API") starts at 20.19 and 22.12.
    expect(semver.subset(engines, '^20.19.0 || >=22.12.0')).toBe(true);
    expect(MATRIX_TESTS).toEqual(expect.arrayContaining(['test/package', 'test/cli', 'test/compile']));
  });

  it('is no wider than what any runtime dependency declares', () => {
    const narrower = [...closure(Object.keys(own.dependencies ?? {}))].filter(([, range]) => range !== undefined && !semver.subset(engines, range, { includePrerelease: false }));
    expect(narrower).toEqual([]);
  });

  it('leaves the Agents SDK, an optional peer, to its own range, which README states and CI tests', () => {
    const sdk = closure(['@openai/agents', 'zod']);
    expect(sdk.size).toBeGreaterThan(3);
    const ranges = [...sdk].filter(([, range]) => range !== undefined);
    // openai declares >=22: the SDK's range is narrower than ours, and SDK_RANGE is within every one declared.
    expect(ranges.some(([name, range]) => name.startsWith('openai@') && !semver.subset(engines, range!))).toBe(true);
    for (const [name, range] of ranges) expect(semver.subset(SDK_RANGE, range!), `${name}: ${range}`).toBe(true);
    for (const major of tested.filter((m) => semver.intersects(SDK_RANGE, `^${m}.0.0`))) expect(major).toBeGreaterThanOrEqual(22);
    expect(tested.filter((m) => semver.intersects(SDK_RANGE, `^${m}.0.0`)).length).toBeGreaterThanOrEqual(2);
    const readme = readFileSync(fromRoot('README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain('Node 20.19 or newer (22.12+ on Node 22)');
    expect(readme).toContain('the Agents SDK (generated code, `eval`, `run`) needs Node 22 or newer');
  });
});
