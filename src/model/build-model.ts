import { childPointer } from '../source/pointer.js';
import type {
  Agent,
  CodeRef,
  Edge,
  EdgeFilter,
  EdgeEnabled,
  EdgeInput,
  FilterStep,
  Instructions,
  JsonSchema,
  Located,
  NamedFilter,
  NamedSchema,
  RuleOverride,
  Tool,
  Topology,
  AudioFormat,
  Runtime,
  VoiceSession,
  HostedTool,
  McpServer,
  McpServerUse,
  SecretValue,
} from './types.js';

type Json = Record<string, unknown>;

/**
 * Turn loaded YAML data into the typed topology. Tolerant by design: it runs even when the schema
 * reported errors, skipping what is malformed, so the rules can still report their findings in the
 * same run ("ten mistakes, ten diagnostics").
 */
export function buildModel(data: unknown, file: string): Topology | undefined {
  if (!isObject(data)) return undefined;
  const defaults = isObject(data.defaults) ? data.defaults : {};
  const defaultModel = str(defaults.model);
  const defaultSettings = isObject(defaults.modelSettings) ? defaults.modelSettings : {};
  const defaultPrefix = defaults.instructionsPrefix === 'recommended' ? 'recommended' : 'none';

  const agents: Agent[] = entries(data.agents).map(([id, raw]) => {
    const pointer = childPointer('/agents', id);
    const agent = isObject(raw) ? raw : {};
    const ownModel = str(agent.model);
    const model: Located<string> | undefined = ownModel
      ? { value: ownModel, pointer: childPointer(pointer, 'model') }
      : defaultModel
        ? { value: defaultModel, pointer: '/defaults/model' }
        : undefined;
    const dynamic = isObject(agent.instructions) ? codeRef(agent.instructions.implementation, childPointer(pointer, 'instructions', 'implementation')) : undefined;
    const instructions: Instructions | undefined =
      typeof agent.instructions === 'string'
        ? { kind: 'inline', text: agent.instructions, pointer: childPointer(pointer, 'instructions') }
        : dynamic
          ? { kind: 'dynamic', implementation: dynamic, pointer: childPointer(pointer, 'instructions') }
          : typeof agent.instructionsFile === 'string'
            ? { kind: 'file', path: agent.instructionsFile, pointer: childPointer(pointer, 'instructionsFile') }
            : undefined;
    return {
      id,
      pointer,
      name: str(agent.name) ?? id,
      ...optional('description', str(agent.description)),
      ...optional('model', model),
      modelSettings: mergeSettings(defaultSettings, isObject(agent.modelSettings) ? agent.modelSettings : {}),
      ...optional('instructions', instructions),
      instructionsPrefix: agent.instructionsPrefix === 'recommended' || agent.instructionsPrefix === 'none' ? agent.instructionsPrefix : defaultPrefix,
      fragments: list(agent.fragments).flatMap((f, i) => located(f, childPointer(pointer, 'fragments', i)) ?? []),
      ...optional('handoffDescription', located(agent.handoffDescription, childPointer(pointer, 'handoffDescription'))),
      tools: list(agent.tools).flatMap((t, i) => located(t, childPointer(pointer, 'tools', i)) ?? []),
      inputGuardrails: list(agent.inputGuardrails).flatMap((g, i) => codeRef(g, childPointer(pointer, 'inputGuardrails', i)) ?? []),
      outputGuardrails: list(agent.outputGuardrails).flatMap((g, i) => codeRef(g, childPointer(pointer, 'outputGuardrails', i)) ?? []),
      ...optional('output', edgeInput(agent.output, childPointer(pointer, 'output'))),
      ...optional('modelSettingsPointer', isObject(agent.modelSettings) ? childPointer(pointer, 'modelSettings') : undefined),
      ...optional('runtime', runtimes(agent.runtime, childPointer(pointer, 'runtime'))),
      ...optional('voice', located(agent.voice, childPointer(pointer, 'voice'))),
      mcpServers: list(agent.mcpServers).flatMap((u, i) => mcpServerUse(u, childPointer(pointer, 'mcpServers', i)) ?? []),
      hostedTools: list(agent.hostedTools).flatMap((t, i) => hostedTool(t, childPointer(pointer, 'hostedTools', i)) ?? []),
    };
  });

  const tools: Tool[] = entries(data.tools).map(([id, raw]) => {
    const pointer = childPointer('/tools', id);
    const tool = isObject(raw) ? raw : {};
    return {
      id,
      pointer,
      kind: tool.kind === 'human-escalation' ? 'human-escalation' : 'function',
      description: str(tool.description) ?? '',
      parameters: isObject(tool.parameters) ? tool.parameters : { type: 'object', properties: {}, required: [], additionalProperties: false },
      strict: tool.strict !== false,
      needsApproval: tool.needsApproval === true,
      ...optional('implementation', codeRef(tool.implementation, childPointer(pointer, 'implementation'))),
    };
  });

  const mcpServers: McpServer[] = entries(data.mcpServers).map(([id, raw]) => mcpServer(id, isObject(raw) ? raw : {}));

  const schemas: NamedSchema[] = entries(data.schemas).flatMap(([name, schema]) =>
    isObject(schema) ? [{ name, pointer: childPointer('/schemas', name), schema }] : [],
  );

  const filters: NamedFilter[] = entries(data.filters).map(([name, steps]) => {
    const pointer = childPointer('/filters', name);
    return { name, pointer, steps: filterSteps(steps, pointer) };
  });

  const edges: Edge[] = list(data.handoffs).flatMap((raw, entryIndex) => {
    if (!isObject(raw)) return [];
    const pointer = childPointer('/handoffs', entryIndex);
    const enabledPointer = childPointer(pointer, 'enabled');
    const predicate = codeRef(raw.enabled, enabledPointer);
    const enabled: EdgeEnabled | undefined =
      typeof raw.enabled === 'boolean' ? { kind: 'static', value: raw.enabled, pointer: enabledPointer } : predicate ? { kind: 'predicate', implementation: predicate, pointer: enabledPointer } : undefined;
    const shared = {
      entryIndex,
      pointer,
      kind: raw.kind === 'delegate' ? ('delegate' as const) : ('handoff' as const),
      ...optional('enabled', enabled),
      ...optional('input', edgeInput(raw.input, childPointer(pointer, 'input'))),
      ...optional('onHandoff', codeRef(raw.onHandoff, childPointer(pointer, 'onHandoff'))),
      ...optional('filter', edgeFilter(raw.filter, childPointer(pointer, 'filter'))),
      handback: raw.handback === true,
      ...optional('description', located(raw.description, childPointer(pointer, 'description'))),
      ...optional('toolName', located(raw.toolName, childPointer(pointer, 'toolName'))),
      ...optional('allowSpokeToSpoke', str(raw.allowSpokeToSpoke)),
    };
    return endpoints(raw.from, childPointer(pointer, 'from')).flatMap((from) =>
      endpoints(raw.to, childPointer(pointer, 'to')).map((to) => ({ ...shared, from, to })),
    );
  });

  const rules = new Map<string, RuleOverride>();
  for (const [id, raw] of entries(data.rules)) {
    const pointer = childPointer('/rules', id);
    if (typeof raw === 'string') rules.set(id, { severity: severity(raw), options: {}, pointer });
    else if (isObject(raw)) {
      const { severity: s, ...options } = raw;
      rules.set(id, { ...optional('severity', severity(s)), options, pointer });
    }
  }

  return {
    file,
    name: str(data.name) ?? 'topology',
    ...optional('description', str(data.description)),
    policy: data.policy === 'mesh' ? 'mesh' : 'star',
    entry: { value: str(data.entry) ?? '', pointer: '/entry' },
    ...optional('context', codeRef(data.context, '/context')),
    customerFacing: data.customerFacing === true,
    fragments: entries(data.fragments).flatMap(([name, text]) => (typeof text === 'string' ? [{ name, pointer: childPointer('/fragments', name), text }] : [])),
    agents,
    tools,
    mcpServers,
    schemas,
    filters,
    edges,
    rules,
    ...optional('runtime', runtimes(data.runtime, '/runtime')),
    ...optional('voice', voiceSession(data.voice)),
  };
}

function mcpServer(id: string, raw: Json): McpServer {
  const pointer = childPointer('/mcpServers', id);
  const at = (key: string) => childPointer(pointer, key);
  const approval = raw.requireApproval;
  const policy =
    approval === 'always' || approval === 'never'
      ? approval
      : isObject(approval)
        ? {
            ...optional('always', Array.isArray(approval.always) ? names(approval.always, childPointer(at('requireApproval'), 'always')).value : undefined),
            ...optional('never', Array.isArray(approval.never) ? names(approval.never, childPointer(at('requireApproval'), 'never')).value : undefined),
          }
        : undefined;
  return {
    id,
    pointer,
    transport: raw.type === 'streamable-http' || raw.type === 'hosted' ? raw.type : 'stdio',
    ...optional('description', str(raw.description)),
    ...optional('command', located(raw.command, at('command'))),
    args: list(raw.args).filter((a): a is string => typeof a === 'string'),
    ...optional('cwd', located(raw.cwd, at('cwd'))),
    env: secrets(raw.env, at('env')),
    ...optional('url', located(raw.url, at('url'))),
    headers: secrets(raw.headers, at('headers')),
    ...optional('serverLabel', located(raw.serverLabel, at('serverLabel'))),
    ...optional('requireApproval', policy ? { policy, pointer: at('requireApproval') } : undefined),
    ...optional('allowedTools', Array.isArray(raw.allowedTools) ? names(raw.allowedTools, at('allowedTools')) : undefined),
    ...optional('blockedTools', Array.isArray(raw.blockedTools) ? names(raw.blockedTools, at('blockedTools')) : undefined),
    cacheToolsList: raw.cacheToolsList === true,
    ...optional('timeoutSeconds', typeof raw.timeoutSeconds === 'number' ? raw.timeoutSeconds : undefined),
  };
}

function mcpServerUse(value: unknown, pointer: string): McpServerUse | undefined {
  if (typeof value === 'string') return { server: { value, pointer }, pointer };
  if (!isObject(value) || typeof value.server !== 'string') return undefined;
  return {
    server: { value: value.server, pointer: childPointer(pointer, 'server') },
    pointer,
    ...optional('allowedTools', Array.isArray(value.allowedTools) ? names(value.allowedTools, childPointer(pointer, 'allowedTools')) : undefined),
    ...optional('blockedTools', Array.isArray(value.blockedTools) ? names(value.blockedTools, childPointer(pointer, 'blockedTools')) : undefined),
  };
}

function hostedTool(value: unknown, pointer: string): HostedTool | undefined {
  if (!isObject(value)) return undefined;
  const { type, ...options } = value;
  if (type !== 'web_search' && type !== 'file_search' && type !== 'code_interpreter' && type !== 'image_generation') return undefined;
  return { type, pointer, options };
}

function secrets(value: unknown, pointer: string): (readonly [string, SecretValue])[] {
  return entries(value).flatMap(([key, v]): (readonly [string, SecretValue])[] => {
    const at = childPointer(pointer, key);
    if (typeof v === 'string') return [[key, { kind: 'literal', value: v, pointer: at }]];
    if (isObject(v) && typeof v.fromEnv === 'string') return [[key, { kind: 'env', name: v.fromEnv, prefix: str(v.prefix) ?? '', pointer: at }]];
    return [];
  });
}

function names(value: unknown[], pointer: string): Located<readonly Located<string>[]> {
  return { value: value.flatMap((n, i) => located(n, childPointer(pointer, i)) ?? []), pointer };
}

function runtimes(value: unknown, pointer: string): Located<readonly Runtime[]> | undefined {
  if (!Array.isArray(value)) return undefined;
  return { value: value.filter((r): r is Runtime => r === 'text' || r === 'voice'), pointer };
}

function voiceSession(value: unknown): VoiceSession | undefined {
  if (!isObject(value)) return undefined;
  const pointer = '/voice';
  const format = (f: unknown): AudioFormat | undefined => (f === 'pcm16' || f === 'g711_ulaw' || f === 'g711_alaw' ? f : undefined);
  return {
    pointer,
    ...optional('model', located(value.model, childPointer(pointer, 'model'))),
    ...optional('voice', located(value.voice, childPointer(pointer, 'voice'))),
    ...optional('turnDetection', isObject(value.turnDetection) ? value.turnDetection : undefined),
    ...optional('transcription', isObject(value.transcription) ? value.transcription : undefined),
    ...optional('inputAudioFormat', format(value.inputAudioFormat)),
    ...optional('outputAudioFormat', format(value.outputAudioFormat)),
    outputGuardrails: list(value.outputGuardrails).flatMap((g, i) => codeRef(g, childPointer(pointer, 'outputGuardrails', i)) ?? []),
    ...optional('guardrailDebounceTextLength', typeof value.guardrailDebounceTextLength === 'number' ? value.guardrailDebounceTextLength : undefined),
  };
}

/** `path#export` → its parts; undefined when malformed (the schema reports that). */
export function codeRef(value: unknown, pointer: string): CodeRef | undefined {
  if (typeof value !== 'string') return undefined;
  const hash = value.lastIndexOf('#');
  if (hash <= 0 || hash === value.length - 1) return undefined;
  return { path: value.slice(0, hash), exportName: value.slice(hash + 1), pointer };
}

function filterSteps(value: unknown, pointer: string): FilterStep[] {
  return list(value).flatMap((step, i): FilterStep[] => {
    const at = childPointer(pointer, i);
    if (step === 'removeAllTools' || step === 'removeReasoning') return [{ kind: step, pointer: at }];
    if (!isObject(step)) return [];
    if (typeof step.keepLast === 'number') return [{ kind: 'keepLast', count: step.keepLast, pointer: at }];
    const implementation = codeRef(step.implementation, childPointer(at, 'implementation'));
    return implementation ? [{ kind: 'custom', implementation, pointer: at }] : [];
  });
}

function edgeInput(value: unknown, pointer: string): EdgeInput | undefined {
  if (typeof value === 'string') return { kind: 'named', name: value, pointer };
  if (isObject(value)) return { kind: 'inline', schema: value as JsonSchema, pointer };
  return undefined;
}

function edgeFilter(value: unknown, pointer: string): EdgeFilter | undefined {
  if (typeof value === 'string') return { kind: 'named', name: value, pointer };
  if (Array.isArray(value)) return { kind: 'inline', steps: filterSteps(value, pointer), pointer };
  return undefined;
}

function endpoints(value: unknown, pointer: string): Located<string>[] {
  if (typeof value === 'string') return [{ value, pointer }];
  return list(value).flatMap((v, i) => located(v, childPointer(pointer, i)) ?? []);
}

function mergeSettings(defaults: Json, own: Json): Json {
  const merged: Json = { ...defaults };
  for (const [key, value] of Object.entries(own)) {
    const base = merged[key];
    merged[key] = isObject(base) && isObject(value) ? { ...base, ...value } : value;
  }
  return merged;
}

function severity(value: unknown): RuleOverride['severity'] | undefined {
  return value === 'off' || value === 'warning' || value === 'error' ? value : undefined;
}

function located(value: unknown, pointer: string): Located<string> | undefined {
  return typeof value === 'string' ? { value, pointer } : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function entries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}
