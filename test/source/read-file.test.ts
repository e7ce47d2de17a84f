import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatBytes, readFileSafely, readTextFileSafely } from '../../src/source/read-file.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const limits = { maxBytes: 16 };

describe('readFileSafely', () => {
  it('reads a regular file up to the limit', () => {
    writeFileSync(join(dir, 'ok.txt'), 'sixteen bytes!!\n');
    const read = readFileSafely(join(dir, 'ok.txt'), limits);
    expect(read.ok && read.bytes.toString()).toBe('sixteen bytes!!\n');
  });

  it('refuses a file one byte over the limit without reading it, in bytes', () => {
    writeFileSync(join(dir, 'big.txt'), 'seventeen bytes!\n');
    expect(readFileSafely(join(dir, 'big.txt'), limits)).toEqual({ ok: false, problem: 'too-large', message: 'file is 17 bytes; the limit is 16 bytes' });
  });

  it('never blocks on a FIFO and never reads a device', () => {
    spawnSync('mkfifo', [join(dir, 'fifo')]);
    expect(readFileSafely(join(dir, 'fifo'), limits)).toMatchObject({ ok: false, problem: 'not-a-file', message: 'is not a regular file (it is a FIFO)' });
    expect(readFileSafely('/dev/zero', limits)).toMatchObject({ ok: false, problem: 'not-a-file', message: 'is not a regular file (it is a character device)' });
    symlinkSync('/dev/zero', join(dir, 'zero-link'));
    expect(readFileSafely(join(dir, 'zero-link'), limits)).toMatchObject({ problem: 'not-a-file' });
    expect(readFileSafely(dir, limits)).toMatchObject({ problem: 'not-a-file', message: 'is not a regular file (it is a directory)' });
  });

  it('bounds the read when the size on disk lies (/proc files say 0)', () => {
    const read = readFileSafely('/proc/self/status', { maxBytes: 64 });
    expect(read).toMatchObject({ ok: false, problem: 'too-large', message: 'file is more than 64 bytes; the limit is 64 bytes' });
    expect(readFileSafely('/proc/self/status', { maxBytes: 1024 * 1024 }).ok).toBe(true);
  });

  it('reports missing files and dangling symlinks as missing', () => {
    expect(readFileSafely(join(dir, 'nope'), limits)).toMatchObject({ problem: 'missing', message: 'file not found' });
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(readFileSafely(join(dir, 'dangling'), limits)).toMatchObject({ problem: 'missing' });
  });
});

describe('readTextFileSafely', () => {
  it('decodes UTF-8 and locates the first invalid byte', () => {
    writeFileSync(join(dir, 'utf8.txt'), 'café ✓\n');
    expect(readTextFileSafely(join(dir, 'utf8.txt'), limits)).toEqual({ ok: true, text: 'café ✓\n' });
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect(readTextFileSafely(join(dir, 'latin1.txt'), limits)).toEqual({ ok: false, problem: 'encoding', offset: 3, message: 'is not valid UTF-8 (byte 0xe9 at offset 3); save it as UTF-8' });
  });
});

describe('formatBytes', () => {
  it('tells sizes either side of a limit apart', () => {
    expect(formatBytes(10 * 1024 * 1024)).toBe('10,485,760 bytes (10.0 MiB)');
    expect(formatBytes(10 * 1024 * 1024 + 1)).toBe('10,485,761 bytes (10.0 MiB)');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(2048)).toBe('2,048 bytes (2.0 KiB)');
  });
});
