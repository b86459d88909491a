import { compare, type GraphEdge, type GraphNode, type WorkflowGraph } from './model';

export interface AffectedStep {
  readonly node: GraphNode;
  /** The labels of the edges that bring the change here (empty for the start). */
  readonly via: readonly string[];
}

/**
 * What a change at `start` sets off, in an order the triggers would follow: every node reachable
 * over edges that carry a change by themselves, sorted topologically (ties in graph order).
 */
export function affectedBy(graph: WorkflowGraph, start: GraphNode): AffectedStep[] {
  const carrying = graph.edges.filter((e) => e.propagates && e.from !== e.to);
  const reached = reachable(carrying, start.key);
  const edges = carrying.filter((e) => reached.has(e.from) && reached.has(e.to));
  const position = new Map(graph.nodes.map((n, i) => [n.key, i]));
  const order = topological([...reached], edges, (a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0) || compare(a, b));
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
  return order.map((key) => ({
    node: byKey.get(key) as GraphNode,
    via: key === start.key ? [] : [...new Set(edges.filter((e) => e.to === key).map((e) => e.label))],
  }));
}

function reachable(edges: readonly GraphEdge[], start: string): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
    for (const e of edges) {
      if (e.from === key && !seen.has(e.to)) seen.add(e.to), queue.push(e.to);
    }
  }
  return seen;
}

/** Kahn's algorithm, always taking the first ready node by `order`; nodes in a cycle come last. */
function topological(keys: string[], edges: readonly GraphEdge[], order: (a: string, b: string) => number): string[] {
  const indegree = new Map(keys.map((k) => [k, edges.filter((e) => e.to === k).length]));
  const result: string[] = [];
  let ready = keys.filter((k) => indegree.get(k) === 0).sort(order);
  while (ready.length > 0) {
    const [key, ...rest] = ready;
    result.push(key);
    for (const e of edges.filter((edge) => edge.from === key)) indegree.set(e.to, (indegree.get(e.to) ?? 0) - 1);
    const freed = edges.filter((e) => e.from === key && indegree.get(e.to) === 0).map((e) => e.to);
    ready = [...new Set([...rest, ...freed])].sort(order);
  }
  return [...result, ...keys.filter((k) => !result.includes(k)).sort(order)];
}
