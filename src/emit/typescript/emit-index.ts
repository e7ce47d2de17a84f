import { docComment, lit } from '../code.js';
import { importStatement } from './layout.js';
import { pascalCase } from '../../model/naming.js';
import type { Topology } from '../../model/types.js';

/** The run helper's name: `runSupportDesk` for `support-desk`. */
export function runHelperName(topology: Topology): string {
  return `run${pascalCase(topology.name)}`;
}

/**
 * index.ts: the public surface — every export of agents.ts (agents, tools, types, `entryAgent`,
 * `agents` by id) and a run helper that takes any model provider (the OpenAI one by default, a scripted one in tests).
 */
export function emitIndex(topology: Topology, header: string): string {
  const helper = runHelperName(topology);
  const optionsType = `${pascalCase(topology.name)}RunOptions`;
  const typedOutput = topology.agents.some((a) => a.output);
  const mcp = topology.mcpServers.length > 0;
  const lines = [
    header,
    '',
    'import {',
    '  addTraceProcessor,',
    '  Runner,',
    '  type AgentInputItem,',
    '  type ModelProvider,',
    '  type RunState,',
    '  type Session,',
    '  type TracingProcessor,',
    '} from "@openai/agents";',
    mcp
      ? importStatement(['entryAgent', 'openMcpServers', 'type McpConnection', 'type TopologyContext', ...(typedOutput ? ['type FinalOutput'] : [])], '"./agents.js"')
      : `import { entryAgent, type TopologyContext${typedOutput ? ', type FinalOutput' : ''} } from "./agents.js";`,
    '',
    'export * from "./agents.js";',
    '',
    `export const topologyName = ${lit(topology.name)};`,
    '',
    `export interface ${optionsType} {`,
    docComment('Supplies models by name. Defaults to the SDK\'s OpenAI provider (reads OPENAI_API_KEY); pass a scripted provider in tests.', '  '),
    '  readonly modelProvider?: ModelProvider;',
    docComment('A configured Runner to use instead; its provider, tracing and hooks then apply.', '  '),
    '  readonly runner?: Runner;',
    docComment('Disable tracing (recommended in tests and offline runs).', '  '),
    '  readonly tracingDisabled?: boolean;',
    docComment(
      'Trace processors to register with the SDK before the run, once each (for example `JsonlTraceProcessor` from `switchboard/tracing`). SDK processors are global: they see every later run in the process, and the default OpenAI exporter stays unless you call `setTraceProcessors` yourself.',
      '  ',
    ),
    '  readonly traceProcessors?: readonly TracingProcessor[];',
    docComment('Maximum turns before the SDK throws MaxTurnsExceededError (SDK default: 10).', '  '),
    '  readonly maxTurns?: number;',
    docComment('Run context passed to tools, hooks, filters, guardrails and dynamic instructions.', '  '),
    '  readonly context?: TopologyContext;',
    '  readonly signal?: AbortSignal;',
    docComment('Session memory (for example the SDK\'s `MemorySession`): the run starts from its history and appends to it, so turns of one conversation share context.', '  '),
    '  readonly session?: Session;',
    ...(mcp
      ? [
          docComment('MCP servers opened with `openMcpServers()` and kept open across runs (a conversation). Without it each run connects them first and closes them after, also when the run fails or is aborted.', '  '),
          '  readonly mcp?: McpConnection;',
        ]
      : []),
    '}',
    '',
    'const registeredTraceProcessors = new WeakSet<TracingProcessor>();',
    '',
    docComment(
      `Run one turn of \`${topology.name}\` from its entry agent, or resume a paused run by passing \`result.state\` (after approving tool calls).`,
    ),
    `export ${mcp ? 'async ' : ''}function ${helper}(`,
    '  input: string | AgentInputItem[] | RunState<TopologyContext, typeof entryAgent>,',
    `  options: ${optionsType} = {},`,
    ') {',
    '  for (const processor of options.traceProcessors ?? []) {',
    '    if (registeredTraceProcessors.has(processor)) continue;',
    '    registeredTraceProcessors.add(processor);',
    '    addTraceProcessor(processor);',
    '  }',
    '  const runner =',
    '    options.runner ??',
    '    new Runner({',
    '      ...(options.modelProvider ? { modelProvider: options.modelProvider } : {}),',
    '      ...(options.tracingDisabled !== undefined',
    '        ? { tracingDisabled: options.tracingDisabled }',
    '        : {}),',
    '    });',
    ...(mcp ? ['  const mcp = options.mcp ?? (await openMcpServers());', '  try {'] : []),
    ...[
      'const result = runner.run<typeof entryAgent, TopologyContext>(entryAgent, input, {',
      '  // Two enabled tools or handoffs with one name (MCP tools included): fail before calling the model (SDK default: warn and hide one).',
      '  toolNameCollisionPolicy: "error",',
      '  ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}),',
      '  ...(options.context !== undefined ? { context: options.context } : {}),',
      '  ...(options.signal ? { signal: options.signal } : {}),',
      '  ...(options.session ? { session: options.session } : {}),',
      '});',
    ].map((line) => (mcp ? '    ' : '  ') + line),
    ...(typedOutput && !mcp
      ? [
          '  // The SDK types a JSON-schema output as unknown; the declared schemas say what it is.',
          '  return result as Promise<',
          '    Awaited<typeof result> & { readonly finalOutput: FinalOutput | undefined }',
          '  >;',
        ]
      : []),
    ...(typedOutput && mcp
      ? [
          '    // The SDK types a JSON-schema output as unknown; the declared schemas say what it is.',
          '    type Typed = Awaited<typeof result> & { readonly finalOutput: FinalOutput | undefined };',
          '    return (await result) as Typed;',
        ]
      : []),
    ...(typedOutput ? [] : [mcp ? '    return await result;' : '  return result;']),
    ...(mcp ? ['  } finally {', '    if (!options.mcp) await mcp.close();', '  }'] : []),
    '}',
  ];
  return lines.join('\n') + '\n';
}
