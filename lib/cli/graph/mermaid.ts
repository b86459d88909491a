import type { NodeKind, WorkflowGraph } from './model';
import { nodeIds } from './node-ids';

/** Shapes tell kinds apart: images are stadiums, sources cylinders, tags boxes, builds subroutines, workloads hexagons. */
const SHAPES: Record<NodeKind, [string, string]> = {
  image: ['([', '])'],
  source: ['[(', ')]'],
  tag: ['[', ']'],
  build: ['[[', ']]'],
  workload: ['{{', '}}'],
};

/** A `flowchart LR` that GitHub renders; the same graph always gives the same text. */
export function toMermaid(graph: WorkflowGraph): string {
  const ids = nodeIds(graph);
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) {
    const [open, close] = SHAPES[node.kind];
    lines.push(`  ${ids.get(node.key)}${open}"${quote(node.label)}"${close}`);
  }
  for (const edge of graph.edges) {
    const arrow = edge.propagates ? '-->' : '-.->';
    lines.push(`  ${ids.get(edge.from)} ${arrow}|"${quote(edge.label)}"| ${ids.get(edge.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid's entity for a double quote inside a quoted label. */
function quote(text: string): string {
  return text.replace(/"/g, '#quot;');
}
