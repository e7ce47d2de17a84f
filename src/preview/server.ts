/**
 * The `switchboard preview` server. Node's own http module: five fixed GET routes, no bodies, one
 * event stream; a framework would add dependencies and routing we do not need, and every security
 * header here is set by hand and visible in one place.
 *
 * Safe by construction:
 * - listens on 127.0.0.1 only and answers only requests whose Host is that address (DNS rebinding);
 * - every request, the event stream and the static assets included, must carry the random token
 *   (`?token=`), compared in constant time; anything else is a 403;
 * - serves a fixed list of files (the bundled client) and JSON built from the topologies given on the
 *   command line; no path from a request ever reaches the file system;
 * - a strict Content-Security-Policy: scripts only from this server, nothing from the network.
 */
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join, relative, sep } from 'node:path';
import { MAX_TRACE_BYTES, parseTraceText, type ParsedTraces } from '../analysis/traces.js';
import { readTextFileSafely } from '../source/read-file.js';
import { escapeHtml } from '../emit/html/escape-html.js';
import { validateFile, validateSource, type ValidateOptions, type ValidationResult } from '../validate.js';
import { previewTopology, type LastGood, type PreviewTopology, type PreviewTraces } from './snapshot.js';
import { previewDiff, type PreviewDiff } from './diff.js';
import { mergeTraces } from './traffic.js';

export interface PreviewInput {
  readonly absolutePath: string;
  readonly displayPath: string;
}

export interface PreviewServerOptions {
  readonly inputs: readonly PreviewInput[];
  /** Where the bundled client (preview.js, preview.css) is. */
  readonly assetsDir: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Working directory for git (diff view). */
  readonly cwd: string;
  readonly validate?: ValidateOptions;
  /** An eval JSON report (`--report-json`) to show, when the file exists. */
  readonly evalReport?: string;
  /** Renders the eval report page; injected so the server does not load eval code it may not need. */
  readonly renderEval?: (json: string, file: string) => { html: string; styleHashes: readonly string[] };
  /**
   * Trace files or folders (absolute) for every topology (`--traces`). Without them each topology's
   * traces are looked for by convention: `traces/<name>.jsonl` and its rotations, and `traces/<name>/`.
   */
  readonly traces?: readonly string[];
  /** Test hook: a fixed token. */
  readonly token?: string;
  readonly onReload?: (files: readonly PreviewTopology[]) => void;
}

export interface PreviewServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const DEBOUNCE_MS = 100;
/** Trace files change while production writes them: reload at most this often, never starved by a busy writer. */
const TRACE_THROTTLE_MS = 300;
/** As `switchboard traffic`: each trace file is read whole. */
const LOOPBACK = '127.0.0.1';

/** Mermaid writes a <style> into each SVG and style attributes on nodes; scripts stay 'self' only. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const expected = Buffer.from(token);
  const assets = new Map<string, string>();
  for (const name of readdirSync(options.assetsDir)) if (/\.(js|css)$/.test(name)) assets.set(name, join(options.assetsDir, name));

  const lastGood = new Map<string, LastGood>();
  let snapshot: PreviewTopology[] = [];
  let version = 0;
  const streams = new Set<ServerResponse>();
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let traceTimer: NodeJS.Timeout | undefined;
  let traceWatchers: FSWatcher[] = [];
  let traceWatchPlan = '';
  const traceCache = new Map<string, { stamp: string; parsed: ParsedTraces }>();

  const tracesRead = new Set<string>();
  const tracesOf = (input: PreviewInput): PreviewTraces => {
    const files = traceFiles(options.cwd, input, options.traces);
    for (const file of files) tracesRead.add(file);
    const shown = files.map((file) => relative(options.cwd, file).split(sep).join('/'));
    return { files: shown, parsed: mergeTraces(files.map((file, i) => readTraces(file, shown[i]!, traceCache))) };
  };
  const reload = () => {
    const results: ValidationResult[] = options.inputs.map((input) => validateFile(input.absolutePath, { ...options.validate, displayPath: input.displayPath }));
    snapshot = results.map((result, i) => {
      const key = options.inputs[i]!.absolutePath;
      const shown = previewTopology(result, lastGood.get(key), tracesOf(options.inputs[i]!));
      if (result.ok && result.topology) lastGood.set(key, { topology: result.topology, ...(result.files ? { files: result.files } : {}) });
      return shown;
    });
    // Forget files that are gone (rotated away, deleted).
    for (const file of traceCache.keys()) if (!tracesRead.has(file)) traceCache.delete(file);
    tracesRead.clear();
    version++;
    rewatch(results);
    rewatchTraces();
    for (const stream of streams) stream.write(`event: change\ndata: ${version}\n\n`);
    options.onReload?.(snapshot);
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, DEBOUNCE_MS);
  };
  // The inputs' folders (recursively: prompts and modules usually sit beside the YAML), plus the
  // folder of any referenced file outside them; re-planned after every reload.
  const rewatch = (results: readonly ValidationResult[]) => {
    const recursive = [...new Set(options.inputs.map((i) => dirname(i.absolutePath)))];
    const inside = (path: string) => recursive.some((dir) => !relative(dir, path).startsWith('..'));
    const extra = new Set<string>();
    for (const result of results) for (const file of result.files?.byReference.values() ?? []) if (file.insideProject && !inside(file.absolutePath) && existsSync(dirname(file.absolutePath))) extra.add(dirname(file.absolutePath));
    for (const w of watchers) w.close();
    watchers = [
      ...recursive.map((dir) => watch(dir, { recursive: true }, schedule)),
      ...[...extra].map((dir) => watch(dir, schedule)),
    ];
  };
  const scheduleTraces = () => {
    traceTimer ??= setTimeout(() => {
      traceTimer = undefined;
      reload();
    }, TRACE_THROTTLE_MS);
  };
  const rewatchTraces = () => {
    const plan = [...new Set(options.inputs.flatMap((input) => traceWatchTargets(options.cwd, input, options.traces)))].sort();
    const key = plan.join('\n');
    if (key === traceWatchPlan) return;
    traceWatchPlan = key;
    for (const w of traceWatchers) w.close();
    traceWatchers = plan.flatMap((target) => {
      const [kind, dir] = [target.slice(0, 1), target.slice(2)];
      try {
        return [watch(dir, { recursive: kind === 'r' }, scheduleTraces)];
      } catch {
        return [];
      }
    });
  };
  reload();

  const evalPage = (): { html: string; styleHashes: readonly string[] } | undefined => {
    if (!options.evalReport || !options.renderEval || !existsSync(options.evalReport)) return undefined;
    return options.renderEval(readFileSync(options.evalReport, 'utf8'), relative(options.cwd, options.evalReport).split(sep).join('/'));
  };

  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      send(response, 500, 'text/plain; charset=utf-8', `internal error: ${(error as Error).message}\n`);
    }
  });
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const port = (server.address() as AddressInfo).port;
    const host = request.headers.host ?? '';
    if (host !== `${LOOPBACK}:${port}` && host !== `localhost:${port}`) return send(response, 403, 'text/plain; charset=utf-8', 'forbidden: unexpected Host\n');
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}:${port}`);
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return send(response, 403, 'text/plain; charset=utf-8', 'forbidden: open the URL switchboard preview printed (it carries the token)\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    const q = `?token=${encodeURIComponent(token)}`;
    const path = url.pathname;
    if (path === '/') return send(response, 200, 'text/html; charset=utf-8', pageHtml(q));
    if (path.startsWith('/assets/')) {
      const file = assets.get(path.slice('/assets/'.length));
      if (!file) return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
      return send(response, 200, file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8', readFileSync(file));
    }
    if (path === '/api/state') return json(response, { version, files: snapshot, eval: evalPage() !== undefined });
    if (path === '/api/events') {
      response.writeHead(200, { ...securityHeaders(PAGE_CSP), 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      response.write(`retry: 500\nevent: hello\ndata: ${version}\n\n`);
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (path === '/api/revisions') {
      const input = inputAt(url.searchParams.get('file'));
      if (!input) return send(response, 404, 'text/plain; charset=utf-8', 'unknown file\n');
      return json(response, { revisions: revisions(options.cwd, input.absolutePath) });
    }
    if (path === '/api/diff') {
      const input = inputAt(url.searchParams.get('file'));
      if (!input) return send(response, 404, 'text/plain; charset=utf-8', 'unknown file\n');
      const from = url.searchParams.get('from') ?? 'HEAD';
      const to = url.searchParams.get('to') ?? '';
      return json(response, diffBetween(input, from, to));
    }
    if (path === '/eval') {
      const page = evalPage();
      if (!page) return send(response, 404, 'text/plain; charset=utf-8', 'no eval report\n');
      const csp = `default-src 'none'; style-src ${page.styleHashes.map((h) => `'${h}'`).join(' ') || "'none'"}; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`;
      return send(response, 200, 'text/html; charset=utf-8', page.html, csp);
    }
    return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
  };
  const inputAt = (value: string | null) => (value !== null && /^\d+$/.test(value) ? options.inputs[Number(value)] : undefined);
  const diffBetween = (input: PreviewInput, from: string, to: string): PreviewDiff | { error: string } => {
    const side = (rev: string): ValidationResult | { error: string } => {
      if (rev === '') return validateFile(input.absolutePath, { ...options.validate, displayPath: input.displayPath });
      const text = gitShow(options.cwd, rev, input.absolutePath);
      if (typeof text !== 'string') return text;
      return validateSource(text, input.absolutePath, { ...options.validate, displayPath: `${rev}:${input.displayPath}` });
    };
    const before = side(from);
    const after = side(to);
    if ('error' in before) return before;
    if ('error' in after) return after;
    return previewDiff(before, after, from || 'working tree', to || 'working tree');
  };

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, LOOPBACK, () => done());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      clearTimeout(timer);
      clearTimeout(traceTimer);
      for (const w of [...watchers, ...traceWatchers]) w.close();
      for (const stream of streams) stream.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, csp = PAGE_CSP): void {
  response.writeHead(status, { ...securityHeaders(csp), 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

function json(response: ServerResponse, value: unknown): void {
  send(response, 200, 'application/json; charset=utf-8', JSON.stringify(value));
}

/** The page shell: no inline script or style; the client builds everything else. */
function pageHtml(query: string): string {
  const q = escapeHtml(query);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>switchboard preview</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/preview.css${q}">
<script type="module" src="/assets/preview.js${q}"></script>
</head>
<body data-state="loading">
<noscript>The preview needs JavaScript.</noscript>
</body>
</html>
`;
}

export interface Revision {
  readonly commit: string;
  readonly subject: string;
  readonly date: string;
}

/** The last commits that touched the file, newest first (empty outside a git repository). */
export function revisions(cwd: string, file: string): Revision[] {
  try {
    const out = execFileSync('git', ['log', '-n', '30', '--format=%h%x00%cs%x00%s', '--', file], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [commit = '', date = '', subject = ''] = line.split('\0');
        return { commit, date, subject };
      });
  } catch {
    return [];
  }
}

/** A file as it was at a revision; revisions are checked before they reach git. */
function gitShow(cwd: string, revision: string, file: string): string | { error: string } {
  if (!/^[A-Za-z0-9][A-Za-z0-9._\/~^@{}-]*$/.test(revision) || revision.includes('..')) return { error: `not a revision: ${revision}` };
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = execFileSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const path = relative(top, file).split(sep).join('/');
    return execFileSync('git', ['show', `${commit}:${path}`], { cwd: top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 32 * 1024 * 1024 });
  } catch (error) {
    const reason = String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    return { error: `cannot read ${revision}:${relative(cwd, file)} from git${reason ? `: ${reason}` : ''}` };
  }
}

const TRACE_FILE = /\.jsonl(\.\d+)?$|\.json$/;

/** A topology file's name without `.yaml`/`.yml`: its traces' name by convention. */
function traceName(input: PreviewInput): string {
  return basename(input.absolutePath).replace(/\.ya?ml$/i, '');
}

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Trace files in a folder and its subfolders (`*.jsonl`, rotated `*.jsonl.<n>`, `*.json`), sorted. */
function traceFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => TRACE_FILE.test(name))
      .map((name) => join(dir, name))
      .filter((path) => !isDirectory(path))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The trace files of one topology: the `--traces` files (as given) and folders (their trace files), or
 * by convention `traces/<name>.jsonl` with the rotations JsonlTraceProcessor keeps (`.1`, `.2`, …) and
 * the trace files under `traces/<name>/`, in the working directory.
 */
export function traceFiles(cwd: string, input: PreviewInput, explicit?: readonly string[]): string[] {
  if (explicit) return [...new Set(explicit.flatMap((path) => (isDirectory(path) ? traceFilesIn(path) : existsSync(path) ? [path] : [])))];
  const name = traceName(input);
  const dir = join(cwd, 'traces');
  let rotated: string[] = [];
  try {
    const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.jsonl(\\.\\d+)?$`);
    rotated = readdirSync(dir, { encoding: 'utf8' })
      .filter((entry) => pattern.test(entry))
      .sort((a, b) => Number(/\.(\d+)$/.exec(a)?.[1] ?? 0) - Number(/\.(\d+)$/.exec(b)?.[1] ?? 0))
      .map((entry) => join(dir, entry));
  } catch {
    // No traces folder: no traffic overlay.
  }
  return [...rotated, ...traceFilesIn(join(dir, name))];
}

/** What to watch for trace changes, as `r:<dir>` (recursive) or `f:<dir>`: the nearest existing folder of each source. */
function traceWatchTargets(cwd: string, input: PreviewInput, explicit?: readonly string[]): string[] {
  const sources = explicit ?? [join(cwd, 'traces')];
  return sources.map((path) => {
    if (isDirectory(path)) return `r:${path}`;
    let dir = dirname(path);
    while (!isDirectory(dir) && dirname(dir) !== dir) dir = dirname(dir);
    return `f:${dir}`;
  });
}

/** One trace file, parsed; unchanged files (same mtime and size) come from the cache. */
function readTraces(path: string, shown: string, cache: Map<string, { stamp: string; parsed: ParsedTraces }>): ParsedTraces {
  let stamp: string;
  try {
    const stat = statSync(path);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return { traces: [], errors: [{ file: shown, line: 0, message: 'file not found' }], records: 0 };
  }
  const cached = cache.get(path);
  if (cached?.stamp === stamp) return cached.parsed;
  const read = readTextFileSafely(path, { maxBytes: MAX_TRACE_BYTES });
  const parsed = read.ok ? parseTraceText(read.text, shown) : { traces: [], errors: [{ file: shown, line: 0, message: read.message }], records: 0 };
  cache.set(path, { stamp, parsed });
  return parsed;
}

/** `sha256-…` of a style or script text, for a CSP that allows exactly that inline block. */
export function cspHash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
