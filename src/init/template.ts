/** The starter topology `switchboard init` writes: a small, valid star that compiles and runs as is. */
export function starterTopology(name: string, schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}
version: 1
name: ${name}
description: A starter support line. Triage routes; specialists act; a human is the escape hatch.
policy: star
entry: triage

defaults:
  model: gpt-4o
  modelSettings: { temperature: 0 }

agents:
  triage:
    name: Triage Agent
    model: gpt-4o-mini
    instructions: |
      You answer a customer support line. Do not answer order or return questions yourself:
      hand off to the right specialist with a one-sentence reason. If it is unclear what the
      caller needs, ask one short clarifying question.
  orders:
    name: OrdersAgent
    handoffDescription: Order status, delivery dates and changes to orders that have not shipped.
    instructions: Help the caller with their order. Look it up before answering.
    tools: [lookup_order, escalate_to_human]
  returns:
    name: ReturnsAgent
    handoffDescription: Returns, exchanges and refunds for delivered items.
    instructions: Start returns for delivered orders. Never promise a refund amount.
    tools: [lookup_order, start_return, escalate_to_human]

tools:
  lookup_order:
    description: Look up an order by its id.
    parameters:
      type: object
      properties:
        orderId: { type: string, pattern: "^ORD-[0-9]{5}$", description: "Order id, e.g. ORD-10422" }
      required: [orderId]
      additionalProperties: false
    implementation: ${name}/tools.ts#lookupOrder
  start_return:
    description: Start a return for one delivered order.
    needsApproval: true
    parameters:
      type: object
      properties:
        orderId: { type: string, pattern: "^ORD-[0-9]{5}$" }
        reason: { type: string, enum: [damaged, wrong-item, not-needed, other] }
        note: { type: [string, "null"], description: "Anything else the caller said; null if nothing." }
      required: [orderId, reason, note]
      additionalProperties: false
    implementation: ${name}/tools.ts#startReturn
  escalate_to_human:
    kind: human-escalation
    description: Hand the caller to a human agent.
    parameters:
      type: object
      properties:
        summary: { type: string, description: "What the caller needs and what you tried." }
      required: [summary]
      additionalProperties: false
    implementation: ${name}/tools.ts#escalateToHuman

schemas:
  HandoffReason:
    type: object
    properties:
      reason: { type: string, description: "Why the caller is being handed off" }
    required: [reason]
    additionalProperties: false

filters:
  clean: [removeAllTools]

handoffs:
  - from: triage
    to: [orders, returns]
    input: HandoffReason
    onHandoff: ${name}/hooks.ts#logHandoff
    filter: clean
  - from: [orders, returns]
    to: triage
    handback: true
`;
}

/** A starter routing dataset for `switchboard eval` (format: docs/eval.md). */
export function starterDataset(name: string): string {
  return `# Routing cases for topologies/${name}.yaml: what the triage agent should do with each caller.
#   npx switchboard eval topologies/${name}.yaml --dataset evals/${name}.routing.yaml
version: 1
topology: ${name}
cases:
  - id: order-status
    input: Where is my order ORD-10422? It was supposed to arrive yesterday.
    expect: orders
    tags: [clear]
  - id: change-address
    input: Can I still change the delivery address on the order I placed this morning?
    expect: orders
    tags: [clear]
  - id: return-damaged
    input: The lamp I got is broken, I want to send it back.
    expect: returns
    tags: [clear]
  - id: exchange-size
    input: These shoes are too small, can I swap them for a bigger size?
    expect: returns
    tags: [clear]
  - id: vague-opener
    input: Hi, I have a question.
    expect: stay
    tags: [stay]
  - id: off-topic
    input: What's the weather like tomorrow?
    expect: stay
    tags: [off-topic, stay]
`;
}

export const STARTER_HOOKS = `/** onHandoff for triage → specialist edges: receives the parsed HandoffReason. */
export function logHandoff(_context: unknown, input: { reason: string }): void {
  console.error(\`[handoff] \${input.reason}\`);
}
`;

export const STARTER_TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["topologies", "generated"]
}
`;
