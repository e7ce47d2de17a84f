import type { Diagnostic } from '../diagnostics/types.js';
import type { EdgeAnnotation } from '../emit/mermaid/emit-flowchart.js';
import type { Topology } from '../model/types.js';

/** Rule ids whose findings are about routes (the ones `switchboard routes` lists and draws). */
export const ROUTE_RULE_IDS: readonly string[] = ['specialist-dead-end', 'route-starvation', 'ping-pong', 'escalation-reachable', 'chain-depth', 'reachable', 'star-spoke-to-spoke', 'no-self-handoff'];

/** Edge annotations keyed `from→to`: the rule ids of findings located on an edge, drawn orange. */
export function findingAnnotations(topology: Topology, diagnostics: readonly Diagnostic[]): Map<string, EdgeAnnotation> {
  const annotations = new Map<string, EdgeAnnotation>();
  for (const edge of topology.edges) {
    const on = diagnostics.filter((d) => d.pointer === edge.to.pointer || (d.pointer === edge.from.pointer && topology.edges.filter((e) => e.from.pointer === edge.from.pointer).length === 1));
    if (on.length === 0) continue;
    annotations.set(`${edge.from.value}→${edge.to.value}`, { labels: [...new Set(on.map((d) => `⚠ ${d.ruleId}`))], finding: true });
  }
  return annotations;
}
