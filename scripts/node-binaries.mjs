#!/usr/bin/env node
// Node binaries for CI, from the npm registry (the `node-<platform>-<arch>` packages ship a `node`).
//
//   node scripts/node-binaries.mjs install 22 24        → installs each into .cache/node/<major>/, prints its bin dir
//   node scripts/node-binaries.mjs run 22 -- <cmd…>      → runs <cmd…> with that Node first on PATH
//   node scripts/node-binaries.mjs matrix                → the CI matrix: MATRIX_TESTS on every other tested major
//
// CI (.ci/run) runs the whole suite on the system Node (20) and MATRIX_TESTS on 22 and 24: the tests that
// depend on the runtime (the packed tarball installed and loaded from ESM and CommonJS, the CLI processes,
// compile + tsc of the generated code), within the CI time budget (see README, "Developing").
//
// One prefix per major: two versions of the same package cannot share a node_modules.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = process.env.SWITCHBOARD_NODE_CACHE ?? join(root, '.cache', 'node');
const packageName = `node-${process.platform}-${process.arch}`;

/** Node majors CI tests; package.json `engines` must cover them (test/package/engines.test.ts checks). */
export const TESTED_NODE_MAJORS = [20, 22, 24];
/** The vitest files run on every tested major besides the one that runs the whole suite. */
export const MATRIX_TESTS = ['test/package', 'test/cli', 'test/compile'];

/** The bin directory holding `node` for one major version (may not exist yet). */
export function binDir(major) {
  return join(cacheDir, String(major), 'node_modules', packageName, 'bin');
}

function install(major) {
  const bin = binDir(major);
  if (!existsSync(join(bin, 'node'))) {
    const prefix = join(cacheDir, String(major));
    const npm = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `${packageName}@${major}`], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (npm.status !== 0) throw new Error(`npm could not install ${packageName}@${major}`);
  }
  const version = spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' });
  if (version.status !== 0 || !version.stdout.startsWith(`v${major}.`)) throw new Error(`${join(bin, 'node')} is not Node ${major}: ${version.stdout}${version.stderr}`);
  return { bin, version: version.stdout.trim() };
}

function main([command, ...rest]) {
  if (command === 'install' && rest.length > 0) {
    for (const major of rest) {
      const { bin, version } = install(major);
      console.log(`${version} ${bin}`);
    }
    return 0;
  }
  if (command === 'matrix' && rest.length === 0) {
    const current = Number(process.versions.node.split('.')[0]);
    for (const major of TESTED_NODE_MAJORS.filter((m) => m !== current)) {
      const started = Date.now();
      const { bin, version } = install(major);
      console.log(`\n== Node ${version}: vitest run ${MATRIX_TESTS.join(' ')}`);
      const child = spawnSync('npx', ['vitest', 'run', ...MATRIX_TESTS], { cwd: root, stdio: 'inherit', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
      console.log(`== Node ${version}: ${child.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
      if (child.status !== 0) return child.status ?? 1;
    }
    return 0;
  }
  const separator = rest.indexOf('--');
  if (command === 'run' && rest.length >= 3 && separator === 1) {
    const { bin } = install(rest[0]);
    const [cmd, ...args] = rest.slice(2);
    // npm and npx run under whichever `node` is first on PATH, so the whole command tree uses this Node.
    const child = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
    return child.status ?? 1;
  }
  console.error('usage: node scripts/node-binaries.mjs install <major…> | run <major> -- <command…> | matrix');
  return 2;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
