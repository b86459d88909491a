import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { imageStreamCrd } from '../../../lib/api/crds/imagestream';

const crd = imageStreamCrd();
const version = crd.spec.versions[0];
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(version.schema.openAPIV3Schema as object);

describe('the ImageStream CRD', () => {
  it('is named, grouped and short-named like OpenShift (kubectl get is)', () => {
    expect(crd.metadata.name).toBe('imagestreams.imagestreams.dev');
    expect(crd.spec.names).toMatchObject({ kind: 'ImageStream', plural: 'imagestreams', shortNames: ['is'] });
    expect(version.subresources).toEqual({ status: {} });
    expect(version.additionalPrinterColumns?.map((c) => c.name)).toEqual(['Tags', 'Image', 'Updated', 'Repository']);
  });

  it('accepts a full stream with status', () => {
    const ok = validate({
      apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 'jdk8' },
      spec: { historyLimit: 10, tags: [{ name: 'latest', from: { kind: 'DockerImage', name: 'docker.io/library/eclipse-temurin:8-jdk' }, importPolicy: { scheduled: true, intervalSeconds: 900, importMode: 'Legacy' } }] },
      status: { tags: [{ tag: 'latest', items: [{ dockerImageReference: `docker.io/library/eclipse-temurin@sha256:${'a'.repeat(64)}`, image: `sha256:${'a'.repeat(64)}`, created: '2026-11-27T10:00:00Z', generation: 1 }], conditions: [{ type: 'ImportSuccess', status: 'True' }] }] },
    });
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    [{ tags: [{ name: 'bad tag' }] }, '/spec/tags/0/name'],
    [{ tags: [{ name: 'a', from: { kind: 'Git', name: 'x' } }] }, '/spec/tags/0/from/kind'],
    [{ tags: [{ name: 'a', importPolicy: { intervalSeconds: 30 } }] }, '/spec/tags/0/importPolicy/intervalSeconds'],
    [{ historyLimit: 0 }, '/spec/historyLimit'],
  ])('rejects the invalid spec %j at %s', (spec, path) => {
    expect(validate({ spec })).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(path);
  });
});
