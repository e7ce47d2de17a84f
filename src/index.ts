/**
 * switchboard's library API: validate (and, in later stages, compile) topology files.
 * The CLI is a thin layer over these functions.
 */
export { validateFile, validateSource, runRules } from './validate.js';
export type { ValidateOptions, ValidationResult } from './validate.js';
export type { Diagnostic, Severity, SourceRange, Position, RelatedLocation } from './diagnostics/types.js';
export type * from './model/types.js';
export { RULES } from './rules/index.js';
export type { Rule, RuleInfo, RuleContext } from './rules/types.js';
export { loadYaml, LIMITS } from './source/load-yaml.js';
export { VERSION } from './version.js';
