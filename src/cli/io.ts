import { readFileSync } from 'node:fs';
import { UnsafeOutputError } from '../emit/write-output.js';
import { ConfigError } from '../config.js';

/** Everything the CLI touches outside itself, injectable so tests drive it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour, progress). */
  readonly isTTY: boolean;
  /** All of standard input (`validate -`); absent where there is none to read. */
  readonly readStdin?: () => string;
}

/**
 * The real streams, for every command. When the reader of a pipe goes away (`switchboard … | head`)
 * a write fails with EPIPE, emitted as an 'error' event that would crash the process with a stack
 * trace. Here that stream is marked closed and later writes are dropped: the command still finishes
 * (files it writes are complete) and exits with its own exit code.
 */
export function processIo(): CliIo {
  return {
    stdout: guardedWriter(process.stdout),
    stderr: guardedWriter(process.stderr),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    readStdin: () => readFileSync(0, 'utf8'),
  };
}

const guarded = new WeakMap<NodeJS.WriteStream, { closed: boolean }>();

function guardedWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let state = guarded.get(stream);
  if (!state) {
    const created = { closed: false };
    state = created;
    guarded.set(stream, created);
    // Any write error (EPIPE, EIO on a vanished terminal) means nobody reads this stream any more.
    stream.on('error', () => {
      created.closed = true;
    });
  }
  const current = state;
  return (text) => {
    if (current.closed || stream.destroyed) return;
    stream.write(text);
  };
}

export const EXIT = {
  ok: 0,
  /** The user's input has errors (or too many warnings), or `--check` found stale output. */
  findings: 1,
  /** Bad usage, or a bug in switchboard. */
  usage: 2,
} as const;

/** A problem with how switchboard was invoked (exit 2), printed without a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The one-line message for an error that is the user's to fix (exit 2), or undefined for a bug.
 * Besides UsageError and the errors stages throw for bad settings (unsafe output, a bad config file),
 * a file-system error that reaches the top (EACCES, ENOTDIR, EROFS, …) is about the user's files or
 * folders, not a bug in switchboard.
 */
export function usageProblem(error: unknown): string | undefined {
  if (error instanceof UsageError || error instanceof UnsafeOutputError || error instanceof ConfigError) return error.message;
  const e = error as NodeJS.ErrnoException | undefined;
  if (e && typeof e === 'object' && typeof e.code === 'string' && typeof e.syscall === 'string') {
    const reasons: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      ENOTDIR: 'a part of the path is not a folder',
      EISDIR: 'it is a folder',
      EEXIST: 'a file is in the way',
      EROFS: 'the file system is read-only',
      ENOSPC: 'no space left on the device',
      ELOOP: 'too many levels of symbolic links',
      ENAMETOOLONG: 'the name is too long',
    };
    return `cannot ${e.syscall}${e.path ? ` ${e.path}` : ''}: ${reasons[e.code] ?? e.code}`;
  }
  return undefined;
}

/** Colour: an explicit --color/--no-color wins, then NO_COLOR (no-color.org), then FORCE_COLOR, then a TTY. */
export function useColor(io: CliIo, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  const set = (name: string) => io.env[name] !== undefined && io.env[name] !== '';
  if (set('NO_COLOR')) return false;
  if (set('FORCE_COLOR') && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}
