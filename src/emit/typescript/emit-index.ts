import { docComment, lit } from '../code.js';
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
  const lines = [
    header,
    '',
    'import {',
    '  addTraceProcessor,',
    '  Runner,',
    '  type AgentInputItem,',
    '  type ModelProvider,',
    '  type RunState,',
    '  type TracingProcessor,',
    '} from "@openai/agents";',
    `import { entryAgent, type TopologyContext${typedOutput ? ', type FinalOutput' : ''} } from "./agents.js";`,
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
    '}',
    '',
    'const registeredTraceProcessors = new WeakSet<TracingProcessor>();',
    '',
    docComment(
      `Run one turn of \`${topology.name}\` from its entry agent, or resume a paused run by passing \`result.state\` (after approving tool calls).`,
    ),
    `export function ${helper}(`,
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
    '  const result = runner.run<typeof entryAgent, TopologyContext>(entryAgent, input, {',
    '    // Two enabled tools or handoffs with one name: fail before calling the model (SDK default: warn and hide one).',
    '    toolNameCollisionPolicy: "error",',
    '    ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}),',
    '    ...(options.context !== undefined ? { context: options.context } : {}),',
    '    ...(options.signal ? { signal: options.signal } : {}),',
    '  });',
    ...(typedOutput
      ? [
          '  // The SDK types a JSON-schema output as unknown; the declared schemas say what it is.',
          '  return result as Promise<',
          '    Awaited<typeof result> & { readonly finalOutput: FinalOutput | undefined }',
          '  >;',
        ]
      : ['  return result;']),
    '}',
  ];
  return lines.join('\n') + '\n';
}
