/** A synthetic star topology of N specialists with about five tools each, for benchmarks. */
export function syntheticTopology(agents: number, implementation: string): string {
  const lines = ['version: 1', `name: bench-${agents}`, 'entry: triage', 'rules:', '  fan-out: off', '  similar-descriptions: off', 'agents:', '  triage:', '    model: gpt-4o-mini', '    instructions: Route every caller to the right specialist.'];
  const tools: string[] = [];
  for (let a = 1; a < agents; a++) {
    const toolIds = Array.from({ length: 5 }, (_, t) => `a${a}_tool${t}`);
    lines.push(`  spec${a}:`, `    name: Specialist ${a}`, `    handoffDescription: Questions about product area number ${a}.`, `    instructions: You handle product area ${a}. Use your tools.`, `    tools: [${toolIds.join(', ')}]`);
    for (const id of toolIds) {
      tools.push(
        `  ${id}:`,
        `    description: Look up record kind ${id}.`,
        '    parameters:',
        '      type: object',
        '      properties:',
        '        recordId: { type: string, pattern: "^R-[0-9]+$" }',
        '        limit: { type: [integer, "null"], minimum: 1 }',
        '      required: [recordId, limit]',
        '      additionalProperties: false',
        `    implementation: ${implementation}`,
      );
    }
  }
  const specialists = Array.from({ length: agents - 1 }, (_, i) => `spec${i + 1}`);
  return [
    ...lines,
    'tools:',
    ...tools,
    'schemas:',
    '  HandoffReason: { type: object, properties: { reason: { type: string } }, required: [reason], additionalProperties: false }',
    'filters:',
    '  clean: [removeAllTools]',
    'handoffs:',
    `  - { from: triage, to: [${specialists.join(', ')}], input: HandoffReason, filter: clean }`,
    `  - { from: [${specialists.join(', ')}], to: triage, handback: true }`,
    '',
  ].join('\n');
}

/** A star of `agents` agents, each with one misspelt key (`modle:`): one diagnostic per agent. */
export function manyMistakes(agents: number): string {
  const lines = ['version: 1', 'name: many-mistakes', 'entry: a0', 'rules: { fan-out: off, reachable: off, similar-descriptions: off, specialist-dead-end: off, unused-definition: off, handoff-description: off }', 'agents:'];
  for (let i = 0; i < agents; i++) lines.push(`  a${i}:`, `    instructions: Agent number ${i} does its one job.`, `    modle: gpt-4o`);
  return `${lines.join('\n')}\n`;
}
