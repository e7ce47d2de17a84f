import type { Rule } from './types.js';
import entryExists from './entry-exists.js';
import unknownReference from './unknown-reference.js';
import starSpokeToSpoke from './star-spoke-to-spoke.js';
import starHandbackTarget from './star-handback-target.js';
import reachable from './reachable.js';
import noSelfHandoff from './no-self-handoff.js';
import duplicateEdge from './duplicate-edge.js';
import handoffDescription from './handoff-description.js';
import toolNameCollision from './tool-name-collision.js';
import toolNameValid from './tool-name-valid.js';
import identifierCollision from './identifier-collision.js';
import strictInputSchema from './strict-input-schema.js';
import fileReference from './file-reference.js';
import triageTools from './triage-tools.js';
import specialistDeadEnd from './specialist-dead-end.js';
import unusedDefinition from './unused-definition.js';
import fanOut from './fan-out.js';
import similarDescriptions from './similar-descriptions.js';
import reasoningHistory from './reasoning-history.js';
import modelKnown from './model-known.js';
import delegateEdge from './delegate-edge.js';
import entryInputGuardrail from './entry-input-guardrail.js';
import guardrailPlacement from './guardrail-placement.js';
import routeStarvation from './route-starvation.js';
import pingPong from './ping-pong.js';
import escalationReachable from './escalation-reachable.js';
import chainDepth from './chain-depth.js';
import voiceHandoffTarget from './voice-handoff-target.js';
import voiceHandoffFilter from './voice-handoff-filter.js';
import voiceSessionModel from './voice-session-model.js';
import voiceStructuredOutput from './voice-structured-output.js';
import voiceFixedVoice from './voice-fixed-voice.js';
import voiceGuardrails from './voice-guardrails.js';
import noLiteralSecret from './no-literal-secret.js';
import mcpServerConfig from './mcp-server-config.js';
import hostedToolOptions from './hosted-tool-options.js';
import voiceMcpTools from './voice-mcp-tools.js';

/** Every rule, errors first, in the order the docs list them. The single registry. */
export const RULES: readonly Rule[] = [
  entryExists,
  unknownReference,
  starSpokeToSpoke,
  starHandbackTarget,
  reachable,
  noSelfHandoff,
  duplicateEdge,
  handoffDescription,
  toolNameCollision,
  toolNameValid,
  noLiteralSecret,
  mcpServerConfig,
  hostedToolOptions,
  identifierCollision,
  strictInputSchema,
  fileReference,
  delegateEdge,
  triageTools,
  specialistDeadEnd,
  unusedDefinition,
  fanOut,
  similarDescriptions,
  reasoningHistory,
  modelKnown,
  entryInputGuardrail,
  guardrailPlacement,
  routeStarvation,
  pingPong,
  escalationReachable,
  chainDepth,
  voiceHandoffTarget,
  voiceHandoffFilter,
  voiceSessionModel,
  voiceStructuredOutput,
  voiceFixedVoice,
  voiceGuardrails,
  voiceMcpTools,
];
