/**
 * The hostile-testing findings of issue 13 around the commands (not the YAML core): each case failed
 * before its fix. Most run the CLI in-process through `runCli`; the ones that could hang, crash the
 * process or depend on real pipes run the built bin in a subprocess with a time limit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { fromRoot, repoRoot } from '../helpers/paths.js';
import { repoTempDir, snapshotTree, STACK_TRACE } from './support.js';

const bin = fromRoot('bin/switchboard.js');

/** The built CLI in a subprocess, killed after `timeout` ms (a hang fails the test instead of the run). */
function switchboard(args: string[], options: { cwd?: string; timeout?: number } = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? work,
    encoding: 'utf8',
    timeout: options.timeout ?? 20_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI in-process, with captured output. */
async function cli(args: string[], cwd = work) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: { NO_COLOR: '1' }, isTTY: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const topology = (name: string, agents = '  triage: { instructions: Route callers. }\n') => `version: 1\nname: ${name}\nentry: triage\nagents:\n${agents}`;
/** No raw control or bidi character a terminal would act on (tab and line feed are fine). */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let work: string;
beforeAll(() => {
  work = repoTempDir('hardening');
  writeFileSync(join(work, 'package.json'), '{ "name": "hardening", "private": true }\n');
  writeFileSync(join(work, 'ok.yaml'), topology('ok'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('diff: a spec is never a git option', () => {
  // Fixed bug: `diff -- "--output=/x:y" m.yaml` passed the spec to `git show`, which wrote a file.
  it('rejects a spec that starts with "-" and writes nothing', async () => {
    const target = join(work, 'git-wrote-this');
    const result = await cli(['diff', '--', `--output=${target}:x`, 'ok.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/a revision cannot start with "-"/);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}:x`)).toBe(false);
  });

  it('ends git\'s options before the spec (`rev:--output=…` is a path, not an option)', async () => {
    const target = join(work, 'git-wrote-that');
    const result = await cli(['diff', `HEAD:--output=${target}`, 'ok.yaml'], repoRoot);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^switchboard: cannot read HEAD:--output=.* from git: /);
    expect(existsSync(target)).toBe(false);
  });

  it('escapes terminal controls in the pretty diff', async () => {
    writeFileSync(join(work, 'diff-a.yaml'), topology('d', '  triage: { name: Plain, instructions: Route callers. }\n'));
    writeFileSync(join(work, 'diff-b.yaml'), topology('d', '  triage: { name: "T\\e]0;pwned\\a\\u202e", instructions: "Route \\e[2J callers." }\n'));
    const result = await cli(['diff', 'diff-a.yaml', 'diff-b.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/name: Plain → T\\u001b\]0;pwned\\u0007\\u202e/);
    expect(result.stdout).not.toMatch(TERMINAL_UNSAFE);
  });
});

describe('terminal output', () => {
  it('escapes file names and usage messages that carry escape sequences', async () => {
    const missing = await cli(['validate', 'no\u001b[2Jsuch\u202e.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('switchboard: no such file or directory: no\\u001b[2Jsuch\\u202e.yaml\n');
    const name = 'bad\u001b]0;title\u0007.yaml';
    writeFileSync(join(work, name), 'version: 1\nname: x\n');
    const found = await cli(['validate', name]);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('bad\\u001b]0;title\\u0007.yaml:');
    expect(found.stdout + found.stderr).not.toMatch(TERMINAL_UNSAFE);
    rmSync(join(work, name));
  });

  it('shows bidi controls in a code frame as U+FFFD, keeping the carets aligned', async () => {
    writeFileSync(join(work, 'bidi-frame.yaml'), `${topology('bidi-frame', '  triage: { instructions: "a\u202eb", modle: x }\n')}`);
    const result = await cli(['validate', 'bidi-frame.yaml']);
    expect(result.stdout).not.toMatch(BIDI);
    expect(result.stdout).toContain('triage: { instructions: "a\ufffdb", modle: x }');
  });
});

describe('bidi controls in generated diagrams', () => {
  // Fixed bug: U+202E in a name reached topology.mmd and the Mermaid block of TOPOLOGY.md raw.
  it('never writes a raw bidi control into any generated file', async () => {
    const dir = join(work, 'bidi\u202e-folder');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'bidi.yaml'),
      topology('bidi', '  triage: { name: "Tri\\u202eage\\u2066", instructions: "Route \\u202e callers." }\n  billing: { name: "Bill\\u200fing", handoffDescription: "Refunds \\u202e here", instructions: hi }\nhandoffs:\n  - { from: triage, to: billing, description: "why \\u2067 not" }\n  - { from: billing, to: triage, handback: true }\n'),
    );
    const out = join(work, 'out-bidi');
    const result = await cli(['compile', join(dir, 'bidi.yaml'), '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    for (const file of readdirSync(join(out, 'bidi'))) {
      const text = readFileSync(join(out, 'bidi', file), 'utf8');
      expect(BIDI.exec(text)?.index, `${file}`).toBeUndefined();
    }
    const mermaid = readFileSync(join(out, 'bidi/topology.mmd'), 'utf8');
    expect(mermaid).toContain('TriU+202EageU+2066');
    expect(mermaid).toContain('BillU+200Fing');
    expect(mermaid.split('\n')[0]).toContain('bidiU+202E-folder');
    expect(readFileSync(join(out, 'bidi/TOPOLOGY.md'), 'utf8')).toContain('TriU+202EageU+2066');
  });
});

describe('special files as inputs', () => {
  let fifo: string;
  beforeAll(() => {
    fifo = join(work, 'fifo.yaml');
    spawnSync('mkfifo', [fifo]);
    symlinkSync('/dev/zero', join(work, 'zero.yaml'));
  });

  // Fixed bug: `validate` of a FIFO waited forever for a writer.
  it('reports a FIFO instead of hanging', () => {
    const result = switchboard(['validate', 'fifo.yaml']);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('fifo.yaml error file is not a regular file (it is a FIFO) [source/unreadable]');
  });

  // Fixed bug: /dev/zero (or a symlink to it) was read until memory ran out.
  it('reports /dev/zero and a symlink to it instead of reading without bound', () => {
    for (const path of ['zero.yaml', '/dev/zero']) {
      const result = switchboard(['validate', path]);
      expect(result.signal).toBeNull();
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`${path} error file is not a regular file (it is a character device) [source/unreadable]`);
    }
  });

  it('reports an instructions file or module that is a FIFO, at the YAML that names it', () => {
    writeFileSync(join(work, 'refs-fifo.yaml'), topology('refs-fifo', '  triage: { instructionsFile: fifo.yaml, tools: [t] }\ntools:\n  t: { description: d, parameters: { type: object, properties: {}, additionalProperties: false }, implementation: fifo.yaml#t }\n'));
    const result = switchboard(['validate', 'refs-fifo.yaml']);
    expect(result.signal).toBeNull();
    expect(result.stdout).toMatch(/refs-fifo\.yaml:5:31 error instructions file `fifo\.yaml` is not a regular file \(it is a FIFO\) \[file-reference\]/);
  });

  it('reports an instructions file that is not UTF-8', () => {
    writeFileSync(join(work, 'latin1.md'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    writeFileSync(join(work, 'refs-latin1.yaml'), topology('refs-latin1', '  triage: { instructionsFile: latin1.md }\n'));
    const result = switchboard(['validate', 'refs-latin1.yaml']);
    expect(result.stdout).toContain('instructions file `latin1.md` is not valid UTF-8 (byte 0xe9 at offset 3); save it as UTF-8 [file-reference]');
  });

  it('reports a switchboard.config.json that is a FIFO instead of hanging', () => {
    const dir = join(work, 'config-fifo');
    mkdirSync(dir);
    spawnSync('mkfifo', [join(dir, 'switchboard.config.json')]);
    writeFileSync(join(dir, 'ok.yaml'), topology('ok'));
    const result = switchboard(['validate', 'ok.yaml'], { cwd: dir });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^switchboard: cannot read .*switchboard\.config\.json: it is not a regular file \(it is a FIFO\)\n$/);
  });

  it('render reports a FIFO and a binary .mmd by name, without dumping its bytes', () => {
    const dir = join(work, 'mmd-special');
    mkdirSync(dir);
    spawnSync('mkfifo', [join(dir, 'fifo.mmd')]);
    writeFileSync(join(dir, 'binary.mmd'), Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256)));
    const result = switchboard(['render', join(dir, 'fifo.mmd'), join(dir, 'binary.mmd'), '--out', join(work, 'img-special')]);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/fifo\.mmd error file is not a regular file \(it is a FIFO\) \[render\]\n/);
    expect(result.stderr).toMatch(/binary\.mmd error file is not valid UTF-8 \(byte 0x\w\w at offset \d+\); save it as UTF-8 \[render\]\n/);
    expect(result.stderr.split('\n').length).toBe(3);
    expect(result.stderr).not.toMatch(TERMINAL_UNSAFE);
  });
});

describe('bad output folders are usage errors, not internal errors', () => {
  const expectUsage = (result: { code: number | null; stderr: string }, message: RegExp) => {
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error|This is a bug/);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  };

  it('compile --out a file, a device, or a path through a file', async () => {
    writeFileSync(join(work, 'a-file'), 'not a folder\n');
    expectUsage(await cli(['compile', 'ok.yaml', '--out', 'a-file']), /^switchboard: the output folder a-file exists and is not a folder\n$/);
    expectUsage(await cli(['compile', 'ok.yaml', '--out', '/dev/null']), /^switchboard: the output folder \/dev\/null exists and is not a folder\n$/);
    expectUsage(await cli(['compile', 'ok.yaml', '--out', 'a-file/below']), /^switchboard: the output folder .*a-file\/below is inside a file, not a folder\n$/);
    expectUsage(await cli(['compile', 'ok.yaml', '--check', '--out', 'a-file']), /is not a folder/);
    expect(readFileSync(join(work, 'a-file'), 'utf8')).toBe('not a folder\n');
  });

  it('validate --output into /proc or onto a folder: a usage error, not a hang, and no temporary file left', () => {
    // In a subprocess with a time limit: Node's recursive mkdir spins forever under /proc.
    const proc = switchboard(['validate', 'ok.yaml', '--output', 'sarif=/proc/switchboard-out/report.sarif']);
    expect(proc.signal).toBeNull();
    expect(proc.code).toBe(2);
    expect(proc.stderr).toMatch(/^switchboard: cannot write \/proc\/switchboard-out: /m);
    mkdirSync(join(work, 'reports-folder'), { recursive: true });
    const folder = switchboard(['validate', 'ok.yaml', '--output', 'sarif=reports-folder']);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/^switchboard: cannot write .*reports-folder: it is a folder$/m);
    expect(readdirSync(work).filter((f) => f.includes('switchboard-tmp'))).toEqual([]);
  });

  it('compile into a folder that cannot be written', async () => {
    // As root, permissions do not stop writes; /proc refuses new folders whoever asks.
    expectUsage(await cli(['compile', 'ok.yaml', '--out', '/proc/switchboard-out']), /^switchboard: cannot write \/proc\/switchboard-out: /m);
    if (process.getuid?.() !== 0) {
      const locked = join(work, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o555);
      expectUsage(await cli(['compile', 'ok.yaml', '--out', 'locked']), /permission denied/);
      chmodSync(locked, 0o755);
    }
  });

  it('render --out a file', async () => {
    expectUsage(await cli(['render', fromRoot('generated/support-desk/topology.mmd'), '--out', 'a-file']), /the output folder a-file exists and is not a folder/);
  });

  it('init into a file', async () => {
    expectUsage(await cli(['init', 'a-file', '--name', 'x']), /^switchboard: a-file exists and is not a folder; init needs a project folder\n$/);
  });

  it('init with a broken package.json writes nothing', async () => {
    const dir = join(work, 'init-broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{ "name": ');
    expectUsage(await cli(['init', dir, '--name', 'x']), /package\.json is not valid JSON .*; nothing was written/);
    expect(readdirSync(dir)).toEqual(['package.json']);
  });
});

describe('render', () => {
  // Fixed bug: an empty .mmd printed Mermaid's "detectType (…mermaid.min.js:265:74)" stack frame.
  it('reports an empty diagram at 1:1 without a stack frame', async () => {
    writeFileSync(join(work, 'empty.mmd'), '\n\n');
    const result = await cli(['render', 'empty.mmd', '--out', join(work, 'img')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('empty.mmd:1:1 error the diagram is empty [render]\n');
  });

  it.runIf(existsSync('/usr/bin/chromium'))('locates syntax errors and names a missing diagram type', () => {
    writeFileSync(join(work, 'syntax.mmd'), 'flowchart LR\n  a --> b\n  c d e\n');
    writeFileSync(join(work, 'notype.mmd'), 'hello world\n');
    const result = switchboard(['render', 'syntax.mmd', 'notype.mmd', '--out', join(work, 'img')], { timeout: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^syntax\.mmd:3:\d+ error Parse error: expecting .* \[render\]$/m);
    expect(result.stderr).toMatch(/^notype\.mmd:1:1 error no diagram type found: the first line must name one, such as `flowchart LR` \[render\]$/m);
    expect(result.stderr).not.toMatch(/mermaid\.min\.js|\n\s+at /);
  });
});

describe('a closed pipe (EPIPE) ends output quietly, for every command', () => {
  /** Run the bin with its stdout pipe closed by the reader before the command writes. */
  const withClosedStdout = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error('timed out'));
      }, 20_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ code, stderr });
      });
    });

  it.each([
    [['eval', '--help'], 0],
    [['rules', '--format', 'markdown'], 0],
    [['validate', 'topologies/'], 0],
    [['validate', 'test/fixtures/bad/rule-star-violations.yaml'], 1],
  ] as const)('%j exits %i without an EPIPE crash', async (args, code) => {
    const result = await withClosedStdout([...args]);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(result.code).toBe(code);
  });

  it('with `| head -1` through a real shell', () => {
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" rules --format markdown | head -c 1 >/dev/null; "${process.execPath}" "${bin}" eval --help | head -n 1`], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: switchboard eval/);
  });
});

describe('compile never overwrites what it did not generate', () => {
  // Fixed bug: `compile x.yaml --out src` replaced a hand-written src/x/agents.ts.
  it('refuses to replace a hand-written file, naming it, and writes nothing at all', async () => {
    mkdirSync(join(work, 'src/x'), { recursive: true });
    writeFileSync(join(work, 'src/x/agents.ts'), 'export const mine = "hand-written";\n');
    writeFileSync(join(work, 'x.yaml'), topology('x'));
    const before = snapshotTree(join(work, 'src'));
    const result = await cli(['compile', 'x.yaml', '--out', 'src']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('switchboard: refusing to overwrite src/x/agents.ts: it was not generated by switchboard (no "Generated by switchboard … DO NOT EDIT" header); move it away or choose another output folder\n');
    expect(snapshotTree(join(work, 'src'))).toEqual(before);
  });

  it('replaces its own output, identified by the header', async () => {
    const out = join(work, 'own');
    expect((await cli(['compile', 'x.yaml', '--out', out])).code).toBe(0);
    writeFileSync(join(work, 'x.yaml'), topology('x', '  triage: { instructions: Route callers again. }\n'));
    const again = await cli(['compile', 'x.yaml', '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(out, 'x/agents.ts'), 'utf8')).toContain('Route callers again.');
    writeFileSync(join(work, 'x.yaml'), topology('x'));
  });

  it('refuses to write over one of its own inputs, even one with a generated header', async () => {
    const out = join(work, 'loop');
    expect((await cli(['compile', 'x.yaml', '--out', out])).code).toBe(0);
    // A prompt that is generated output of the same topology: the next compile would replace it.
    writeFileSync(join(work, 'x.yaml'), topology('x', '  triage: { instructionsFile: loop/x/agents.ts }\n'));
    const before = snapshotTree(out);
    const result = await cli(['compile', 'x.yaml', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^switchboard: refusing to overwrite .*loop\/x\/agents\.ts: it is an input of this run; choose another output folder\n$/);
    expect(snapshotTree(out)).toEqual(before);
    writeFileSync(join(work, 'x.yaml'), topology('x'));
  });

  it('refuses to write over the topology file itself', async () => {
    mkdirSync(join(work, 'self/y'), { recursive: true });
    writeFileSync(join(work, 'self/y/agents.ts'), topology('y'));
    const result = await cli(['compile', 'self/y/agents.ts', '--out', 'self']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to overwrite self\/y\/agents\.ts/);
    expect(readFileSync(join(work, 'self/y/agents.ts'), 'utf8')).toBe(topology('y'));
  });
});

describe('one file, one topology name', () => {
  it('counts a file given twice, or reached through a symlink, once', async () => {
    const dir = join(work, 'once');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub/one.yaml'), topology('one'));
    symlinkSync('sub/one.yaml', join(dir, 'link.yaml'));
    const result = await cli(['compile', 'sub/one.yaml', 'sub/one.yaml', 'link.yaml', 'sub', '--out', 'out'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^1 topology compiled/m);
    const validated = await cli(['validate', 'sub/one.yaml', 'link.yaml', 'sub'], dir);
    expect(validated.stdout).toBe('No problems found in 1 file.\n');
  });

  it('reports two files with one name at the second `name:`, naming the first', async () => {
    writeFileSync(join(work, 'twin.yaml'), topology('ok'));
    const result = await cli(['compile', 'ok.yaml', 'twin.yaml', '--out', join(work, 'out-twins')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^twin\.yaml:2:7 error topology name `ok` is already used by ok\.yaml:2:7; each topology needs its own name \(it names the output folder\) \[source\/duplicate-name\]$/m);
    expect(existsSync(join(work, 'out-twins'))).toBe(false);
  });
});

describe('messages that tell sizes apart', () => {
  it('says the file size and the limit in bytes', () => {
    const big = join(tmpdir(), `switchboard-big-${process.pid}.yaml`);
    writeFileSync(big, `#${'x'.repeat(10 * 1024 * 1024)}\n`);
    try {
      const result = switchboard(['validate', big]);
      expect(result.stdout).toContain('error file is 10,485,762 bytes (10.0 MiB); the limit is 10,485,760 bytes (10.0 MiB) [source/too-large]');
    } finally {
      rmSync(big);
    }
  });
});

describe('watch keeps going after a usage problem', () => {
  it('reports a bad --out and keeps watching until SIGTERM', async () => {
    writeFileSync(join(work, 'a-file'), 'not a folder\n');
    const child = spawn(process.execPath, [bin, 'watch', 'ok.yaml', '--out', 'a-file'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const waiting = await new Promise<boolean>((done) => {
      const timer = setTimeout(() => done(false), 20_000);
      child.stderr.on('data', () => {
        if (stderr.includes('[watch] waiting')) {
          clearTimeout(timer);
          done(true);
        }
      });
    });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(waiting).toBe(true);
    expect(stderr).toMatch(/switchboard: the output folder a-file exists and is not a folder\n/);
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(0);
  });
});
