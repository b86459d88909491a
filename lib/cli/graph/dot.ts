import type { NodeKind, WorkflowGraph } from './model';
import { nodeIds } from './node-ids';

const SHAPES: Record<NodeKind, string> = {
  image: 'ellipse',
  source: 'cylinder',
  tag: 'box',
  build: 'component',
  workload: 'hexagon',
};

/** A Graphviz digraph (`dot -Tsvg`); edges that don't carry a change by themselves are dashed. */
export function toDot(graph: WorkflowGraph): string {
  const ids = nodeIds(graph);
  const lines = ['digraph workflow {', '  rankdir=LR;'];
  for (const node of graph.nodes) {
    lines.push(`  ${ids.get(node.key)} [label=${quote(node.label)}, shape=${SHAPES[node.kind]}];`);
  }
  for (const edge of graph.edges) {
    const style = edge.propagates ? '' : ', style=dashed';
    lines.push(`  ${ids.get(edge.from)} -> ${ids.get(edge.to)} [label=${quote(edge.label)}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A dot ID string: backslashes and double quotes escaped. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
