/** Everything the CLI touches outside itself, injectable so tests drive it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour, progress). */
  readonly isTTY: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
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

/** Colour: an explicit --color/--no-color wins, then NO_COLOR (no-color.org), then FORCE_COLOR, then a TTY. */
export function useColor(io: CliIo, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  const set = (name: string) => io.env[name] !== undefined && io.env[name] !== '';
  if (set('NO_COLOR')) return false;
  if (set('FORCE_COLOR') && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}
