import type { IConstruct } from 'constructs';

/** Constructs that give the controller work in some namespaces carry this brand (works across package copies). */
const USES_CONTROLLER = Symbol.for('cdk8s-imagestreams.UsesController');
const STREAM_BRAND = Symbol.for('cdk8s-imagestreams.ImageStream');

/** What a construct that the controller acts on tells the System, at synth time. */
export interface ControllerNamespaces {
  /** The namespaces where the controller must watch and write for this construct. */
  controllerNamespaces(): readonly string[];
}

/** Marks `construct` as one the controller acts on; the System finds it when it walks the tree. */
export function markUsesController(construct: IConstruct & ControllerNamespaces): void {
  Object.defineProperty(construct, USES_CONTROLLER, { value: true });
}

function usesController(x: unknown): x is IConstruct & ControllerNamespaces {
  return typeof x === 'object' && x !== null && USES_CONTROLLER in x;
}

function isStream(x: unknown): x is IConstruct & { readonly namespace: string } {
  return typeof x === 'object' && x !== null && STREAM_BRAND in x;
}

/** Every namespace that the app's ImageStreams and marked constructs use, plus `extra`: sorted, once each. */
export function namespacesInTree(root: IConstruct, extra: Iterable<string> = []): string[] {
  const namespaces = new Set(extra);
  for (const c of root.node.findAll()) {
    if (isStream(c)) namespaces.add(c.namespace);
    if (usesController(c)) for (const ns of c.controllerNamespaces()) namespaces.add(ns);
  }
  return [...namespaces].sort();
}
