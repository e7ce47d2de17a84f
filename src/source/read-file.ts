import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/**
 * The one way switchboard reads a file it was given (topologies, instruction files, modules, `.mmd`
 * diagrams, datasets, cassettes, existing output): regular files only, the size checked on the opened
 * descriptor before reading and the read itself bounded, so a FIFO cannot hang a command and
 * `/dev/zero` (or a symlink to it) cannot be read without end.
 */

export type ReadProblem = 'missing' | 'not-a-file' | 'too-large' | 'encoding' | 'unreadable';

export interface ReadFailure {
  readonly ok: false;
  readonly problem: ReadProblem;
  /** Says what is wrong without naming the file (callers know how to show it). */
  readonly message: string;
  /** For `encoding`: the offset of the first byte that is not UTF-8. */
  readonly offset?: number;
}

export type BytesRead = { readonly ok: true; readonly bytes: Buffer } | ReadFailure;
export type TextRead = { readonly ok: true; readonly text: string } | ReadFailure;

export interface ReadLimits {
  /** The most bytes read; a larger file is `too-large` and is not read at all. */
  readonly maxBytes: number;
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. No effect on regular files.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Read a regular file of at most `limits.maxBytes` bytes. Never throws for what is on disk. */
export function readFileSafely(path: string, limits: ReadLimits): BytesRead {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return failure(error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, problem: 'not-a-file', message: `is not a regular file (it is ${kindOf(stats)})` };
    if (stats.size > limits.maxBytes) return tooLarge(stats.size, limits.maxBytes);
    // Bounded even when the size lies (files in /proc say 0, a file may grow while it is read).
    let buffer = Buffer.alloc(Math.min(limits.maxBytes + 1, Math.max(stats.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limits.maxBytes) return tooLarge(length, limits.maxBytes, true);
        const bigger = Buffer.alloc(Math.min(limits.maxBytes + 1, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limits.maxBytes) return tooLarge(length, limits.maxBytes, true);
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return failure(error);
  } finally {
    closeSync(fd);
  }
}

/** `readFileSafely`, then strict UTF-8 decoding (a byte-order mark is kept as U+FEFF). */
export function readTextFileSafely(path: string, limits: ReadLimits): TextRead {
  const read = readFileSafely(path, limits);
  if (!read.ok) return read;
  const bad = firstInvalidUtf8Byte(read.bytes);
  if (bad !== -1) {
    return { ok: false, problem: 'encoding', offset: bad, message: `is not valid UTF-8 (byte 0x${read.bytes[bad]!.toString(16).padStart(2, '0')} at offset ${bad}); save it as UTF-8` };
  }
  return { ok: true, text: read.bytes.toString('utf8') };
}

/** A size that tells two sizes apart: `10,485,761 bytes (10.0 MiB)`. */
export function formatBytes(n: number): string {
  const exact = `${n.toLocaleString('en-US')} ${n === 1 ? 'byte' : 'bytes'}`;
  if (n >= 1024 * 1024) return `${exact} (${(n / 1024 / 1024).toFixed(1)} MiB)`;
  if (n >= 1024) return `${exact} (${(n / 1024).toFixed(1)} KiB)`;
  return exact;
}

function tooLarge(size: number, max: number, atLeast = false): ReadFailure {
  return { ok: false, problem: 'too-large', message: `file is ${atLeast ? 'more than ' : ''}${formatBytes(atLeast ? max : size)}; the limit is ${formatBytes(max)}` };
}

function failure(error: unknown): ReadFailure {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { ok: false, problem: 'missing', message: 'file not found' };
  if (code === 'EISDIR') return { ok: false, problem: 'not-a-file', message: 'is not a regular file (it is a directory)' };
  if (code === 'ENOTDIR') return { ok: false, problem: 'missing', message: 'file not found (a part of the path is not a folder)' };
  if (code === 'ELOOP') return { ok: false, problem: 'unreadable', message: 'cannot be read (too many levels of symbolic links)' };
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, problem: 'unreadable', message: 'cannot be read (permission denied)' };
  return { ok: false, problem: 'unreadable', message: `cannot be read (${code ?? (error as Error).message})` };
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * Index of the first byte that breaks UTF-8, or -1 (TextDecoder's fatal mode cannot say where).
 * Follows the well-formed byte sequences of Unicode table 3-7: no overlong forms, no surrogates
 * (ED A0..BF), nothing above U+10FFFF.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let extra: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) extra = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      extra = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      extra = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += extra + 1;
  }
  return -1;
}
