import { NameAllocator, docComment, jsonDoc, lit, multiline, propertyKey } from '../code.js';
import { camelCase, pascalCase } from '../../model/naming.js';
import { indexOf } from '../../model/queries.js';
import { hasVoiceRuntime, isVoiceHandoff, voiceAgents } from '../../model/voice.js';
import type { Agent, AudioFormat, Edge, Topology } from '../../model/types.js';
import { cmp } from '../../diagnostics/types.js';
import { delegateOptions, handoffOptions, instructionsDoc, type EmitContext } from './emit-agents.js';
import { emitBindings } from './emit-declarations.js';
import { WIDTH, array, assignment, call, importStatement, object, render, str, type Doc } from './layout.js';
import { FIXED_NAMES, allocateNames, bindingKey, bindings, hookType, schemaKey, type Names } from './names.js';

/** Identifiers voice.ts declares or imports itself; user-derived names never take them. */
const VOICE_FIXED_NAMES = [
  'RealtimeAgent',
  'RealtimeSession',
  'RealtimeSessionConfig',
  'RealtimeTransportLayer',
  'RealtimeOutputGuardrail',
  'entryVoiceAgent',
  'voiceAgents',
  'VoiceAgentId',
  'voiceModel',
  'voiceSessionConfig',
  'voiceOutputGuardrails',
];

/** The helpers' names: `startSupportDeskVoiceSession` for `support-desk`. */
export function voiceHelperNames(topology: Topology) {
  const base = pascalCase(topology.name);
  return { start: `start${base}VoiceSession`, create: `create${base}VoiceSession`, options: `${base}VoiceOptions` };
}

/** The YAML's audio format names as the SDK's format definitions (the string shorthands are deprecated). */
const AUDIO_FORMATS: Record<AudioFormat, Record<string, unknown>> = {
  pcm16: { type: 'audio/pcm', rate: 24000 },
  g711_ulaw: { type: 'audio/pcmu' },
  g711_alaw: { type: 'audio/pcma' },
};

/**
 * voice.ts: one RealtimeAgent per voice agent, with the text agents' instructions, the very tool
 * objects agents.ts exports (so the same typed user implementations run), approvals and handoffs,
 * declared first and wired after; then the session settings and a helper that starts a
 * RealtimeSession on a transport the caller passes in. Input filters are left out: the realtime
 * session never applies them (rule `voice-handoff-filter`).
 */
export function emitVoice(ctx: EmitContext): string {
  const { topology } = ctx;
  if (!hasVoiceRuntime(topology)) throw new Error('internal: emitVoice called on a topology without the voice runtime');
  const names = allocateNames(topology);
  const speakers = voiceAgents(topology);
  const { agents, outgoing } = indexOf(topology);
  const allocate = new NameAllocator([...FIXED_NAMES, ...VOICE_FIXED_NAMES, ...Object.values(voiceHelperNames(topology)), ...allNames(names)]);
  const voiceName = new Map(speakers.map((a) => [a.id, allocate.allocate(`${camelCase(a.id)}VoiceAgent`)]));

  const edges = speakers.flatMap((a) => outgoing.get(a.id) ?? []);
  const handoffs = edges.filter((e) => isVoiceHandoff(topology, e));
  const delegates = edges.filter((e) => e.kind === 'delegate' && agents.has(e.to.value));

  // What voice.ts binds itself: the hooks and predicates of its handoffs and delegations, and dynamic instructions.
  const used = new Set<string>([
    ...speakers.flatMap((a) => (a.instructions?.kind === 'dynamic' ? [bindingKey(a.instructions.implementation, 'DynamicInstructions')] : [])),
    ...handoffs.flatMap((e) => (e.onHandoff ? [bindingKey(e.onHandoff, hookType(e, names.schemaType))] : [])),
    ...[...handoffs, ...delegates].flatMap((e) => (e.enabled?.kind === 'predicate' ? [bindingKey(e.enabled.implementation, 'HandoffEnabled')] : [])),
  ]);
  const boundRefs = bindings(topology, names.params, names.schemaType).filter(([ref, type]) => used.has(bindingKey(ref, type))).map(([ref]) => ref);
  const guardrails = topology.voice?.outputGuardrails ?? [];
  const modulePaths = [...new Set([...boundRefs, ...guardrails].map((r) => r.path))].sort(cmp);
  const moduleName = new Map(modulePaths.map((p) => [p, names.module.get(p) ?? allocate.allocate(`${camelCase(p.split('/').pop()!.replace(/\.[mc]?[jt]s$/, '')) || 'user'}Module`)]));
  const guardrailName = new Map(guardrails.map((g) => [g.pointer, allocate.allocate(g.exportName)]));

  // Everything taken from agents.ts: shared types, tool objects, schemas, fragments, delegation targets.
  const fromAgents = new Set<string>();
  const fromAgentsTypes = new Set<string>(['TopologyContext']);
  for (const key of used) fromAgentsTypes.add(key.slice(key.indexOf('|') + 1).replace(/<.*$/, ''));
  for (const agent of speakers) for (const t of agent.tools) if (names.tool.has(t.value)) fromAgents.add(names.tool.get(t.value)!);
  for (const edge of handoffs) {
    if (!edge.input) continue;
    fromAgents.add(names.schemaConst.get(schemaKey(edge.input))!);
    fromAgentsTypes.add(names.schemaType.get(schemaKey(edge.input))!);
  }
  if (speakers.some((a) => a.fragments.length)) fromAgents.add('promptFragments');
  for (const edge of delegates) fromAgents.add(names.agent.get(edge.to.value)!);

  // Dynamic instructions are typed for text agents (`Agent<TopologyContext>`); a RealtimeAgent's
  // context adds `history`, so each gets a wrapper that passes the voice agent on as an Agent.
  const dynamicRefs = [...new Map(speakers.flatMap((a) => (a.instructions?.kind === 'dynamic' ? [[bindingKey(a.instructions.implementation, 'DynamicInstructions'), a.instructions.implementation] as const] : []))).entries()];
  const voiceBinding = new Map(names.binding);
  const wrappers = dynamicRefs.map(([key, ref]) => {
    const wrapper = allocate.allocate(`${names.binding.get(key)}ForVoice`);
    voiceBinding.set(key, wrapper);
    return [
      docComment(`Instructions from ${ref.path}#${ref.exportName}, given the voice agent as the Agent it expects.`),
      ...signature(`function ${wrapper}(`, ['runContext: RunContext<TopologyContext>', 'agent: Agent<any, any>'], ') {'),
      `  return ${names.binding.get(key)}(runContext, agent);`,
      '}',
    ];
  });
  const voiceNames: Names = { ...names, binding: voiceBinding };
  const helper = voiceHelperNames(topology);
  const session = topology.voice;
  const model = session?.model?.value;
  return [
    ctx.header,
    '',
    importStatement(
      ['RealtimeAgent', 'RealtimeSession', 'type RealtimeSessionConfig', 'type RealtimeTransportLayer', ...(guardrails.length ? ['type RealtimeOutputGuardrail'] : [])],
      '"@openai/agents/realtime"',
    ),
    ...(handoffs.length || wrappers.length ? [importStatement([...(handoffs.length ? ['handoff'] : []), ...(wrappers.length ? ['type Agent', 'type RunContext'] : [])], '"@openai/agents"')] : []),
    ...(speakers.some((a) => a.instructionsPrefix === 'recommended') ? [importStatement(['RECOMMENDED_PROMPT_PREFIX'], '"@openai/agents-core/extensions"')] : []),
    importStatement([...[...fromAgents].sort(cmp), ...[...fromAgentsTypes].sort(cmp).map((t) => `type ${t}`)], '"./agents.js"'),
    ...modulePaths.map((path) => `import * as ${moduleName.get(path)} from ${lit(ctx.importPath(path))};`),
    '',
    ...emitBindings(topology, names, (key) => used.has(key)),
    ...guardrails.flatMap((g) => [docComment(`Session output guardrail (${g.path}#${g.exportName}).`), assignment(`const ${guardrailName.get(g.pointer)}: RealtimeOutputGuardrail`, `${moduleName.get(g.path)}.${g.exportName}`)]),
    ...(guardrails.length ? [''] : []),
    ...wrappers.flat(),
    ...(wrappers.length ? [''] : []),
    ...speakers.flatMap((agent) => emitVoiceAgent(ctx, voiceNames, voiceName, agent)),
    ...emitVoiceWiring(topology, names, voiceName, handoffs, delegates),
    '',
    docComment(`The voice agent every call starts with (\`${topology.entry.value}\`).`),
    `export const entryVoiceAgent = ${voiceName.get(topology.entry.value) ?? 'undefined as never'};`,
    '',
    docComment('Every voice agent, keyed by its id in the YAML (agents marked `runtime: [text]` are not here).'),
    render(object(speakers.map((a) => [propertyKey(a.id), voiceName.get(a.id)!] as const), true), 0, 'export const voiceAgents = ', ' as const;'),
    '',
    'export type VoiceAgentId = keyof typeof voiceAgents;',
    '',
    docComment('The realtime model of the whole session (`voice.model`); undefined: the SDK default.'),
    `export const voiceModel: string | undefined = ${model ? lit(model) : 'undefined'};`,
    '',
    docComment('Session settings from the `voice:` block: voice, turn detection, transcription and audio formats.'),
    render(sessionConfig(topology), 0, 'export const voiceSessionConfig: Partial<RealtimeSessionConfig> = ', ';'),
    '',
    ...(guardrails.length
      ? [
          docComment('Session-level output guardrails: they run on the transcript of whatever any voice agent says.'),
          render(array(guardrails.map((g) => guardrailName.get(g.pointer)!)), 0, 'export const voiceOutputGuardrails: RealtimeOutputGuardrail[] = ', ';'),
          '',
        ]
      : []),
    `export interface ${helper.options} {`,
    docComment('Carries audio and events: `new OpenAIRealtimeWebSocket()` on a server, a phone-line transport, or a scripted one in tests.', '  '),
    '  readonly transport: RealtimeTransportLayer;',
    docComment('Passed to tools, hooks, predicates and dynamic instructions (the session adds `history`).', '  '),
    '  readonly context?: TopologyContext;',
    docComment("Overrides of `voiceSessionConfig` (shallow: a key given here replaces the YAML's).", '  '),
    '  readonly config?: Partial<RealtimeSessionConfig>;',
    docComment('Disable tracing (recommended in tests and offline runs).', '  '),
    '  readonly tracingDisabled?: boolean;',
    '}',
    '',
    docComment(`A RealtimeSession of \`${topology.name}\` starting at its entry voice agent, not yet connected.`),
    ...signature(`export function ${helper.create}(`, [`options: ${helper.options}`], '): RealtimeSession<TopologyContext> {'),
    '  return new RealtimeSession<TopologyContext>(entryVoiceAgent, {',
    '    transport: options.transport,',
    '    ...(voiceModel !== undefined ? { model: voiceModel } : {}),',
    '    config: { ...voiceSessionConfig, ...options.config },',
    ...(guardrails.length ? ['    outputGuardrails: voiceOutputGuardrails,'] : []),
    ...(session?.guardrailDebounceTextLength !== undefined
      ? [`    outputGuardrailSettings: { debounceTextLength: ${session.guardrailDebounceTextLength} },`]
      : []),
    '    ...(options.context !== undefined ? { context: options.context } : {}),',
    '    ...(options.tracingDisabled !== undefined ? { tracingDisabled: options.tracingDisabled } : {}),',
    '  });',
    '}',
    '',
    docComment(`Start a voice session of \`${topology.name}\` on the caller's transport and connect it.`),
    `export async function ${helper.start}(`,
    `  options: ${helper.options} & {`,
    '    readonly apiKey: string | (() => string | Promise<string>);',
    '    readonly url?: string;',
    '  },',
    '): Promise<RealtimeSession<TopologyContext>> {',
    `  const session = ${helper.create}(options);`,
    '  await session.connect({ apiKey: options.apiKey, ...(options.url ? { url: options.url } : {}) });',
    '  return session;',
    '}',
  ].join('\n') + '\n';
}

/** A signature on one line when it fits, else one parameter a line, as prettier breaks it. */
function signature(head: string, parameters: readonly string[], tail: string): string[] {
  const line = `${head}${parameters.join(', ')}${tail}`;
  return line.length <= WIDTH ? [line] : [head, ...parameters.map((p) => `  ${p},`), tail];
}

function allNames(names: Names): string[] {
  return [names.agent, names.tool, names.params, names.schemaType, names.schemaConst, names.outputConst, names.filter, names.module, names.binding].flatMap((m) => [...m.values()]);
}

/** A RealtimeAgent takes no model, modelSettings, outputType or guardrails (rules voice-*); they stay in agents.ts. */
function emitVoiceAgent(ctx: EmitContext, names: Names, voiceName: ReadonlyMap<string, string>, agent: Agent): string[] {
  const instructions = instructionsDoc(ctx, names, agent);
  const config: [string, Doc][] = [
    ['name', str(lit(agent.name))],
    ...(instructions ? [['instructions', instructions] as [string, Doc]] : []),
    ...(agent.handoffDescription ? [['handoffDescription', multiline(agent.handoffDescription.value)] as [string, Doc]] : []),
    ['tools', array(agent.tools.flatMap((t) => names.tool.get(t.value) ?? []))],
    ...(agent.voice ? [['voice', str(lit(agent.voice.value))] as [string, Doc]] : []),
  ];
  return [
    docComment(`The voice agent \`${agent.id}\`.`),
    render(object(config, true), 0, `export const ${voiceName.get(agent.id)} = new RealtimeAgent<TopologyContext>(`, ');'),
    '',
  ];
}

function emitVoiceWiring(
  topology: Topology,
  names: Names,
  voiceName: ReadonlyMap<string, string>,
  handoffs: readonly Edge[],
  delegates: readonly Edge[],
): string[] {
  const { agents } = indexOf(topology);
  const out = [
    '// Handoffs are wired after every voice agent exists, so hand-back cycles resolve.',
    '// No input filters: a realtime session keeps one conversation and never applies them.',
  ];
  for (const agent of topology.agents) {
    if (!voiceName.has(agent.id)) continue;
    const own = handoffs.filter((e) => e.from.value === agent.id);
    if (own.length) {
      const args = own.map((edge) => {
        const options = handoffOptions(topology, names, edge, agent, agents.get(edge.to.value)!).filter(([key]) => key !== 'inputFilter');
        return call('handoff', [voiceName.get(edge.to.value)!, ...(options.length ? [object(options, true)] : [])]);
      });
      out.push(render(call(`${voiceName.get(agent.id)}.handoffs.push`, args), 0, '', ';'));
    }
    const tools = delegates.filter((e) => e.from.value === agent.id);
    if (tools.length) {
      const args = tools.map((edge) => call(`${names.agent.get(edge.to.value)}.asTool`, [object(delegateOptions(names, edge, agents.get(edge.to.value)!), true)]));
      out.push(
        `// \`${agent.id}\` delegates to text agents: each runs as a tool (a text run with its own model) and its answer comes back to the call.`,
        render(call(`${voiceName.get(agent.id)}.tools.push`, args), 0, '', ';'),
      );
    }
  }
  return out;
}

/** `voiceSessionConfig`: only what the YAML declares, in the SDK's GA shape (`audio.input` / `audio.output`). */
function sessionConfig(topology: Topology): Doc {
  const session = topology.voice;
  const input: Record<string, unknown> = {
    ...(session?.inputAudioFormat ? { format: AUDIO_FORMATS[session.inputAudioFormat] } : {}),
    ...(session?.transcription ? { transcription: session.transcription } : {}),
    ...(session?.turnDetection ? { turnDetection: session.turnDetection } : {}),
  };
  const output: Record<string, unknown> = {
    ...(session?.outputAudioFormat ? { format: AUDIO_FORMATS[session.outputAudioFormat] } : {}),
    ...(session?.voice ? { voice: session.voice.value } : {}),
  };
  const audio = { ...(Object.keys(input).length ? { input } : {}), ...(Object.keys(output).length ? { output } : {}) };
  return Object.keys(audio).length ? jsonDoc({ audio }) : '{}';
}
