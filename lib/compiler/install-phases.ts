import type { Manifest } from './manifest';

/**
 * Every output has two folders, applied in this order (README, "Installing into a cluster"): what
 * other objects need to exist first, then the rest. kubectl maps every object's kind before it
 * applies any, so a custom resource can't go in the same call as its CustomResourceDefinition.
 */
export const DEFINITIONS_DIR = '00-definitions';
export const RESOURCES_DIR = '01-resources';

/** Argo CD applies lower waves first and waits for them to be healthy; the default wave is 0. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
export const DEFINITIONS_SYNC_WAVE = '-1';

/** CustomResourceDefinitions and Namespaces: what the objects of the second folder may need. */
export function isDefinition(m: Manifest): boolean {
  return (m.kind === 'CustomResourceDefinition' && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('apiextensions.k8s.io/'))
    || (m.kind === 'Namespace' && m.apiVersion === 'v1');
}

/** A copy of a definition with the definitions' sync wave, unless it sets a wave of its own. */
export function withSyncWave(m: Manifest): Manifest {
  const annotations = (m.metadata?.annotations ?? {}) as Record<string, unknown>;
  if (annotations[SYNC_WAVE_ANNOTATION] !== undefined) return m;
  return { ...m, metadata: { ...m.metadata, annotations: { ...annotations, [SYNC_WAVE_ANNOTATION]: DEFINITIONS_SYNC_WAVE } } };
}
