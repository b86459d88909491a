/** A Kubernetes object as synthesized, before serialization. */
export type Manifest = Record<string, unknown> & {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; [key: string]: unknown };
};

/** One synthesized object and the construct that made it. */
export interface SynthesizedObject {
  readonly manifest: Manifest;
  readonly constructPath: string;
}

/** A chart's objects in cdk8s's dependency order; `name` is the file stem cdk8s would use. */
export interface SynthesizedChart {
  readonly name: string;
  readonly objects: readonly SynthesizedObject[];
}

/** The identity Kubernetes gives an object: API group, kind, namespace and name. */
export function objectKey(m: Manifest): string {
  const group = typeof m.apiVersion === 'string' && m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '';
  return [group, m.kind, m.metadata?.namespace ?? '', m.metadata?.name].join('|');
}

/** `Kind/namespace/name`, for messages. */
export function describeObject(m: Manifest): string {
  const ns = m.metadata?.namespace;
  return `${String(m.kind ?? '?')}/${ns ? `${String(ns)}/` : ''}${String(m.metadata?.name ?? '?')}`;
}
