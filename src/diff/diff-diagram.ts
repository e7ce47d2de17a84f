import type { Topology } from '../model/types.js';
import { emitFlowchart } from '../emit/mermaid/emit-flowchart.js';
import type { TopologyDiff } from './diff-topologies.js';

/** The new topology as Mermaid with additions highlighted in green and removals dashed in red. */
export function diffDiagram(topology: Topology, diff: TopologyDiff): string {
  return emitFlowchart(topology, { highlight: diff });
}
