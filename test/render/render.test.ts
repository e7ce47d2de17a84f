import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BROWSER_CANDIDATES, BROWSER_HELP, explicitBrowserProblem, findBrowser } from '../../src/render/find-browser.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';

const out = mkdtempSync(join(tmpdir(), 'switchboard-render-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const switchboard = (args: string[], env: Record<string, string> = {}) => {
  const result = spawnSync(process.execPath, [fromRoot('bin/switchboard.js'), ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('findBrowser', () => {
  it('prefers the option, then the environment, then the usual paths', () => {
    const exists = (path: string) => ['/opt/chrome', '/usr/bin/chromium'].includes(path);
    expect(findBrowser('/opt/chrome', { SWITCHBOARD_BROWSER: '/x' }, exists)).toBe('/opt/chrome');
    expect(findBrowser(undefined, { PUPPETEER_EXECUTABLE_PATH: '/opt/chrome' }, exists)).toBe('/opt/chrome');
    expect(findBrowser(undefined, {}, exists)).toBe('/usr/bin/chromium');
    expect(findBrowser(undefined, { SWITCHBOARD_BROWSER: '/missing' }, exists)).toBeUndefined();
    expect(findBrowser(undefined, {}, () => false)).toBeUndefined();
    expect(BROWSER_CANDIDATES[0]).toBe('/usr/bin/chromium');
  });
});

describe('switchboard render', () => {
  it('exits 2 and names the browser given when it does not exist', () => {
    const result = switchboard(['render', 'generated/support-desk/topology.mmd', '--out', out], { SWITCHBOARD_BROWSER: '/nonexistent/chromium' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('switchboard: the browser /nonexistent/chromium (from SWITCHBOARD_BROWSER) does not exist; point SWITCHBOARD_BROWSER at a Chromium or Chrome executable\n');
    const flag = switchboard(['render', 'generated/support-desk/topology.mmd', '--out', out, '--browser', '/nope']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^switchboard: the browser \/nope \(from --browser\) does not exist/);
    const folder = switchboard(['render', 'generated/support-desk/topology.mmd', '--out', out, '--browser', tmpdir()]);
    expect(folder.stderr).toMatch(/\(from --browser\) is a folder, not a program/);
  });

  it('says how to get a browser when none is named and none is found', () => {
    expect(BROWSER_HELP).toContain('apt-get install -y --no-install-recommends chromium fonts-liberation');
    expect(findBrowser(undefined, {}, () => false)).toBeUndefined();
    expect(explicitBrowserProblem(undefined, {}, () => false)).toBeUndefined();
  });

  // Needs Debian's Chromium, which .ci/run installs.
  it.runIf(existsSync('/usr/bin/chromium'))('renders every example to SVG and PNG with one browser, showing every agent', () => {
    const result = switchboard(['render', 'generated/', '--format', 'both', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    for (const name of ['support-desk', 'clinic-scheduling', 'airline']) {
      const svg = readFileSync(join(out, name, 'topology.svg'), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      const yaml = readFileSync(fromRoot(`topologies/${name}.yaml`), 'utf8');
      const agentNames = [...yaml.matchAll(/^ {4}name: (.+)$/gm)].map((m) => m[1]!);
      expect(agentNames.length).toBeGreaterThan(2);
      for (const agent of agentNames) expect(svg).toContain(agent);
      const png = readFileSync(join(out, name, 'topology.png'));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.readUInt32BE(16)).toBeGreaterThan(400); // width in the IHDR chunk
    }
  });

  it.runIf(existsSync('/usr/bin/chromium'))('reports a diagram with a syntax error and still renders the others', () => {
    const dir = mkdtempSync(join(out, 'mixed-'));
    spawnSync('cp', [fromRoot('generated/support-desk/topology.mmd'), join(dir, 'good.mmd')]);
    spawnSync('sh', ['-c', `printf 'flowchart LR\\n  a --> [oops\\n' > ${join(dir, 'bad.mmd')}`]);
    const result = switchboard(['render', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.mmd:2:\d+ error Parse error: expecting .*\[render\]\n$/);
    expect(existsSync(join(dir, 'good.svg'))).toBe(true);
  });
});
