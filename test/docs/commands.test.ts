/**
 * Every shell command README.md and docs/**\/*.md show must run as written (issue #20). The commands
 * are read from the Markdown (doc-commands.ts: ```sh blocks, workflow `run:` steps, inline commands)
 * and each one must be in COMMANDS below, exactly as the docs spell it:
 *
 * - `run`: run here, as written, with bash in a scratch copy of the repository (its tracked and
 *   untracked-but-not-ignored files; `dist/` and `node_modules` linked, `node_modules/.bin` on PATH as
 *   in an npm script, npm offline), each with a check of what it did;
 * - `serve`: a long-running command (the preview): started as written, checked over HTTP, stopped;
 * - `covered`: run as written by the named test, which reads the command from that doc itself;
 * - `skip`: cannot run here, with the reason (an API key, the network, GitHub, minutes of benchmark).
 *
 * A command that appears in the docs and is not listed fails the first test, and so does a listed one
 * that the docs no longer show: add new docs commands to COMMANDS (preferably as `run`).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot, repoRoot } from '../helpers/paths.js';
import { docCommands, type DocCommand } from './doc-commands.js';

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

type Entry =
  | { readonly run: { readonly setup?: (dir: string) => (() => void) | void; readonly check: (ran: Ran, dir: string) => void } }
  | { readonly serve: (state: PreviewState) => void }
  | { readonly covered: string }
  /** Run by a test that does not read the doc (it drives the command with a real client), with why. */
  | { readonly coveredBy: string; readonly how: string }
  | { readonly skip: string };

interface PreviewState {
  readonly files: readonly { readonly file: string; readonly ok: boolean; readonly agents: readonly unknown[]; readonly traffic?: { readonly conversations: number; readonly files: readonly string[] } }[];
}

const NEEDS_OPENAI = 'calls the OpenAI API: needs OPENAI_API_KEY and the network (tests never do; the replayed cassette stands in)';
const ok = (ran: Ran) => expect(ran.code, `${ran.stdout}${ran.stderr}`).toBe(0);
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');

const COMMANDS: Readonly<Record<string, Entry>> = {
  // README.md
  'npm ci && npx switchboard compile topologies/': {
    run: {
      check: (ran, dir) => {
        ok(ran);
        expect(read(dir, 'generated/support-desk/agents.ts')).toBe(readFileSync(fromRoot('generated/support-desk/agents.ts'), 'utf8'));
      },
    },
  },
  'npm ci && npm test': { skip: 'the whole test suite, this file included; CI runs it' },
  'npm test': { skip: 'the whole test suite, this file included; CI runs it' },
  'npx switchboard validate topologies/ --format github': { run: { check: ok } },
  'npx switchboard compile topologies/ --check': { run: { check: ok } },
  'npx switchboard eval topologies/support-desk.yaml --dataset evals/support-desk.routing.yaml --replay evals/support-desk.cassette.json --min-accuracy 0.9 --min-recall billing=0.9 --baseline evals/support-desk.baseline.json --max-drop 0.02 --junit eval.xml --markdown eval.md': {
    // The README's CI recipe, offline: the committed cassette and baseline, no API key in this env.
    run: {
      check: (ran, dir) => {
        ok(ran);
        expect(ran.stdout + ran.stderr).toContain('PASSED: every gate passed');
        expect(read(dir, 'eval.xml')).toContain('<testsuite');
        expect(read(dir, 'eval.md')).toContain('billing');
      },
    },
  },
  'switchboard rules': { run: { check: (ran) => (ok(ran), expect(ran.stdout).toMatch(/^entry-exists +error/)) } },
  'switchboard lsp': { coveredBy: 'test/lsp/lsp.test.ts', how: 'a language server on stdio: started (with the --stdio editors pass) and driven by a real LSP client' },
  'npm run check:generated': { run: { check: ok } },
  'npm run docs:rules': {
    run: {
      check: (ran, dir) => {
        ok(ran);
        expect(read(dir, 'docs/rules.md')).toBe(readFileSync(fromRoot('docs/rules.md'), 'utf8'));
      },
    },
  },

  // docs/analysis.md: each block is run and its output compared with the block that follows it.
  'npx switchboard routes topologies/support-desk.yaml --max-turns 6': { covered: 'test/analysis/docs-example.test.ts' },
  'npx switchboard routes test/fixtures/rules/ping-pong/fail.yaml --format mermaid': { covered: 'test/analysis/docs-example.test.ts' },
  'npx switchboard traffic topologies/support-desk.yaml docs/examples/support-desk.traces.jsonl': { covered: 'test/analysis/docs-example.test.ts' },
  'npx switchboard traffic topologies/support-desk.yaml docs/examples/support-desk.traces.jsonl --format mermaid': { covered: 'test/analysis/docs-example.test.ts' },
  'npx switchboard traffic topologies/support-desk.yaml docs/examples/support-desk.traces.jsonl --eval-report docs/examples/support-desk.eval-nano.json --format json': { covered: 'test/analysis/docs-example.test.ts' },
  'npx switchboard traffic topologies/support-desk.yaml docs/examples/support-desk.traces.jsonl --to-dataset evals/support-desk.draft.routing.yaml': { covered: 'test/analysis/docs-example.test.ts' },
  'npx tsx test/analysis/write-example-traces.ts': {
    run: {
      check: (ran, dir) => {
        ok(ran);
        // Ids and timestamps change when it is regenerated; the counts do not.
        const traffic = spawnSync(process.execPath, [fromRoot('bin/switchboard.js'), 'traffic', 'topologies/support-desk.yaml', 'docs/examples/support-desk.traces.jsonl', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
        expect(JSON.parse(traffic.stdout)).toMatchObject({ conversations: 20, routed: 16, maxTurnsExceeded: 1 });
      },
    },
  },

  // docs/import.md
  'npx switchboard import test/fixtures/import/sdk-examples/customer-service.ts --out imported/customer-service.yaml': {
    run: {
      check: (ran, dir) => {
        ok(ran);
        expect(read(dir, 'imported/customer-service.yaml')).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/topology\.schema\.json\n[^]*entry: triage/);
        expect(read(dir, 'imported/customer-service.switchboard.ts')).toContain('from "../test/fixtures/import/sdk-examples/customer-service.js"');
      },
    },
  },

  'npx switchboard import test/fixtures/import/python/support_desk.py --out imported/support-desk.yaml': {
    run: {
      check: (ran, dir) => {
        ok(ran);
        expect(ran.stdout).toContain('imported 4 agents; 0 errors, 0 warnings from validate');
        expect(read(dir, 'imported/support-desk.yaml')).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/topology\.schema\.json\n/);
        expect(read(dir, 'imported/support-desk.switchboard.ts')).toContain('not implemented: port');
      },
    },
  },

  // docs/ci.md
  'npm ci': { skip: "CI's install step: the scratch copy links the repository's installed node_modules" },
  'npx switchboard validate topologies/ --output github --output sarif=switchboard.sarif': {
    run: {
      check: (ran, dir) => {
        ok(ran);
        // No findings: the github report is an empty line; the SARIF log is complete.
        expect(ran.stdout).toBe('\n');
        expect(JSON.parse(read(dir, 'switchboard.sarif'))).toMatchObject({ version: '2.1.0', runs: [{ originalUriBaseIds: { '%SRCROOT%': {} } }] });
      },
    },
  },
  'npx switchboard compile topologies/ --prune': {
    run: {
      // A folder a renamed topology left behind: generated from a file that no longer exists.
      setup: (dir) => {
        mkdirSync(join(dir, 'generated/old-desk'), { recursive: true });
        writeFileSync(join(dir, 'generated/old-desk/index.ts'), '// Generated by switchboard from topologies/old-desk.yaml — DO NOT EDIT.\nexport {};\n');
      },
      check: (ran, dir) => {
        ok(ran);
        expect(ran.stdout).toContain('deleted generated/old-desk/');
        expect(existsSync(join(dir, 'generated/old-desk'))).toBe(false);
        expect(existsSync(join(dir, 'generated/support-desk/agents.ts'))).toBe(true);
      },
    },
  },
  "npx switchboard validate 'topologies/**/*.yaml'": { run: { check: (ran) => (ok(ran), expect(ran.stdout).toMatch(/^No problems found in \d+ files?\.\n$/)) } },
  'cat topologies/support-desk.yaml | npx switchboard validate - --stdin-filename topologies/support-desk.yaml': {
    run: { check: (ran) => (ok(ran), expect(ran.stdout).toBe('No problems found in 1 file.\n')) },
  },
  [`for file in $(git diff --name-only origin/\${{ github.base_ref }}... -- 'topologies/*.yaml'); do
  if git cat-file -e origin/\${{ github.base_ref }}:"$file" 2>/dev/null; then
    npx switchboard diff origin/\${{ github.base_ref }}:"$file" "$file" --format markdown >> diff.md
  fi
done`]: { skip: 'GitHub Actions expressions (${{ github.base_ref }}) only a workflow expands; `diff rev:path --format markdown` is tested in test/diff/diff.test.ts' },
  'npx switchboard validate topologies/support-desk-mcp.yaml --connect': { run: { check: (ran) => (ok(ran), expect(ran.stdout).toBe('No problems found in 1 file.\n')) } },
  'npx switchboard validate test/fixtures/mcp/connect-typos.yaml --connect': {
    run: { check: (ran) => (expect(ran.code).toBe(1), expect(ran.stdout).toContain('did you mean `escalate_to_human`?'), expect(ran.stdout).toContain('[mcp/tool-collision]')) },
  },
  'npx switchboard validate topologies/': { run: { check: (ran) => (ok(ran), expect(ran.stdout).toMatch(/^No problems found in \d+ files?\.\n$/)) } },
  'npx switchboard eval topologies/support-desk.yaml --dataset evals/support-desk.routing.yaml --record evals/support-desk.cassette.json --report-json evals/support-desk.baseline.json': { skip: NEEDS_OPENAI },
  'npx switchboard eval topologies/support-desk.yaml --dataset evals/support-desk.routing.yaml --replay evals/support-desk.cassette.json --min-accuracy 0.9 --min-recall billing=0.9 --min-recall tech=0.9 --baseline evals/support-desk.baseline.json --max-drop 0.02 --max-errors 0 --junit eval.xml --markdown eval.md': {
    run: { check: (ran) => (ok(ran), expect(ran.stdout + ran.stderr).toContain('PASSED: every gate passed')) },
  },
  'sudo apt-get install -y --no-install-recommends chromium fonts-liberation': { skip: 'installs system packages (root and the Debian mirror); this machine has Chromium at /usr/bin/chromium' },
  'npx switchboard render generated/ --format png --out diagrams/': {
    run: { check: (ran, dir) => (ok(ran), expect(readFileSync(join(dir, 'diagrams/support-desk/topology.png')).subarray(1, 4).toString()).toBe('PNG')) },
  },
  [`#!/bin/sh
# Refuse commits whose topologies are invalid or whose generated code was not regenerated.
changed=$(git diff --cached --name-only -- 'topologies/*.yaml' 'topologies/*.yml')
[ -z "$changed" ] && exit 0
npx switchboard validate $changed || exit 1
npx switchboard compile topologies/ --check || {
  echo "run: npx switchboard compile topologies/ && git add generated/" >&2
  exit 1
}`]: {
    run: {
      // A commit that stages a harmless edit of a topology passes; the check then stages a broken one.
      setup: (dir) => {
        git(dir, 'init', '-q');
        git(dir, 'add', '-A');
        git(dir, 'commit', '-q', '-m', 'docs commands');
        writeFileSync(join(dir, 'topologies/support-desk.yaml'), `${read(dir, 'topologies/support-desk.yaml')}# reviewed\n`);
        git(dir, 'add', 'topologies/support-desk.yaml');
      },
      check: (ran, dir) => {
        ok(ran);
        const hook = join(dir, 'hook.sh');
        writeFileSync(hook, Object.keys(COMMANDS).find((k) => k.startsWith('#!/bin/sh'))!);
        chmodSync(hook, 0o755);
        writeFileSync(join(dir, 'topologies/support-desk.yaml'), read(dir, 'topologies/support-desk.yaml').replace('entry: triage', 'entry: nobody'));
        git(dir, 'add', 'topologies/support-desk.yaml');
        const refused = shell(hook, dir);
        expect(refused.code).toBe(1);
        expect(refused.stdout).toContain('entry-exists');
        git(dir, 'checkout', '-q', 'HEAD', '--', 'topologies/support-desk.yaml');
      },
    },
  },
  'npx switchboard compile --check': {
    run: {
      // "With a switchboard.config.json ({ "inputs": ["topologies"] }) … need no arguments."
      setup: (dir) => {
        writeFileSync(join(dir, 'switchboard.config.json'), '{ "inputs": ["topologies"] }\n');
        return () => rmSync(join(dir, 'switchboard.config.json'));
      },
      check: ok,
    },
  },

  // docs/editors.md
  'node --import tsx bench/lsp.ts': { run: { check: (ran) => (ok(ran), expect(ran.stdout).toMatch(/completion\s+median/)) } },
  'switchboard preview topologies/support-desk.yaml': {
    serve: (state) => {
      expect(state.files.map((f) => [f.file, f.ok, f.agents.length])).toEqual([['topologies/support-desk.yaml', true, 4]]);
      expect(state.files[0]!.traffic).toBeUndefined();
    },
  },
  'npx switchboard preview topologies/support-desk.yaml --traces docs/examples/support-desk.traces.jsonl': {
    serve: (state) => expect(state.files[0]!.traffic).toMatchObject({ conversations: 20, files: ['docs/examples/support-desk.traces.jsonl'] }),
  },

  // docs/eval.md
  'switchboard eval topologies/support-desk.yaml --dataset evals/support-desk.routing.yaml --record evals/support-desk.cassette.json --report-json eval-baseline.json': { skip: NEEDS_OPENAI },
  'switchboard eval topologies/support-desk.yaml -d evals/support-desk.routing.yaml --batch --report-json eval.json': { skip: NEEDS_OPENAI },
  'switchboard eval lint topologies/support-desk.yaml -d evals/support-desk.routing.yaml --scenarios evals/support-desk.scenarios.yaml': {
    run: { check: (ran) => (ok(ran), expect(ran.stdout).toContain('  billing → human   escalation      –          1  few'), expect(ran.stderr).toContain('[coverage/no-cases]')) },
  },
  'switchboard eval topologies/support-desk.yaml --dataset evals/support-desk.routing.yaml --replay evals/support-desk.cassette.json --min-accuracy 0.9 --min-recall billing=0.9 --min-recall tech=0.9 --junit eval.xml --markdown eval.md --report-json eval.json': {
    run: { check: (ran, dir) => (ok(ran), expect(JSON.parse(read(dir, 'eval.json'))).toMatchObject({ passed: true })) },
  },
  'switchboard run --record': { skip: 'names an option in prose, not a command' },
  'npx switchboard eval topologies/support-desk.yaml -d evals/support-desk.routing.yaml --record evals/support-desk.cassette.json --report-json evals/support-desk.baseline.json': { skip: NEEDS_OPENAI },
  'git add evals/support-desk.cassette.json evals/support-desk.baseline.json': { skip: 'commits the recording of the command before it, which needs OPENAI_API_KEY' },
  'npx switchboard eval topologies/support-desk.yaml -d evals/support-desk.routing.yaml --replay evals/support-desk.cassette.json --min-accuracy 0.9 --min-recall billing=0.9 --min-recall tech=0.9 --max-errors 0 --baseline evals/support-desk.baseline.json --max-drop 0.02 --junit eval.xml --markdown eval.md': {
    covered: 'test/eval/ci-recipe.test.ts',
  },
  'gh pr comment "$PR" --body-file eval.md --edit-last || gh pr comment "$PR" --body-file eval.md': { skip: 'posts to a GitHub pull request: needs gh, a PR and a token' },
  'switchboard run topologies/support-desk.yaml "Please look up invoice INV-1042"': { skip: NEEDS_OPENAI },

  // docs/chat.md
  'npx switchboard chat topologies/support-desk.yaml': {
    coveredBy: 'test/cli/chat-pty.test.ts',
    how: 'interactive: "holds a multi-turn offline conversation: handoff, tool call, approval, Ctrl-C mid-turn, /agents, hand-back, Ctrl-C twice to leave" runs it under a real pty with --provider (as written it calls OpenAI)',
  },
  'npx switchboard chat topologies/support-desk.yaml --replay docs/examples/support-desk.chat.cassette.json < docs/examples/support-desk.chat.txt': {
    run: {
      check: (ran) => {
        ok(ran);
        expect(ran.stdout).toContain('→ handoff Triage Agent (triage) → BillingAgent (billing): Billing question: I was charged twice on INV-1042\n');
        expect(ran.stdout).toContain('  approve? [y/n] y\n  ✓ approved: issue_refund\n');
        expect(ran.stdout).toContain('→ handoff BillingAgent (billing) → Triage Agent (triage)\n');
      },
    },
  },

  // docs/performance.md
  'npm run bench': { skip: 'the benchmarks: minutes of rendering and timing, reported as ratios, never asserted in tests' },
  'BENCH_DIAGRAMS=3 npm run bench': { skip: 'the benchmarks with fewer diagram renders: still minutes of timing, reported as ratios, never asserted in tests' },
  'BENCH_DIAGRAMS=5 npm run bench': { skip: 'the benchmarks: minutes of rendering and timing, reported as ratios, never asserted in tests' },
  'node -e 0': { run: { check: ok } },
  'node --import tsx bench/preview.ts': { run: { check: (ran) => (ok(ran), expect(ran.stdout).toMatch(/trace file grows → overlay updated\s+median/)) } },
  'npm run build': { skip: 'the build these tests run against (dist/); `npm test` runs it first' },

  // docs/rules.md
  'switchboard rules --format markdown': {
    run: { check: (ran) => (ok(ran), expect(ran.stdout).toBe(readFileSync(fromRoot('docs/rules.md'), 'utf8'))) },
  },
  'switchboard routes --depth': { skip: 'names an option in prose, not a command' },

  // docs/security.md
  'switchboard eval --help | head -1': { run: { check: (ran) => (ok(ran), expect(ran.stdout).toMatch(/^Usage: switchboard eval /), expect(ran.stderr).toBe('')) } },
  'switchboard diff -- "--output=/x:y" m.yaml': {
    run: {
      check: (ran) => {
        expect(ran.code).toBe(2);
        expect(ran.stderr).toContain('a revision cannot start with "-"');
        expect(existsSync('/x:y')).toBe(false);
      },
    },
  },

  // docs/suppressions.md (the shipped topologies have no findings: nothing to fix, an empty baseline)
  'npx switchboard validate topologies/ --baseline-write switchboard.baseline.json': {
    run: {
      setup: (dir) => () => rmSync(join(dir, 'switchboard.baseline.json'), { force: true }),
      check: (ran, dir) => {
        ok(ran);
        expect(ran.stderr).toBe('switchboard: wrote 0 findings to switchboard.baseline.json\n');
        expect(read(dir, 'switchboard.baseline.json')).toBe('{\n  "version": 1,\n  "findings": []\n}\n');
      },
    },
  },
  'npx switchboard validate topologies/ --baseline switchboard.baseline.json': {
    run: {
      // A baseline with an entry that was fixed since: it is listed, and the run passes.
      setup: (dir) => {
        const entry = { ruleId: 'fan-out', file: 'topologies/support-desk.yaml', pointer: '/agents/triage', messageHash: '0000000000000000' };
        writeFileSync(join(dir, 'switchboard.baseline.json'), JSON.stringify({ version: 1, findings: [entry] }));
        return () => rmSync(join(dir, 'switchboard.baseline.json'));
      },
      check: (ran) => {
        ok(ran);
        expect(ran.stdout).toBe('No problems found in 4 files.\n');
        expect(ran.stderr).toContain('1 baseline entry is fixed; refresh with --baseline-write switchboard.baseline.json:\n  topologies/support-desk.yaml /agents/triage [fan-out]\n');
      },
    },
  },
  'npx switchboard validate topologies/ --fix-dry-run': { run: { check: (ran) => (ok(ran), expect(ran.stdout).toBe(''), expect(ran.stderr).toBe('switchboard: nothing to fix\n')) } },
  'npx switchboard validate topologies/ --fix': { run: { check: (ran) => (ok(ran), expect(ran.stdout).toBe('No problems found in 4 files.\n')) } },
  // docs/format.md
  'npx switchboard stubs topologies/support-desk.yaml --dry-run': { run: { check: (ran) => (ok(ran), expect(ran.stdout).toBe('Nothing to write: every referenced export exists.\n')) } },

  // docs/voice.md
  'OPENAI_API_KEY=sk-… PORT=5050 npx tsx topologies/support-desk/phone-line.ts': { skip: 'a phone line: needs OPENAI_API_KEY, the Realtime API and a Twilio number; its wiring is tested in test/voice' },
};

const docFiles = ['README.md', ...readdirSync(fromRoot('docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f.split('\\').join('/')}`)];
const found: DocCommand[] = docFiles.flatMap((file) => docCommands(readFileSync(fromRoot(file), 'utf8'), file));
const where = (text: string) => found.filter((c) => c.text === text).map((c) => `${c.file}:${c.line}`);

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=docs@example.com', '-c', 'user.name=docs', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'ignore' });
}

let work: string;
let env: NodeJS.ProcessEnv;

function shell(command: string, cwd: string): Ran {
  const ran = spawnSync('bash', ['-c', command], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { code: ran.status, stdout: ran.stdout, stderr: ran.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'switchboard-docs-commands-'));
  // The repository as a user's checkout has it, without building or installing again.
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of listed) {
    // Other tests' scratch folders (.tmp-*) come and go while this runs.
    if (file.startsWith('.tmp-') || !existsSync(fromRoot(file))) continue;
    mkdirSync(dirname(join(work, file)), { recursive: true });
    try {
      cpSync(fromRoot(file), join(work, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  symlinkSync(fromRoot('dist'), join(work, 'dist'));
  mkdirSync(join(work, 'node_modules/.bin'), { recursive: true });
  for (const name of readdirSync(fromRoot('node_modules'))) if (!name.startsWith('.')) symlinkSync(fromRoot('node_modules', name), join(work, 'node_modules', name));
  for (const name of readdirSync(fromRoot('node_modules/.bin'))) symlinkSync(fromRoot('node_modules/.bin', name), join(work, 'node_modules/.bin', name));
  // What `npm install switchboard` links; `npx switchboard` and (on PATH, as in npm scripts) `switchboard` find it.
  symlinkSync(fromRoot('bin/switchboard.js'), join(work, 'node_modules/.bin/switchboard'));
  // `npm ci` is CI's install step: here the dependencies are already linked, so it is a no-op.
  const shims = join(work, '.docs-shims');
  mkdirSync(shims);
  writeFileSync(join(shims, 'npm'), `#!/bin/sh\n[ "$1" = ci ] && exit 0\nexec ${JSON.stringify(execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim())} "$@"\n`);
  chmodSync(join(shims, 'npm'), 0o755);
  env = { PATH: `${shims}:${join(work, 'node_modules/.bin')}:${process.env.PATH}`, HOME: process.env.HOME ?? work, npm_config_offline: 'true', npm_config_update_notifier: 'false', NO_COLOR: '1', FORCE_COLOR: '' };
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('reading commands from Markdown', () => {
  it('takes sh blocks line by line, workflow run: steps, and inline spans that are whole commands', () => {
    const markdown = [
      'Run `npx switchboard validate topologies/`, not `switchboard traffic` or `switchboard diff <old> <new>` or `switchboard init [dir]`.',
      '```sh',
      '# a comment',
      'npx switchboard eval a.yaml \\',
      '  --replay c.json   # trailing comment',
      '',
      'npm run bench',
      '```',
      '```sh',
      '#!/bin/sh',
      'exit 0',
      '```',
      '```yaml',
      '      - run: npm ci',
      '      - run: >',
      '          npx switchboard compile',
      '          topologies/',
      '```',
      '```console',
      '$ npx switchboard rules',
      'entry-exists  error',
      '```',
      '```ts',
      "run('npx switchboard nothing here')",
      '```',
    ].join('\n');
    expect(docCommands(markdown, 'x.md').map((c) => [c.line, c.kind, c.text])).toEqual([
      [1, 'inline', 'npx switchboard validate topologies/'],
      [4, 'sh', 'npx switchboard eval a.yaml --replay c.json'],
      [7, 'sh', 'npm run bench'],
      [10, 'sh', '#!/bin/sh\nexit 0'],
      [14, 'workflow', 'npm ci'],
      [15, 'workflow', 'npx switchboard compile topologies/'],
      [20, 'sh', 'npx switchboard rules'],
    ]);
  });
});

describe('the commands README.md and docs/ show', () => {
  it('are each listed, as the docs spell them, with how they are tested', () => {
    const unlisted = [...new Set(found.map((c) => c.text))].filter((text) => !(text in COMMANDS));
    expect(unlisted.map((text) => `${where(text).join(', ')}: ${text}`), 'new commands in the docs: add them to COMMANDS in test/docs/commands.test.ts (run them, or name the test that does, or say why not)').toEqual([]);
    const gone = Object.keys(COMMANDS).filter((text) => where(text).length === 0);
    expect(gone, 'listed commands no doc shows any more: remove them from COMMANDS').toEqual([]);
    expect(found.length).toBeGreaterThan(40);
  });

  it('are covered, where another test runs them, by a test that reads that doc', () => {
    for (const [text, entry] of Object.entries(COMMANDS)) {
      if (!('covered' in entry)) continue;
      const test = readFileSync(fromRoot(entry.covered), 'utf8');
      const docs = [...new Set(found.filter((c) => c.text === text).map((c) => c.file))];
      expect(docs.some((doc) => test.includes(doc)), `${entry.covered} should read ${docs.join(' or ')}`).toBe(true);
    }
    for (const entry of Object.values(COMMANDS)) if ('coveredBy' in entry) expect(existsSync(fromRoot(entry.coveredBy)), entry.coveredBy).toBe(true);
  });

  const runs = Object.entries(COMMANDS).flatMap(([text, entry]) => ('run' in entry ? [[text.split('\n')[0]!, text, entry.run] as const] : []));
  it.each(runs)('runs as written: %s', (_title, text, run) => {
    const cleanup = run.setup?.(work);
    try {
      run.check(shell(text, work), work);
    } finally {
      cleanup?.();
    }
  }, 120_000);

  const serves = Object.entries(COMMANDS).flatMap(([text, entry]) => ('serve' in entry ? [[text, entry.serve] as const] : []));
  it.each(serves)('serves as written: %s', async (text, check) => {
    // Its own process group, stopped as Ctrl-C stops it: SIGINT to the group (npx and the node it starts).
    const child = spawn('bash', ['-c', `exec ${text}`], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
    let port = '';
    try {
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const started = Date.now();
      while (!/http:\/\/127\.0\.0\.1:\d+\/\?token=\w+/.test(stdout)) {
        if (Date.now() - started > 30_000 || child.exitCode !== null) throw new Error(`did not start: ${stdout}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const url = new URL(/http:\/\/\S+/.exec(stdout)![0]);
      port = url.port;
      const body = await new Promise<string>((done, fail) => {
        get({ host: '127.0.0.1', port: url.port, path: `/api/state?token=${url.searchParams.get('token')}`, timeout: 10_000 }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => done(text));
        }).on('error', fail);
      });
      check(JSON.parse(body) as PreviewState);
    } finally {
      process.kill(-child.pid!, 'SIGINT');
    }
    // switchboard exits 0 on Ctrl-C; npm (npx) re-raises the signal it got, so it ends by SIGINT.
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGINT', `exit ${code} ${signal}`).toBe(true);
    // And the server is gone, not orphaned (npm may exit before the server has closed).
    const refused = () => new Promise<boolean>((done) => get({ host: '127.0.0.1', port, path: '/', timeout: 2_000 }, (res) => (res.resume(), done(false))).on('error', () => done(true)));
    const deadline = Date.now() + 10_000;
    while (!(await refused()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await refused()).toBe(true);
  }, 60_000);
});
