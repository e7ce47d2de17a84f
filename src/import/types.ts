// Contract shared by the TypeScript/JavaScript importer (src/import/typescript/) and the Python
// importer (src/import/python/): both turn source code into the same result, which
// src/import/index.ts writes out as a topology YAML (with the schema modeline) plus a side module.

/** A position in the imported source file; line and column are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** Something the importer could not carry over as-is, and what it did instead. Never drop silently. */
export interface ImportNote {
  severity: "warning" | "info";
  message: string;
  /** What was done instead, e.g. "wrote a stub `lookup_invoice` in support.switchboard.ts". */
  action?: string;
  location: SourceLocation;
}

/** One export the side module must provide so the topology's references resolve. */
export interface SideModuleExport {
  /** Exported name the YAML refers to (tool module export, hook, filter, guardrail). */
  name: string;
  kind: "tool" | "hook" | "filter" | "guardrail" | "schema" | "instructions";
  /** TypeScript source of the export (re-export of user code, or a typed stub with a TODO body). */
  code: string;
}

export interface ImportResult {
  /**
   * The topology document as plain JSON (exactly what parsing the YAML file would give), following
   * schema/topology.schema.json: version, name, entry, agents, tools, handoffs, schemas, ...
   */
  document: Record<string, unknown>;
  /** Comments to place above keys, by JSON pointer (e.g. "/agents/triage": "from support.py:12"). */
  comments?: Record<string, string>;
  /** Exports for the side module `<name>.switchboard.ts` written next to the YAML. */
  sideModule: SideModuleExport[];
  /** Imports the side module needs (e.g. `import { z } from "zod";`), deduplicated by the writer. */
  sideModuleImports: string[];
  notes: ImportNote[];
}

/** Thrown (as a user error, exit 1) when the entry agent cannot be decided. */
export interface EntryAmbiguity {
  kind: "entry-ambiguous" | "entry-missing";
  candidates: Array<{ agent: string; location: SourceLocation }>;
}

export interface ImportOptions {
  /** Entry agent chosen by `--entry` (an agent id or a variable/name in the source). */
  entry?: string;
  /** Path of the YAML file that will be written; the side module and module paths are relative to it. */
  outFile: string;
}
