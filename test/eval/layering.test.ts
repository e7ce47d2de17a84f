import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('eval is a library the CLI drives', () => {
  it('nothing in src/eval/ imports src/cli/', () => {
    const offenders = sources(join(root, 'src/eval')).filter((file) => /from\s+['"][./]*\/cli\/|import\(\s*['"][./]*\/cli\//.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('scenarios, statistics and sharding have modules of their own', () => {
    for (const module of ['scenarios.ts', 'statistics.ts', 'shard.ts']) expect(statSync(join(root, 'src/eval', module)).isFile()).toBe(true);
  });
});
