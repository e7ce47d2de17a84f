import type { FormatInput } from '../../src/diagnostics/format.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import type { RuleInfo } from '../../src/rules/types.js';

export const FILE = 'topologies/support.yaml';

const TOOLS = Array.from({ length: 14 }, (_, i) => `lookup_account_${String(i).padStart(2, '0')}`);
const TOOLS_LINE = `    tools: [${TOOLS.slice(0, 7).join(', ')}, lookup account, ${TOOLS.slice(7).join(', ')}]`;

export const SOURCE = [
  'version: 1',
  'name: support-desk',
  'entry: triage',
  'agents:',
  '  triage:',
  '    instructions: Route the customer to the right specialist.',
  '    handoffs:',
  '      - billing',
  '      - tech-support',
  '  billing:',
  '    instructions: Handle invoices and refunds.',
  '    handofs: [triage]',
  '  tech-support:',
  '    instructions: |',
  '      Fix it.',
  '      Escalate.',
  '    description:\tHelps',
  TOOLS_LINE,
  '',
].join('\n');

/** Column (1-based) where the invalid tool name starts on line 18. */
export const BAD_TOOL_COLUMN = TOOLS_LINE.indexOf('lookup account') + 1;

export const unknownKey: Diagnostic = {
  ruleId: 'schema/unknown-key',
  severity: 'error',
  message: 'unknown key `handofs`; did you mean `handoffs`?',
  file: FILE,
  pointer: '/agents/billing/handofs',
  range: { start: { line: 12, column: 5 }, end: { line: 12, column: 12 } },
  suggestion: 'handoffs',
  hint: 'allowed keys: `instructions`, `handoffs`, `description`, `model` and `tools`',
};

export const multiLine: Diagnostic = {
  ruleId: 'schema/instructions',
  severity: 'error',
  message: 'instructions must be at least 20 characters',
  file: FILE,
  pointer: '/agents/tech-support/instructions',
  range: { start: { line: 14, column: 19 }, end: { line: 16, column: 16 } },
};

export const tabbedWarning: Diagnostic = {
  ruleId: 'handoff-description',
  severity: 'warning',
  message: 'handoff target `tech-support` has a one-word description',
  file: FILE,
  pointer: '/agents/tech-support/description',
  range: { start: { line: 17, column: 18 }, end: { line: 17, column: 23 } },
  hint: 'the triage agent picks a handoff by its description; say what the agent handles',
  related: [
    {
      message: 'handoff declared here',
      pointer: '/agents/triage/handoffs/1',
      range: { start: { line: 9, column: 9 }, end: { line: 9, column: 21 } },
    },
  ],
};

export const longLine: Diagnostic = {
  ruleId: 'tool-name-valid',
  severity: 'error',
  message: 'tool name `lookup account` must match ^[a-zA-Z0-9_-]{1,64}$',
  file: FILE,
  pointer: '/agents/tech-support/tools/7',
  range: { start: { line: 18, column: BAD_TOOL_COLUMN }, end: { line: 18, column: BAD_TOOL_COLUMN + 14 } },
};

export const noRange: Diagnostic = {
  ruleId: 'source/unreadable',
  severity: 'error',
  message: 'cannot read file: ENOENT: no such file or directory',
  file: 'topologies/missing.yaml',
  pointer: '',
};

export const RULES: readonly RuleInfo[] = [
  {
    id: 'entry-exists',
    defaultSeverity: 'error',
    description: '`entry` names a declared agent.',
    docs: 'Every conversation starts at the entry agent, so it must be one of the agents under `agents`.',
  },
  {
    id: 'handoff-description',
    defaultSeverity: 'warning',
    description: 'Handoff targets have a useful description.',
    docs: 'The model picks a handoff by its description. Describe what the agent handles.',
  },
  {
    id: 'tool-name-valid',
    defaultSeverity: 'error',
    description: 'Tool names are valid function names.',
    docs: 'The model API only accepts tool names matching `^[a-zA-Z0-9_-]{1,64}$`. Rename the tool.',
  },
];

export function input(diagnostics: readonly Diagnostic[], overrides: Partial<FormatInput> = {}): FormatInput {
  return {
    diagnostics,
    sources: new Map([[FILE, SOURCE]]),
    rules: RULES,
    filesChecked: 2,
    color: false,
    toolVersion: '0.1.0',
    ...overrides,
  };
}
