import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot, repoRoot } from '../helpers/paths.js';

// The CLI as users run it: the built bin in a real subprocess (npm test builds first).
const bin = fromRoot('bin/switchboard.js');
// FORCE_COLOR left out, not emptied: Node 22+ warns on stderr when NO_COLOR and FORCE_COLOR are both set.
const { FORCE_COLOR: _forceColor, ...inherited } = process.env;
function switchboard(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...inherited, NO_COLOR: '1', ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(repoRoot, '.tmp-cli-'));
  writeFileSync(
    join(work, 'broken.yaml'),
    ['version: 1', 'name: broken', 'entry: triage', 'agents:', '  triage:', '    instructions: Route.', '    modle: gpt-4o', 'handoffs:', '  - from: triage', '    to: billing', ''].join('\n'),
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('switchboard validate', () => {
  it('exits 0 on the shipped topologies', () => {
    const { code, stdout } = switchboard(['validate', 'topologies/']);
    expect(stdout).toBe('No problems found in 4 files.\n');
    expect(code).toBe(0);
  });

  it('exits 1 with located diagnostics, a code frame and did-you-mean', () => {
    const { code, stdout, stderr } = switchboard(['validate', join(work, 'broken.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const file = `${work.slice(repoRoot.length + 1)}/broken.yaml`;
    expect(stdout).toContain(`${file}:7:5 error unknown key \`modle\` in \`triage\`; did you mean \`model\`? [schema/unknown-key]`);
    expect(stdout).toContain(`${file}:10:9 error unknown agent \`billing\``);
    expect(stdout).toMatch(/> {1,2}7 \|     modle: gpt-4o\n\s+\|     \^\^\^\^\^/);
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it('colours only on a terminal or when asked', () => {
    const broken = join(work, 'broken.yaml');
    expect(switchboard(['validate', broken], { env: { NO_COLOR: '' } }).stdout).not.toMatch(/\u001b\[/);
    expect(switchboard(['validate', broken, '--color'], { env: { NO_COLOR: '' } }).stdout).toMatch(/\u001b\[31m/);
  });

  it('prints JSON, GitHub annotations and SARIF', () => {
    const broken = join(work, 'broken.yaml');
    const json = JSON.parse(switchboard(['validate', broken, '--format', 'json']).stdout);
    expect(json.summary).toEqual({ files: 1, errors: 2, warnings: 0, suppressed: 0 });
    expect(json.diagnostics[0]).toMatchObject({ line: 7, column: 5, ruleId: 'schema/unknown-key', pointer: '/agents/triage/modle' });
    const github = switchboard(['validate', broken, '--format', 'github']).stdout;
    expect(github).toMatch(/^::error file=.*broken\.yaml,line=7,col=5,/m);
    const sarif = JSON.parse(switchboard(['validate', broken, '--format', 'sarif']).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(2);
  });

  it('prints pretty headers that the shipped GitHub problem matcher understands', () => {
    const matcher = JSON.parse(readFileSync(fromRoot('docs/github-problem-matcher.json'), 'utf8')).problemMatcher[0].pattern[0];
    const regexp = new RegExp(matcher.regexp);
    const { stdout } = switchboard(['validate', join(work, 'broken.yaml')]);
    const matches = stdout.split('\n').map((line) => regexp.exec(line)).filter((m): m is RegExpExecArray => m !== null);
    expect(matches.map((m) => [m[2], m[3], m[4], m[6]])).toEqual([
      ['7', '5', 'error', 'schema/unknown-key'],
      ['10', '9', 'error', 'unknown-reference'],
    ]);
  });

  it('fails on warnings only past --max-warnings', () => {
    const file = join(work, 'warn.yaml');
    writeFileSync(
      file,
      ['version: 1', 'name: warn', 'entry: triage', 'agents:', '  triage: { instructions: Route. }', '  billing: { instructions: Bill., handoffDescription: Invoices. }',
        'schemas:', '  Spare: { type: object }', 'handoffs:', '  - { from: triage, to: billing }', '  - { from: billing, to: triage, handback: true }', ''].join('\n'),
    );
    const lenient = switchboard(['validate', file]);
    expect(lenient.code, lenient.stdout).toBe(0);
    expect(lenient.stdout).toContain('[unused-definition]');
    const strict = switchboard(['validate', file, '--max-warnings', '0']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('exceed --max-warnings 0');
  });

  it('exits 2 without a stack trace on usage errors', () => {
    const missing = switchboard(['validate', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('switchboard: no such file or directory: nope.yaml\n');
    const badOption = switchboard(['validate', 'topologies/', '--format', 'xml']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/argument 'xml' is invalid/);
    const unknownCommand = switchboard(['valdate']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/Did you mean validate\?/);
    for (const r of [missing, badOption, unknownCommand]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints --version, and help with examples for every command', () => {
    expect(switchboard(['--version']).stdout.trim()).toBe(JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')).version);
    for (const command of ['validate', 'compile', 'render', 'diff', 'init', 'watch', 'rules', 'routes', 'traffic']) {
      const help = switchboard([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout, command).toContain('Examples:');
    }
  });

  it('prints nothing with --quiet when all is well', () => {
    const result = switchboard(['compile', 'topologies/', '--check', '--quiet']);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});

describe('switchboard compile', () => {
  it('writes the output, then --check passes; a stale file makes --check exit 1 naming it', () => {
    const out = join(work, 'out');
    const first = switchboard(['compile', 'topologies/support-desk.yaml', '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('5 files written'); // agents.ts, index.ts, voice.ts, topology.mmd, TOPOLOGY.md
    expect(readFileSync(join(out, 'support-desk/agents.ts'), 'utf8')).toBe(readFileSync(fromRoot('generated/support-desk/agents.ts'), 'utf8').replaceAll('"../../topologies/', `"${'../'.repeat(3)}topologies/`));
    expect(switchboard(['compile', 'topologies/support-desk.yaml', '--out', out, '--check']).code).toBe(0);
    writeFileSync(join(out, 'support-desk/index.ts'), '// edited by hand\n');
    const check = switchboard(['compile', 'topologies/support-desk.yaml', '--out', out, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('support-desk/index.ts');
    expect(readFileSync(join(out, 'support-desk/index.ts'), 'utf8')).toBe('// edited by hand\n');
  });

  it('writes nothing and leaves earlier output untouched when any input has errors', () => {
    const out = join(work, 'out-errors');
    expect(switchboard(['compile', 'topologies/support-desk.yaml', '--out', out]).code).toBe(0);
    const before = statSync(join(out, 'support-desk/agents.ts')).mtimeMs;
    const failed = switchboard(['compile', 'topologies/support-desk.yaml', join(work, 'broken.yaml'), '--out', out]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('nothing was written');
    expect(statSync(join(out, 'support-desk/agents.ts')).mtimeMs).toBe(before);
  });

  it('refuses to write through a symlink inside the output folder', () => {
    const out = join(work, 'out-link');
    const outside = mkdtempSync(join(tmpdir(), 'switchboard-outside-'));
    mkdirSync(out);
    symlinkSync(outside, join(out, 'support-desk'));
    const result = switchboard(['compile', 'topologies/support-desk.yaml', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to write through the symlink/);
    expect(() => statSync(join(outside, 'agents.ts'))).toThrow();
    rmSync(outside, { recursive: true, force: true });
  });

  it('rejects two topologies with the same name with a located error, writing nothing', () => {
    const copy = join(work, 'copy');
    mkdirSync(copy, { recursive: true });
    cpSync(fromRoot('topologies/support-desk.yaml'), join(copy, 'again.yaml'));
    cpSync(fromRoot('topologies/support-desk'), join(copy, 'support-desk'), { recursive: true });
    const result = switchboard(['compile', 'topologies/support-desk.yaml', join(copy, 'again.yaml'), '--out', join(work, 'out-dup')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/again\.yaml:3:7 error topology name `support-desk` is already used by topologies\/support-desk\.yaml:3:7; .* \[source\/duplicate-name\]/);
    expect(existsSync(join(work, 'out-dup'))).toBe(false);
  });
});

describe('switchboard rules', () => {
  it('keeps docs/rules.md in sync with the registry', () => {
    expect(switchboard(['rules', '--format', 'markdown']).stdout).toBe(readFileSync(fromRoot('docs/rules.md'), 'utf8'));
  });
});
