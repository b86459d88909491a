import { imageKey, type GraphNode, type WorkflowGraph } from './model';

/** The start of an --affected dry run that names nothing in the graph, or names several things. */
export class UnknownStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownStartError';
  }
}

/**
 * The node that `what` names: a stream tag (`ns/stream:tag`, or `stream:tag` when one namespace has
 * it), else an external image (`eclipse-temurin:8-jdk` matches `docker.io/library/eclipse-temurin:8-jdk`).
 */
export function findStart(graph: WorkflowGraph, what: string): GraphNode {
  const tags = graph.nodes.filter((n) => n.kind === 'tag' && (n.key === `tag:${what}` || n.key.endsWith(`/${what}`) && !what.includes('/')));
  if (tags.length === 1) return tags[0];
  if (tags.length > 1) throw new UnknownStartError(`'${what}' is a tag in several namespaces (${tags.map((t) => t.label).join(', ')}): name one as namespace/stream:tag`);
  const wanted = normalizeImage(what);
  const image = graph.nodes.find((n) => n.key === imageKey(what)) ?? graph.nodes.find((n) => n.kind === 'image' && normalizeImage(n.label) === wanted);
  if (image) return image;
  const known = graph.nodes.filter((n) => n.kind === 'tag' || n.kind === 'image').map((n) => n.label);
  throw new UnknownStartError(`'${what}' is neither a stream tag nor an image of this app (it has: ${known.join(', ') || 'none'})`);
}

/** Docker's short forms made long: `busybox` → `docker.io/library/busybox:latest`. */
export function normalizeImage(reference: string): string {
  const [first, ...rest] = reference.split('/');
  const hasHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let path = hasHost ? rest.join('/') : reference;
  const host = hasHost ? first : 'docker.io';
  if (host === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  const lastSegment = path.split('/').pop() ?? '';
  if (!lastSegment.includes(':') && !path.includes('@')) path = `${path}:latest`;
  return `${host}/${path}`;
}
