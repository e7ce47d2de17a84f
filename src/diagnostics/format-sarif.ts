import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { FormatInput } from './format.js';
import type { Diagnostic, Position, Severity, SourceRange } from './types.js';

import { PROJECT_URL } from '../version.js';

/** The rules' documentation: one section per rule id (docs/rules.md, generated from the registry). */
const RULES_DOC = `${PROJECT_URL}/blob/main/docs/rules.md`;
const FINGERPRINT_KEY = 'switchboard/v1';

/** Generic descriptions for the loader's and schema validator's ids, which are not in the rule registry. */
const STAGES: Readonly<Record<string, { title: string; docs: string }>> = {
  yaml: { title: 'YAML', docs: 'The file is not well-formed YAML. Fix the syntax at the reported location.' },
  source: {
    title: 'Source',
    docs: 'The file could not be read, or uses a YAML feature or size beyond what switchboard accepts.',
  },
  schema: {
    title: 'Schema',
    docs: 'The document does not match the topology schema (schema/topology.schema.json). Fix the reported key or value.',
  },
};

/** A SARIF 2.1.0 log with one run, in the subset GitHub code scanning ingests. */
export function toSarifLog(input: FormatInput): Sarif.Log {
  const rules: Sarif.ReportingDescriptor[] = input.rules.map((r) => ({ ...descriptor(r.id, r.description, r.docs, r.defaultSeverity), helpUri: `${RULES_DOC}#${r.id}` }));
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  for (const d of input.diagnostics) {
    if (ruleIndex.has(d.ruleId)) continue;
    ruleIndex.set(d.ruleId, rules.length);
    rules.push(unregisteredDescriptor(d.ruleId, d.severity));
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'switchboard', version: input.toolVersion, informationUri: PROJECT_URL, rules } },
        originalUriBaseIds: {
          '%SRCROOT%': {
            ...(input.sourceRoot ? { uri: `${pathToFileURL(input.sourceRoot).href.replace(/\/?$/, '/')}` } : {}),
            description: { text: 'The folder switchboard ran in: relative file names are relative to it.' },
          },
        },
        // Columns come from JavaScript string offsets.
        columnKind: 'utf16CodeUnits',
        results: input.diagnostics.map((d) => toResult(d, ruleIndex.get(d.ruleId)!)),
      },
    ],
  };
}

export function formatSarif(input: FormatInput): string {
  return `${JSON.stringify(toSarifLog(input), null, 2)}\n`;
}

/**
 * Where an annotation ends, for SARIF regions and GitHub annotations. Our columns are 1-based with an
 * exclusive end, which is what SARIF's (and GitHub's) `endColumn` means too, so ranges pass through
 * unchanged — except a zero-width range (a missing key collapses to a point), which would be an empty
 * region GitHub cannot highlight, so it is widened to the one character at the start.
 */
export function annotationEnd(range: SourceRange): Position {
  const { start, end } = range;
  if (end.line === start.line && end.column <= start.column) return { line: start.line, column: start.column + 1 };
  return end;
}

/** A path as a relative URI reference under %SRCROOT%: forward slashes, no `./`, percent-encoded segments. */
export function artifactLocation(file: string): Sarif.ArtifactLocation {
  const slashed = file.replace(/\\/g, '/');
  if (/^(\/|[A-Za-z]:\/)/.test(slashed)) return { uri: pathToFileURL(file).href };
  const relative = slashed.replace(/^(\.\/)+/, '');
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function descriptor(id: string, description: string, docs: string, severity: Severity): Sarif.ReportingDescriptor {
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: description },
    fullDescription: { text: docs },
    help: { text: docs, markdown: docs },
    defaultConfiguration: { level: severity },
  };
}

function unregisteredDescriptor(id: string, severity: Severity): Sarif.ReportingDescriptor {
  const slash = id.indexOf('/');
  const stage = slash < 0 ? undefined : STAGES[id.slice(0, slash)];
  // Loading and schema ids are described at the top of the rules page.
  if (!stage) return { ...descriptor(id, id, `Reported by switchboard as \`${id}\`.`, severity), helpUri: `${RULES_DOC}#rules` };
  return { ...descriptor(id, `${stage.title}: ${id.slice(slash + 1)}`, stage.docs, severity), helpUri: `${RULES_DOC}#rules` };
}

function toResult(d: Diagnostic, ruleIndex: number): Sarif.Result {
  const uri = artifactLocation(d.file);
  const related = (d.related ?? []).map(
    (r, i): Sarif.Location => ({
      id: i,
      physicalLocation: { artifactLocation: uri, ...(r.range ? { region: region(r.range) } : {}) },
      message: { text: r.message },
    }),
  );
  return {
    ruleId: d.ruleId,
    ruleIndex,
    level: d.severity,
    message: { text: d.hint ? `${d.message}\n${d.hint}` : d.message },
    locations: [{ physicalLocation: { artifactLocation: uri, ...(d.range ? { region: region(d.range) } : {}) } }],
    ...(related.length ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(d, uri.uri!) },
  };
}

function region(range: SourceRange): Sarif.Region {
  const end = annotationEnd(range);
  return { startLine: range.start.line, startColumn: range.start.column, endLine: end.line, endColumn: end.column };
}

/**
 * Identifies the finding across runs without its line number, so an alert survives edits elsewhere in
 * the file. Uses the URI rather than the raw path so Windows and POSIX runs agree.
 */
function fingerprint(d: Diagnostic, uri: string): string {
  // node:crypto is loaded here, not at start-up: every other output format (and a cold pretty
  // `validate`, which loads this module) does without its ~4 ms.
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256')
    .update([d.ruleId, uri, d.pointer, d.message].join('\0'))
    .digest('hex')
    .slice(0, 16);
}

/** SARIF wants a name readable apart from the id: `entry-exists` → `EntryExists` (`Rule` appended should they coincide). */
function pascalCase(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return name === id ? `${name}Rule` : name;
}
