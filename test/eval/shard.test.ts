import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseShard } from '../../src/eval/shard.js';
import { repoRoot } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'switchboard-shard-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const sb = (args: string[]) => execFileSync('node', ['bin/switchboard.js', ...args], { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env.PATH!, NO_COLOR: '1' } });

describe('--shard and eval merge', () => {
  it('parses i/n', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('4/3')).toThrow('1 ≤ index ≤ count');
  });

  it('three shards merged (in any order) give the single run\'s report byte for byte', () => {
    const common = ['eval', 'topologies/support-desk.yaml', '-d', 'evals/support-desk.routing.yaml', '--replay', 'evals/support-desk.cassette.json'];
    sb([...common, '--report-json', join(work, 'single.json')]);
    for (const i of [1, 2, 3]) sb([...common, '--shard', `${i}/3`, '--report-json', join(work, `s${i}.json`)]);
    expect(JSON.parse(readFileSync(join(work, 's2.json'), 'utf8')).dataset.cases).toBe(23);
    sb(['eval', 'merge', join(work, 's3.json'), join(work, 's1.json'), join(work, 's2.json'), '--report-json', join(work, 'merged.json')]);
    expect(readFileSync(join(work, 'merged.json'), 'utf8')).toBe(readFileSync(join(work, 'single.json'), 'utf8'));
    expect(() => execFileSync('node', ['bin/switchboard.js', 'eval', 'merge', join(work, 's1.json'), join(work, 's2.json')], { cwd: repoRoot, stdio: 'pipe' })).toThrow(/missing shard 3\/3/);
  });
});
