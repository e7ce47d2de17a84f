import { resolve } from 'node:path';
import type { Diagnostic, DiagnosticDraft, RuleSetting, Severity } from './diagnostics/types.js';
import { sortDiagnostics } from './diagnostics/types.js';
import { LIMITS, loadYaml, type SourceFile } from './source/load-yaml.js';
import { readFileSafely } from './source/read-file.js';
import { locate } from './source/locate.js';
import { validateSchema } from './schema/validate-schema.js';
import { buildModel } from './model/build-model.js';
import { nodeFileHost, resolveFiles, type FileHost } from './model/resolve-files.js';
import type { ProjectFiles, Topology } from './model/types.js';
import { RULES } from './rules/index.js';
import type { Rule } from './rules/types.js';
import { findComments } from './source/comments.js';
import { applySuppressions, parseSuppressions, SUPPRESSION_COMMENT } from './diagnostics/suppressions.js';

export interface ValidateOptions {
  /** The file name shown in diagnostics; defaults to the path as given. */
  readonly displayPath?: string;
  /** Project root that references must stay inside; defaults to the nearest folder with a package.json. */
  readonly root?: string;
  readonly host?: FileHost;
  /** The rules to run; defaults to every rule. */
  readonly rules?: readonly Rule[];
  /** Severities from the configuration file; a topology's own `rules:` wins over these. */
  readonly ruleSettings?: Readonly<Record<string, RuleSetting>>;
  /** Rule options from the configuration file (e.g. `model-known`'s extra `models`); a topology's own win. */
  readonly ruleOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface ValidationResult {
  /** The file as shown in diagnostics. */
  readonly file: string;
  /** The file's absolute path. */
  readonly absolutePath: string;
  /** The resolved topology; present whenever the file parsed into a mapping (even with errors). */
  readonly topology?: Topology;
  readonly files?: ProjectFiles;
  readonly source?: SourceFile;
  /** Sorted, deduplicated; every diagnostic has a range. Suppressed findings are not among them. */
  readonly diagnostics: readonly Diagnostic[];
  /** Findings silenced by `# switchboard-disable-…` comments (docs/suppressions.md), sorted. */
  readonly suppressed: readonly Diagnostic[];
  /** True when no diagnostic is an error. */
  readonly ok: boolean;
}

/** Read and validate one topology file. Never throws for bad input; unreadable files become diagnostics. */
export function validateFile(path: string, options: ValidateOptions = {}): ValidationResult {
  const file = options.displayPath ?? path;
  // Regular files only, and never more than the size limit: a FIFO or /dev/zero is a diagnostic, not a hang.
  const read = readFileSafely(path, { maxBytes: LIMITS.maxFileBytes });
  if (!read.ok) {
    const START = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
    const [ruleId, message, range] =
      read.problem === 'too-large' ? ['source/too-large', read.message, START] : read.problem === 'missing' ? ['source/unreadable', read.message, undefined] : ['source/unreadable', `file ${read.message}`, undefined];
    return finish(file, resolve(path), [{ ruleId, severity: 'error', message, file, pointer: '', ...(range ? { range } : {}) }]);
  }
  return validateSource(read.bytes, path, options);
}

/**
 * Validate YAML text or bytes: load with positions, check the schema, build the model, resolve the
 * files it references, run the rules. `path` locates relative references.
 */
export function validateSource(input: Uint8Array | string, path: string, options: ValidateOptions = {}): ValidationResult {
  const file = options.displayPath ?? path;
  const loaded = loadYaml(input, file);
  const drafts: DiagnosticDraft[] = [...loaded.diagnostics];
  let topology: Topology | undefined;
  let files: ProjectFiles | undefined;
  const activeRules = new Set<string>();
  if (loaded.data !== undefined) {
    for (const draft of validateSchema(loaded.data)) drafts.push(draft);
    topology = buildModel(loaded.data, file);
    if (topology) {
      files = resolveFiles(topology, path, options.host ?? nodeFileHost, options.root);
      // A loop, not push(...): a spread of a huge array overflows the stack.
      const rules = options.rules ?? RULES;
      for (const draft of runRules(topology, files, rules, options.ruleSettings, options.ruleOptions)) drafts.push(draft);
      for (const rule of rules) if (ruleSetting(rule, topology, options.ruleSettings) !== 'off') activeRules.add(rule.id);
    }
  }
  const diagnostics = drafts.map((draft): Diagnostic => {
    const { onKey, ...rest } = draft;
    const range = draft.range ?? (loaded.source ? locate(loaded.source, draft.pointer, { onKey: onKey ?? false }) : undefined);
    const related = draft.related?.map((r) => ({ ...r, ...(loaded.source && !r.range ? { range: locate(loaded.source, r.pointer) } : {}) }));
    return { ...rest, severity: draft.severity ?? 'error', file, ...(range ? { range } : {}), ...(related ? { related } : {}) };
  });
  if (!loaded.source) return finish(file, resolve(path), diagnostics, {});
  // Suppressions apply to findings of the rules only; the loader's and the schema's cannot be silenced.
  const { suppressions, problems } = parseSuppressions(
    findComments(loaded.source, SUPPRESSION_COMMENT),
    RULES.map((r) => r.id),
    new Set(RULES.filter((r) => r.suppressible === false).map((r) => r.id)),
  );
  // A file with load or schema errors gives the rules a partial model: a finding they miss is not proof
  // that its suppression is unused.
  const partial = diagnostics.some((d) => /^(?:yaml|source|schema)\//.test(d.ruleId));
  const applied = applySuppressions(diagnostics, suppressions, partial ? new Set() : activeRules);
  const extra = [...problems, ...applied.unused].map((d): Diagnostic => ({ ...d, file }));
  return finish(file, resolve(path), [...applied.kept, ...extra], { topology, files, source: loaded.source, suppressed: applied.suppressed });
}

/** Run the rules with the topology's severity overrides and policy applied. */
export function runRules(
  topology: Topology,
  files: ProjectFiles,
  rules: readonly Rule[],
  configured: Readonly<Record<string, RuleSetting>> = {},
  configuredOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
): DiagnosticDraft[] {
  const drafts: DiagnosticDraft[] = [];
  for (const rule of rules) {
    const override = topology.rules.get(rule.id);
    if (rule.required && override?.severity !== undefined && override.severity !== 'error') {
      drafts.push({
        ruleId: rule.id,
        severity: 'error',
        pointer: override.pointer,
        onKey: true,
        message: `rule \`${rule.id}\` cannot be set to \`${override.severity}\`: ${rule.required}`,
        hint: `remove \`${rule.id}\` from \`rules:\` and fix the findings it reports`,
      });
    }
    const setting = ruleSetting(rule, topology, configured);
    if (setting === 'off') continue;
    const severity: Severity = setting;
    rule.check({
      topology,
      files,
      options: { ...configuredOptions[rule.id], ...override?.options },
      report: (finding) => drafts.push({ ...finding, ruleId: rule.id, severity }),
    });
  }
  return drafts;
}

/**
 * The topology's own rules win; then its policy (mesh switches the star rules off), so a project
 * config that restates a star rule does not turn it back on in mesh topologies; then the config.
 */
export function ruleSetting(rule: Rule, topology: Topology, configured: Readonly<Record<string, RuleSetting>> = {}): RuleSetting {
  // A rule the compiler relies on is always an error (an attempt to change it is reported by runRules).
  if (rule.required) return 'error';
  const override = topology.rules.get(rule.id);
  // The topology's own rules win; then its policy (mesh switches the star rules off), so a project
  // config that restates a star rule does not turn it back on in mesh topologies; then the config.
  return override?.severity ?? (rule.policy === 'star' && topology.policy === 'mesh' ? 'off' : (configured[rule.id] ?? rule.defaultSeverity));
}

function finish(
  file: string,
  absolutePath: string,
  diagnostics: readonly Diagnostic[],
  parts: { topology?: Topology | undefined; files?: ProjectFiles | undefined; source?: SourceFile | undefined; suppressed?: readonly Diagnostic[] } = {},
): ValidationResult {
  const sorted = sortDiagnostics(diagnostics);
  return {
    file,
    absolutePath,
    ...(parts.topology ? { topology: parts.topology } : {}),
    ...(parts.files ? { files: parts.files } : {}),
    ...(parts.source ? { source: parts.source } : {}),
    diagnostics: sorted,
    suppressed: sortDiagnostics(parts.suppressed ?? []),
    ok: !sorted.some((d) => d.severity === 'error'),
  };
}
