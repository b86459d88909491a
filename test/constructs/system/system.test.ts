import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { System } from '../../../constructs';
import { runtimeBundle, runtimeFiles } from '../../../constructs/system/runtime-bundle';
import { REPO_ROOT } from '../../support/temp-app';
import { customResourceDefinitions } from '../../../lib/api/crds';

const CRDS = customResourceDefinitions().map((c) => c.metadata.name);

type Obj = { kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string> };

describe('System', () => {
  it('emits its Namespace, the CRDs and the runtime ConfigMap named by content hash', () => {
    const app = Testing.app();
    const system = new System(app, 'imagestreams');
    const objects = Testing.synth(system) as Obj[];
    const parts = runtimeFiles().length;
    const hash = runtimeBundle().sha256.slice(0, 10);
    expect(parts).toBeGreaterThan(1);
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`)).toEqual([
      'Namespace/-/imagestreams-system',
      ...CRDS.map((name) => `CustomResourceDefinition/-/${name}`),
      ...Array.from({ length: parts }, (_, i) => `ConfigMap/imagestreams-system/imagestreams-runtime-${hash}-${i}`),
    ]);
    expect(CRDS).toContain('imagestreams.imagestreams.dev');
    // Each ConfigMap stays small enough for kubectl's client-side apply (its copy in a 256 KiB annotation)
    const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
    for (const configMap of configMaps) expect(Buffer.byteLength(JSON.stringify(configMap))).toBeLessThan(200 * 1024);
    // AND the files of all of them, mounted together, run as the runtime
    const dir = mkdtempSync(join(tmpdir(), 'runtime-'));
    try {
      for (const configMap of configMaps) for (const [file, text] of Object.entries(configMap.data ?? {})) writeFileSync(join(dir, file), text as string);
      expect(execFileSync('node', [join(dir, 'imagestreams-runtime.js'), 'version'], { encoding: 'utf8' })).toBe(`${JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version}\n`);
      expect(configMaps.flatMap((c) => Object.keys(c.data ?? {})).filter((f) => f !== 'imagestreams-runtime.js').map((f) => readFileSync(join(dir, f), 'utf8')).join('')).toBe(runtimeBundle().code);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can leave the namespace to someone else, and runs a pinned runtime image', () => {
    const system = new System(Testing.app(), 'imagestreams', { namespace: 'platform', createNamespace: false, runtimeImage: 'node:24-alpine@sha256:' + 'b'.repeat(64) });
    expect((Testing.synth(system) as Obj[]).map((o) => o.kind)).toEqual([...CRDS.map(() => 'CustomResourceDefinition'), ...runtimeFiles().map(() => 'ConfigMap')]);
    expect(system.runtimeImage).toBe('node:24-alpine@sha256:' + 'b'.repeat(64));
  });

  it('rejects a runtime image without tag or digest', () => {
    expect(() => new System(Testing.app(), 's', { runtimeImage: 'node' })).toThrowError("'runtimeImage' (node) has no tag or digest: pin a version, e.g. docker.io/library/node:24-alpine, or a digest");
  });

  it('emits the runtime ConfigMaps once per namespace that asks for them', () => {
    const system = new System(Testing.app(), 'imagestreams');
    expect(system.runtimeVolume('a')).toEqual(system.runtimeVolume('b'));
    system.runtimeVolume('a');
    const parts = runtimeFiles().length;
    expect((Testing.synth(system) as Obj[]).filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.namespace)).toEqual(
      ['imagestreams-system', 'a', 'b'].flatMap((ns) => Array.from({ length: parts }, () => ns)),
    );
  });

  it('is found with System.of from anywhere in the app, with clear errors for none or two', () => {
    const app = Testing.app();
    const deep = new Construct(new Chart(app, 'c'), 'deep');
    expect(() => System.of(deep)).toThrowError("[c/deep] needs the cdk8s-imagestreams System in its app: add `new System(app, 'imagestreams')`");
    const system = new System(app, 'imagestreams');
    expect(System.of(deep)).toBe(system);
    expect(() => new System(app, 'second', { namespace: 'other' })).toThrowError(
      "[second] the app already has a System ('imagestreams'): an app has exactly one, which serves all its namespaces; remove this one (to run the system elsewhere, set 'namespace' on the first)",
    );
    expect(System.of(deep)).toBe(system);
  });
});
