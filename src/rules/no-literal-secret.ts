import { defineRule } from './define.js';
import { childPointer } from '../source/pointer.js';

/** Shapes of credentials: OpenAI-style keys, GitHub and Slack tokens, AWS key ids, JWTs and bearer/basic credentials. */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  [/\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}/, 'an API key (sk-…)'],
  [/\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JSON Web Token'],
  [/^\s*(?:Bearer|Basic|Token)\s+\S{8,}/i, 'a bearer credential'],
];

/** Header and variable names that hold credentials whatever their value looks like. */
const SECRET_NAMES = /^(authorization|proxy-authorization|x-api-key|api[-_]?key|.*(?:_|-)(?:key|token|secret|password))$/i;

export default defineRule({
  id: 'no-literal-secret',
  defaultSeverity: 'error',
  description: 'MCP server settings take credentials from environment variables, never as literals in the YAML.',
  docs: 'A topology is committed and reviewed; a key written into it leaks with every clone, diff and generated file. Write `{ fromEnv: NAME }` (optionally with `prefix: "Bearer "`) in `env` and `headers`: the generated code reads the variable when it loads and contains only its name. Flags strings in `mcpServers` shaped like API keys (sk-…, GitHub, Slack, AWS), JWTs and bearer credentials, and any literal value of a header or variable whose name says it holds a credential (Authorization, X-Api-Key, *_KEY, *_TOKEN, *_SECRET, *_PASSWORD).',
  check({ topology, report }) {
    for (const server of topology.mcpServers) {
      const strings: [string, string][] = [
        ...(server.command ? [[server.command.value, server.command.pointer] as [string, string]] : []),
        ...server.args.map((a, i) => [a, childPointer(server.pointer, 'args', i)] as [string, string]),
        ...(server.url ? [[server.url.value, server.url.pointer] as [string, string]] : []),
      ];
      for (const [value, pointer] of strings) {
        const shape = SECRET_SHAPES.find(([re]) => re.test(value));
        if (shape) report({ pointer, message: `MCP server \`${server.id}\` has ${shape[1]} written into the YAML`, hint: 'pass it through an environment variable the server reads, not on its command line or URL' });
      }
      for (const [name, value] of [...server.env, ...server.headers]) {
        if (value.kind !== 'literal') continue;
        const shape = SECRET_SHAPES.find(([re]) => re.test(value.value));
        if (shape || (SECRET_NAMES.test(name) && value.value !== '')) {
          report({
            pointer: value.pointer,
            message: `\`${name}\` of MCP server \`${server.id}\` is ${shape ? shape[1] : 'a credential'} written into the YAML`,
            hint: `write \`${name}: { fromEnv: ${envName(name)}${/^authorization$/i.test(name) ? ', prefix: "Bearer "' : ''} }\` and set the variable where the topology runs`,
          });
        }
      }
    }
  },
});

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
