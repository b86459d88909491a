import type { WorkflowGraph } from './model';

/**
 * Identifiers that Mermaid and dot accept without quoting ([A-Za-z0-9_]), readable and stable:
 * `tag:seed/foo:latest` → `tag_seed_foo_latest`; a clash gets `_2`, `_3` in node order.
 */
export function nodeIds(graph: WorkflowGraph): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of graph.nodes) {
    const base = node.key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(node.key, id);
  }
  return ids;
}
