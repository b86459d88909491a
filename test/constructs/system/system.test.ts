import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { System } from '../../../constructs';
import { runtimeBundle } from '../../../constructs/system/runtime-bundle';
import { customResourceDefinitions } from '../../../lib/api/crds';

const CRDS = customResourceDefinitions().map((c) => c.metadata.name);

type Obj = { kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string> };

describe('System', () => {
  it('emits its Namespace, the CRDs and the runtime ConfigMap named by content hash', () => {
    const app = Testing.app();
    const system = new System(app, 'imagestreams');
    const objects = Testing.synth(system) as Obj[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`)).toEqual([
      'Namespace/-/imagestreams-system',
      ...CRDS.map((name) => `CustomResourceDefinition/-/${name}`),
      `ConfigMap/imagestreams-system/imagestreams-runtime-${runtimeBundle().sha256.slice(0, 10)}`,
    ]);
    const configMap = objects[objects.length - 1];
    expect(CRDS).toContain('imagestreams.imagestreams.dev');
    expect(configMap.data?.['imagestreams-runtime.js']).toBe(runtimeBundle().code);
    expect(configMap.data?.['imagestreams-runtime.js']).toContain('imagestreams-runtime');
  });

  it('can leave the namespace to someone else, and runs a pinned runtime image', () => {
    const system = new System(Testing.app(), 'imagestreams', { namespace: 'platform', createNamespace: false, runtimeImage: 'node:24-alpine@sha256:' + 'b'.repeat(64) });
    expect((Testing.synth(system) as Obj[]).map((o) => o.kind)).toEqual([...CRDS.map(() => 'CustomResourceDefinition'), 'ConfigMap']);
    expect(system.runtimeImage).toBe('node:24-alpine@sha256:' + 'b'.repeat(64));
  });

  it('rejects a runtime image without tag or digest', () => {
    expect(() => new System(Testing.app(), 's', { runtimeImage: 'node' })).toThrowError("'runtimeImage' (node) has no tag or digest: pin a version, e.g. docker.io/library/node:24-alpine, or a digest");
  });

  it('emits one runtime ConfigMap per namespace that asks for it', () => {
    const system = new System(Testing.app(), 'imagestreams');
    expect(system.runtimeConfigMap('a')).toBe(system.runtimeConfigMap('b'));
    system.runtimeConfigMap('a');
    expect((Testing.synth(system) as Obj[]).filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.namespace)).toEqual(['imagestreams-system', 'a', 'b']);
  });

  it('is found with System.of from anywhere in the app, with clear errors for none or two', () => {
    const app = Testing.app();
    const deep = new Construct(new Chart(app, 'c'), 'deep');
    expect(() => System.of(deep)).toThrowError("[c/deep] needs the cdk8s-imagestreams System in its app: add `new System(app, 'imagestreams')`");
    const system = new System(app, 'imagestreams');
    expect(System.of(deep)).toBe(system);
    new System(app, 'second');
    expect(() => System.of(deep)).toThrowError('[c/deep] the app has 2 System constructs (imagestreams, second); keep one');
  });
});
