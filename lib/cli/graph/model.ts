/**
 * The app's workflow as a graph: what feeds what, and which trigger carries a change along each edge.
 * Built from synthesized manifests (not the construct tree), so it draws what will be applied.
 */
export type NodeKind = 'image' | 'source' | 'tag' | 'build' | 'workload';

export interface GraphNode {
  /** Unique and stable: `image:REF`, `source:URI#REF`, `tag:NS/STREAM:TAG`, `build:NS/NAME`, `workload:KIND/NS/NAME`. */
  readonly key: string;
  readonly kind: NodeKind;
  readonly label: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** The trigger kind, e.g. 'scheduled import every 15m', 'image change', 'deploys'. */
  readonly label: string;
  /** A change at `from` reaches `to` by itself (an --affected dry run follows only these). */
  readonly propagates: boolean;
}

export interface WorkflowGraph {
  /** Sorted by kind (in flow order), then key. */
  readonly nodes: readonly GraphNode[];
  /** Sorted by from, to, label. */
  readonly edges: readonly GraphEdge[];
}

const KIND_ORDER: readonly NodeKind[] = ['image', 'source', 'tag', 'build', 'workload'];

/** Collects nodes and edges (duplicates merged) and hands them out in a deterministic order. */
export class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();

  node(kind: NodeKind, key: string, label: string): string {
    if (!this.nodes.has(key)) this.nodes.set(key, { key, kind, label });
    return key;
  }

  edge(from: string, to: string, label: string, propagates: boolean): void {
    this.edges.set(`${from}\n${to}\n${label}`, { from, to, label, propagates });
  }

  build(): WorkflowGraph {
    const rank = (n: GraphNode) => KIND_ORDER.indexOf(n.kind);
    const nodes = [...this.nodes.values()].sort((a, b) => rank(a) - rank(b) || compare(a.key, b.key));
    const edges = [...this.edges.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.label, b.label));
    return { nodes, edges };
  }
}

/** Code-unit order, the same in every locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const imageKey = (reference: string) => `image:${reference}`;
export const tagKey = (namespace: string, streamTag: string) => `tag:${namespace}/${streamTag}`;
export const buildKey = (namespace: string, name: string) => `build:${namespace}/${name}`;
export const workloadKey = (kind: string, namespace: string, name: string) => `workload:${kind}/${namespace}/${name}`;
