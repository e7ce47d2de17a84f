/** A one-line progress bar for a TTY (stderr), redrawn in place. */
import type { Progress } from './runner.js';
import { terminalLine } from './terminal-text.js';

export function renderProgress(p: Progress, width = 24): string {
  const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(ratio * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const errors = p.errors > 0 ? `, ${p.errors} error${p.errors === 1 ? '' : 's'}` : '';
  return `${bar} ${String(p.done).padStart(String(p.total).length)}/${p.total} ${terminalLine(p.setting)}${errors}`;
}

export interface ProgressBar {
  update(progress: Progress): void;
  /** Clear the line (call before printing anything else). */
  done(): void;
}

/** Redraws at most every `intervalMs` (and always on completion). A no-op when disabled. */
export function progressBar(write: (text: string) => void, options: { enabled: boolean; now?: () => number; intervalMs?: number }): ProgressBar {
  if (!options.enabled) return { update: () => {}, done: () => {} };
  const now = options.now ?? (() => Date.now());
  const interval = options.intervalMs ?? 80;
  let last = -Infinity;
  let drawn = false;
  return {
    update(progress) {
      const t = now();
      if (progress.done < progress.total && t - last < interval) return;
      last = t;
      drawn = true;
      write(`\r\x1b[2K${renderProgress(progress)}`);
    },
    done() {
      if (drawn) write('\r\x1b[2K');
      drawn = false;
    },
  };
}
