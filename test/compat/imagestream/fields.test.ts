/**
 * OpenShift 4's ImageStream (image.openshift.io/v1) spec, field by field, against our CRD on the real
 * API server: each manifest below is written from OpenShift's API reference in OpenShift's own form,
 * only its apiVersion is changed to ours, and it is applied as users apply it (kubectl, with strict
 * field validation, so a field the CRD doesn't know fails the apply instead of being pruned). Each is
 * then read back whole: every field is still there. What we refuse is refused with a message that
 * names the field and what to write instead.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KubectlError } from '../../support/cluster';
import { useTestKube } from '../../support/kube';

const kube = useTestKube('compat-is');
const DIGEST = `sha256:${'4b'.repeat(32)}`;

/** The manifest with only its apiVersion changed to ours. */
function ours(openshift: string): string {
  expect(openshift).toContain('apiVersion: image.openshift.io/v1\n');
  return openshift.replace('apiVersion: image.openshift.io/v1\n', 'apiVersion: imagestreams.dev/v1alpha1\n');
}

/** kubectl apply with strict field validation (unknown fields fail), then the stream as the API server stored it. */
async function applyAndRead(openshift: string): Promise<{ spec: Record<string, unknown> }> {
  const manifest = ours(openshift);
  const name = (parse(manifest) as { metadata: { name: string } }).metadata.name;
  await kube.cluster.kubectl(['apply', '--validate=strict', '-n', kube.namespace, '-f', '-'], { input: manifest });
  const { stdout } = await kube.cluster.kubectl(['get', 'imagestreams.imagestreams.dev', name, '-n', kube.namespace, '-o', 'json']);
  return JSON.parse(stdout);
}

/** The spec as written, plus what our CRD defaults (historyLimit). */
function written(openshift: string): Record<string, unknown> {
  return { historyLimit: 10, ...(parse(openshift) as { spec: Record<string, unknown> }).spec };
}

async function refusal(openshift: string): Promise<string> {
  const error = await kube.cluster.kubectl(['apply', '--validate=strict', '-n', kube.namespace, '-f', '-'], { input: ours(openshift) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KubectlError);
  return (error as KubectlError).stderr;
}

/** Each case: an OpenShift manifest whose spec must come back exactly as written. */
const ACCEPTED: [string, string][] = [
  ['spec.lookupPolicy.local', `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: lookup
spec:
  lookupPolicy:
    local: true
  tags:
  - name: "1.0"
    from:
      kind: DockerImage
      name: registry.example.com/team/lookup:1.0
`],
  ['spec.dockerImageRepository', `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: legacy-repo
spec:
  dockerImageRepository: registry.example.com/team/legacy
`],
  ['spec.tags[].annotations (display name, description, tags, supports, sampleRepo, version)', `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: runtime
  annotations:
    openshift.io/display-name: Example runtime
spec:
  tags:
  - name: "3.2"
    annotations:
      openshift.io/display-name: Example runtime 3.2
      openshift.io/provider-display-name: Example, Inc.
      description: Build and run example applications on version 3.2.
      iconClass: icon-example
      tags: builder,example
      supports: example:3.2,example
      sampleRepo: https://git.example.com/samples/example-app.git
      version: "3.2"
    from:
      kind: DockerImage
      name: registry.example.com/runtimes/example:3.2
`],
  ['spec.tags[].from kind DockerImage by tag and by digest', `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: docker-image
spec:
  tags:
  - name: latest
    from:
      kind: DockerImage
      name: registry.example.com/team/app:latest
  - name: pinned
    from:
      kind: DockerImage
      name: registry.example.com/team/app@${DIGEST}
`],
  ['spec.tags[].from kind ImageStreamTag (a tag of the same stream, and stream:tag of another namespace)', `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: aliases
spec:
  tags:
  - name: "2.0"
    from:
      kind: DockerImage
      name: registry.example.com/team/aliases:2.0
  - name: latest
    from:
      kind: ImageStreamTag
      name: "2.0"
  - name: shared
    from:
      kind: ImageStreamTag
      name: base:stable
      namespace: shared-images
`],
  ['spec.tags[].from kind ImageStreamImage (stream@sha256:…)', `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: by-image
spec:
  tags:
  - name: known-good
    from:
      kind: ImageStreamImage
      name: app@${DIGEST}
  - name: theirs
    from:
      kind: ImageStreamImage
      name: base@${DIGEST}
      namespace: shared-images
`],
  ["spec.tags[].from's other ObjectReference fields (uid, apiVersion, resourceVersion, fieldPath)", `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: object-reference
spec:
  tags:
  - name: latest
    from:
      kind: ImageStreamTag
      name: object-reference:1.0
      apiVersion: image.openshift.io/v1
      uid: 0b7b6d5e-2f43-4d0e-9b8e-2a8b3c1d9e77
      resourceVersion: "12345"
      fieldPath: spec.tags[0]
  - name: "1.0"
    from:
      kind: DockerImage
      name: registry.example.com/team/object-reference:1.0
`],
  ['spec.tags[].reference', `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: reference-only
spec:
  tags:
  - name: latest
    reference: true
    from:
      kind: DockerImage
      name: registry.example.com/team/reference-only:latest
`],
  ['spec.tags[].generation', `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: generations
spec:
  tags:
  - name: latest
    generation: 7
    from:
      kind: DockerImage
      name: registry.example.com/team/generations:latest
  - name: fresh
    generation: 0
    from:
      kind: DockerImage
      name: registry.example.com/team/generations:fresh
`],
  ['spec.tags[].importPolicy (insecure, scheduled, importMode Legacy and PreserveOriginal)', `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: import-policy
spec:
  tags:
  - name: legacy
    importPolicy:
      insecure: true
      scheduled: true
      importMode: Legacy
    from:
      kind: DockerImage
      name: registry.example.com/team/import-policy:legacy
  - name: lists
    importPolicy:
      importMode: PreserveOriginal
    from:
      kind: DockerImage
      name: registry.example.com/team/import-policy:lists
`],
  ['spec.tags[].referencePolicy.type Source, Local and "" (Source)', `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: reference-policy
spec:
  tags:
  - name: source
    referencePolicy:
      type: Source
    from:
      kind: DockerImage
      name: registry.example.com/team/reference-policy:source
  - name: local
    referencePolicy:
      type: Local
    from:
      kind: DockerImage
      name: registry.example.com/team/reference-policy:local
  - name: empty
    referencePolicy:
      type: ""
    from:
      kind: DockerImage
      name: registry.example.com/team/reference-policy:empty
`],
];

describe('an OpenShift ImageStream applied with only its apiVersion changed', () => {
  it.each(ACCEPTED)('keeps %s', async (_, openshift) => {
    const stored = await applyAndRead(openshift);
    expect(stored.spec).toEqual(written(openshift));
  });

  it("reads `annotations: null` and `generation: null` (as `oc get -o yaml` prints a tag without them) as no annotations and no generation", async () => {
    const stored = await applyAndRead(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: nulls
spec:
  tags:
  - name: latest
    annotations: null
    generation: null
    from:
      kind: DockerImage
      name: registry.example.com/team/nulls:latest
`);
    expect(stored.spec.tags).toEqual([{ name: 'latest', from: { kind: 'DockerImage', name: 'registry.example.com/team/nulls:latest' } }]);
  });

  it("ignores the status an exported stream carries (`oc get is -o yaml`): the controller writes its own", async () => {
    const stored = await applyAndRead(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: exported
spec:
  lookupPolicy:
    local: false
  tags:
  - name: latest
    annotations: null
    from:
      kind: DockerImage
      name: registry.example.com/team/exported:latest
    generation: 2
    importPolicy:
      importMode: Legacy
    referencePolicy:
      type: Source
status:
  dockerImageRepository: image-registry.openshift-image-registry.svc:5000/team/exported
  publicDockerImageRepository: default-route-openshift-image-registry.apps.example.com/team/exported
  tags:
  - tag: latest
    items:
    - created: "2026-01-01T00:00:00Z"
      dockerImageReference: registry.example.com/team/exported@${DIGEST}
      generation: 2
      image: ${DIGEST}
`);
    expect(stored.spec.tags).toEqual([{ name: 'latest', from: { kind: 'DockerImage', name: 'registry.example.com/team/exported:latest' }, generation: 2, importPolicy: { importMode: 'Legacy' }, referencePolicy: { type: 'Source' } }]);
    expect((stored as { status?: unknown }).status).toBeUndefined();
  });

  it('refuses an ImageStreamImage whose name is not stream@sha256:…, naming the field and the alternatives', async () => {
    const stderr = await refusal(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: bad-image
spec:
  tags:
  - name: latest
    from:
      kind: ImageStreamImage
      name: app:latest
`);
    expect(stderr).toContain('spec.tags[0].from');
    expect(stderr).toContain('from.name of an ImageStreamImage must be stream@sha256:<64 hex digits> (an image of that stream\'s history); to follow a tag use kind ImageStreamTag, to pin an external image use kind DockerImage with repository@sha256:…');
  });

  it('refuses a dockerImageRepository with a tag, as OpenShift does, naming the field and the alternative', async () => {
    const stderr = await refusal(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: repo-with-tag
spec:
  dockerImageRepository: registry.example.com/team/app:latest
`);
    expect(stderr).toContain('spec.dockerImageRepository: Invalid value: "string": spec.dockerImageRepository names a repository, without a tag or digest (registry/namespace/name): to import one tag, write a spec tag with from kind DockerImage');
  });

  it('refuses a from kind OpenShift has not either, naming the kinds it accepts', async () => {
    const stderr = await refusal(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: bad-kind
spec:
  tags:
  - name: latest
    from:
      kind: Image
      name: ${DIGEST}
`);
    expect(stderr).toContain('spec.tags[0].from.kind: Unsupported value: "Image": supported values: "DockerImage", "ImageStreamTag", "ImageStreamImage"');
  });

  it('refuses a field OpenShift has not (strict validation names it) instead of dropping it', async () => {
    const stderr = await refusal(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: unknown-field
spec:
  tags:
  - name: latest
    importPolicy:
      schedule: true
    from:
      kind: DockerImage
      name: registry.example.com/team/unknown-field:latest
`);
    expect(stderr).toContain('unknown field "spec.tags[0].importPolicy.schedule"');
  });
});
