import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The @openai/agents versions the generated code is written for (mirrors package.json peerDependencies). */
export const SDK_PACKAGE = '@openai/agents';
export const SDK_RANGE = { min: [0, 20, 0], below: [0, 21, 0], text: '>=0.20.0 <0.21.0' } as const;

export type SdkCheck =
  | { readonly status: 'ok'; readonly version: string }
  | { readonly status: 'missing' }
  | { readonly status: 'out-of-range'; readonly version: string; readonly path: string };

/** Find the SDK that code in `fromDir` would import (Node's node_modules lookup) and check its version. */
export function checkInstalledSdk(fromDir: string): SdkCheck {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', SDK_PACKAGE, 'package.json');
    if (existsSync(manifest)) {
      const version = String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version ?? '0.0.0');
      return inRange(version) ? { status: 'ok', version } : { status: 'out-of-range', version, path: manifest };
    }
    if (dirname(dir) === dir) return { status: 'missing' };
  }
}

export function inRange(version: string): boolean {
  const parts = /^(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number);
  if (!parts) return false;
  return compare(parts, SDK_RANGE.min) >= 0 && compare(parts, SDK_RANGE.below) < 0;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
