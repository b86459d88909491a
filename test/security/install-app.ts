/**
 * Puts a synthesized app into the real cluster as `kubectl apply` would, for the security tests: the
 * namespaces it uses first (the Namespace objects it emits, and the ones it only names, created
 * here), then every other object in synthesis order. The CRDs are left out: testKube installed them
 * once for the whole run.
 */
import type { KubeObject } from '../../lib/api/kube-object';
import type { TestKube } from '../support/kube';
import type { Manifest, SynthesizedApp } from '../support/synth-app';

export async function installApp(t: TestKube, app: SynthesizedApp, options: { only?: (object: Manifest) => boolean } = {}): Promise<void> {
  const objects = app.objects.filter((o) => o.kind !== 'CustomResourceDefinition' && (options.only?.(o) ?? true));
  const emitted = objects.filter((o) => o.kind === 'Namespace');
  await t.apply(emitted);
  const existing = new Set(emitted.map((o) => o.metadata.name));
  for (const namespace of new Set(objects.flatMap((o) => (o.metadata.namespace ? [o.metadata.namespace] : [])))) {
    if (existing.has(namespace)) continue;
    const res = await t.cluster.request('GET', `/api/v1/namespaces/${namespace}`);
    if (res.status === 404) await t.cluster.createNamespace(namespace);
  }
  await t.apply(objects.filter((o) => o.kind !== 'Namespace') as KubeObject[]);
}
