import type { EntryAmbiguity, SourceLocation } from './types.js';

// Errors every importer (TypeScript, Python) throws for input it cannot turn into a topology; the CLI
// prints them and exits 1, writing nothing.

/** Thrown when the entry agent cannot be decided: the CLI prints the candidates and exits 1. */
export class ImportEntryError extends Error {
  override readonly name = 'ImportEntryError';
  constructor(readonly ambiguity: EntryAmbiguity, message: string) {
    super(message);
  }
}

/** Thrown for input the importer cannot read at all (a syntax error, no agents). */
export class ImportSourceError extends Error {
  override readonly name = 'ImportSourceError';
  constructor(message: string, readonly location?: SourceLocation) {
    super(message);
  }
}
