/**
 * The resolved, typed topology: defaults applied, list-valued edges expanded, authoring order kept.
 * Every entity keeps the JSON pointer of where it was written, so rules report precise locations.
 */

export type JsonSchema = Readonly<Record<string, unknown>>;

/** A value together with where it was written. */
export interface Located<T> {
  readonly value: T;
  readonly pointer: string;
}

/** `path#export`: a user module and one of its exports. */
export interface CodeRef {
  readonly path: string;
  readonly exportName: string;
  readonly pointer: string;
}

export type Instructions =
  | { readonly kind: 'inline'; readonly text: string; readonly pointer: string }
  | { readonly kind: 'file'; readonly path: string; readonly pointer: string }
  /** Built at run time by a user function `(runContext, agent) => string`. */
  | { readonly kind: 'dynamic'; readonly implementation: CodeRef; readonly pointer: string };

/** A schema by name, or written inline (handoff inputs, structured outputs). */
export type SchemaUse =
  | { readonly kind: 'named'; readonly name: string; readonly pointer: string }
  | { readonly kind: 'inline'; readonly schema: JsonSchema; readonly pointer: string };

export interface Agent {
  readonly id: string;
  readonly pointer: string;
  /** The SDK Agent name the model sees; defaults to the id. */
  readonly name: string;
  readonly description?: string;
  /** The effective model (the agent's own, else `defaults.model`). */
  readonly model?: Located<string>;
  /** `defaults.modelSettings` merged with the agent's own (agent wins, one level deep). */
  readonly modelSettings: Readonly<Record<string, unknown>>;
  readonly instructions?: Instructions;
  /** `recommended`: the SDK's RECOMMENDED_PROMPT_PREFIX goes first (the agent's own setting, else defaults). */
  readonly instructionsPrefix: 'recommended' | 'none';
  /** Names of top-level fragments placed before the instructions, in order. */
  readonly fragments: readonly Located<string>[];
  readonly handoffDescription?: Located<string>;
  readonly tools: readonly Located<string>[];
  readonly inputGuardrails: readonly CodeRef[];
  readonly outputGuardrails: readonly CodeRef[];
  /** Structured final output. */
  readonly output?: SchemaUse;
  /** Where the agent's own `modelSettings` were written (absent when it only inherits defaults). */
  readonly modelSettingsPointer?: string;
  /** The agent's own `runtime:` (absent: the topology's); see `agentRuntimes` in model/voice.ts. */
  readonly runtime?: Located<readonly Runtime[]>;
  /** The voice this agent speaks with in the voice runtime. */
  readonly voice?: Located<string>;
  /** Top-level MCP servers this agent uses, with its own tool filters. */
  readonly mcpServers: readonly McpServerUse[];
  /** OpenAI hosted tools (web search, file search, code interpreter, image generation). */
  readonly hostedTools: readonly HostedTool[];
}

/** A string written in the YAML, or the value of an environment variable read at run time. */
export type SecretValue =
  | { readonly kind: 'literal'; readonly value: string; readonly pointer: string }
  | { readonly kind: 'env'; readonly name: string; readonly prefix: string; readonly pointer: string };

export type McpTransport = 'stdio' | 'streamable-http' | 'hosted';

export interface McpApprovalLists {
  readonly always?: readonly Located<string>[];
  readonly never?: readonly Located<string>[];
}

/** One entry of the top-level `mcpServers:`. Which fields apply depends on `transport` (rule mcp-server-config). */
export interface McpServer {
  readonly id: string;
  readonly pointer: string;
  readonly transport: McpTransport;
  readonly description?: string;
  readonly command?: Located<string>;
  readonly args: readonly string[];
  readonly cwd?: Located<string>;
  readonly env: readonly (readonly [string, SecretValue])[];
  readonly url?: Located<string>;
  readonly headers: readonly (readonly [string, SecretValue])[];
  readonly serverLabel?: Located<string>;
  readonly requireApproval?: { readonly policy: 'always' | 'never' | McpApprovalLists; readonly pointer: string };
  readonly allowedTools?: Located<readonly Located<string>[]>;
  readonly blockedTools?: Located<readonly Located<string>[]>;
  readonly cacheToolsList: boolean;
  readonly timeoutSeconds?: number;
}

/** An agent's reference to a server, with the agent's own filters. */
export interface McpServerUse {
  readonly server: Located<string>;
  readonly pointer: string;
  readonly allowedTools?: Located<readonly Located<string>[]>;
  readonly blockedTools?: Located<readonly Located<string>[]>;
}

export type HostedToolType = 'web_search' | 'file_search' | 'code_interpreter' | 'image_generation';

/** A hosted tool as written: its type and the options given (checked per type by rule hosted-tool-options). */
export interface HostedTool {
  readonly type: HostedToolType;
  readonly pointer: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** `text` compiles agents.ts; `voice` also compiles voice.ts (a realtime session). */
export type Runtime = 'text' | 'voice';

/** The `voice:` block: settings of the realtime session, shared by every voice agent. */
export interface VoiceSession {
  readonly pointer: string;
  readonly model?: Located<string>;
  readonly voice?: Located<string>;
  /** camelCase keys as the SDK's RealtimeTurnDetectionConfigCamelCase takes them. */
  readonly turnDetection?: Readonly<Record<string, unknown>>;
  readonly transcription?: Readonly<Record<string, unknown>>;
  readonly inputAudioFormat?: AudioFormat;
  readonly outputAudioFormat?: AudioFormat;
  readonly outputGuardrails: readonly CodeRef[];
  readonly guardrailDebounceTextLength?: number;
}

export type AudioFormat = 'pcm16' | 'g711_ulaw' | 'g711_alaw';

export type ToolKind = 'function' | 'human-escalation';

export interface Tool {
  readonly id: string;
  readonly pointer: string;
  readonly kind: ToolKind;
  readonly description: string;
  readonly parameters: JsonSchema;
  readonly strict: boolean;
  readonly needsApproval: boolean;
  readonly implementation?: CodeRef;
}

export interface NamedFragment {
  readonly name: string;
  readonly pointer: string;
  readonly text: string;
}

export interface NamedSchema {
  readonly name: string;
  readonly pointer: string;
  readonly schema: JsonSchema;
}

export type FilterStep =
  | { readonly kind: 'removeAllTools'; readonly pointer: string }
  | { readonly kind: 'removeReasoning'; readonly pointer: string }
  | { readonly kind: 'keepLast'; readonly count: number; readonly pointer: string }
  | { readonly kind: 'custom'; readonly implementation: CodeRef; readonly pointer: string };

export interface NamedFilter {
  readonly name: string;
  readonly pointer: string;
  readonly steps: readonly FilterStep[];
}

export type EdgeInput = SchemaUse;

/** Whether a handoff is offered: fixed, or decided per run by a user predicate. */
export type EdgeEnabled =
  | { readonly kind: 'static'; readonly value: boolean; readonly pointer: string }
  | { readonly kind: 'predicate'; readonly implementation: CodeRef; readonly pointer: string };

export type EdgeFilter =
  | { readonly kind: 'named'; readonly name: string; readonly pointer: string }
  | { readonly kind: 'inline'; readonly steps: readonly FilterStep[]; readonly pointer: string };

/** One directed handoff. A YAML entry with lists in `from`/`to` becomes one Edge per pair. */
export interface Edge {
  /** Index of the YAML `handoffs` entry this edge came from. */
  readonly entryIndex: number;
  /** Pointer of that YAML entry. */
  readonly pointer: string;
  /** `handoff` transfers the conversation; `delegate` runs the target as a tool of the caller. */
  readonly kind: 'handoff' | 'delegate';
  readonly from: Located<string>;
  readonly to: Located<string>;
  readonly input?: EdgeInput;
  readonly onHandoff?: CodeRef;
  readonly filter?: EdgeFilter;
  readonly handback: boolean;
  readonly enabled?: EdgeEnabled;
  readonly description?: Located<string>;
  readonly toolName?: Located<string>;
  readonly allowSpokeToSpoke?: string;
}

export type RuleOverride = { readonly severity?: 'off' | 'warning' | 'error'; readonly options: Readonly<Record<string, unknown>>; readonly pointer: string };

export interface Topology {
  /** The file as the user named it. */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly policy: 'star' | 'mesh';
  readonly entry: Located<string>;
  /** The run context type (`path#TypeName`). */
  readonly context?: CodeRef;
  readonly customerFacing: boolean;
  readonly fragments: readonly NamedFragment[];
  readonly agents: readonly Agent[];
  readonly tools: readonly Tool[];
  readonly mcpServers: readonly McpServer[];
  readonly schemas: readonly NamedSchema[];
  readonly filters: readonly NamedFilter[];
  readonly edges: readonly Edge[];
  readonly rules: ReadonlyMap<string, RuleOverride>;
  /** `runtime:` as written (absent: text only). */
  readonly runtime?: Located<readonly Runtime[]>;
  /** The `voice:` block, when written. */
  readonly voice?: VoiceSession;
}

/** What the pipeline found on disk for the files a topology references (I/O happens before rules run). */
export interface ReferencedFile {
  /** Absolute path. */
  readonly absolutePath: string;
  /** Path relative to the project root, with forward slashes. */
  readonly projectPath: string;
  /** Inside the project root, before and after following symlinks. */
  readonly insideProject: boolean;
  readonly exists: boolean;
  /** Over the size limit for referenced files, so not read. */
  readonly tooLarge?: boolean;
  /** Why an existing file could not be read (not a regular file, not UTF-8, no permission). */
  readonly unreadable?: string;
  /** Text of instruction files (read only for those). */
  readonly text?: string;
  /** Export names found in a module by a lexical scan (undefined when not scanned). */
  readonly exports?: ReadonlySet<string>;
}

export interface ProjectFiles {
  /** The project root: the nearest folder with a package.json above the YAML, else the YAML's folder. */
  readonly root: string;
  /** The YAML file's folder; references are relative to it. */
  readonly baseDir: string;
  /** Keyed by the path exactly as written in the YAML. */
  readonly byReference: ReadonlyMap<string, ReferencedFile>;
}
