/**
 * OpenShift's `from: { kind: ImageStreamImage, name: stream@sha256:… }` at run time, on the real API
 * server and the real registry: streams applied as OpenShift YAML (only apiVersion changed); the
 * tag points at that exact image of the named stream's history — what the importer records, what
 * workloads and builds resolve it to, what `imagestreams tag` copies — and says so in a condition
 * when the digest is not in that history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageStreamObject } from '../../../lib/api/imagestream';
import { resolveTag } from '../../../lib/runtime/controller/triggers/resolve-tag';
import { importStream } from '../../../lib/runtime/importer/import-stream';
import { tagsAwaitingImport } from '../../../lib/runtime/importer/select-tags';
import { AuthCache } from '../../../lib/runtime/registry/token';
import { cli } from '../../support/cli';
import { useTestKube } from '../../support/kube';
import { pushImage } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';

const kube = useTestKube('compat-is-image');
const MISSING = `sha256:${'e'.repeat(64)}`;

describe('a tag from an ImageStreamImage', () => {
  let registry: RunningRegistry;
  let first: string;
  let second: string;
  beforeAll(async () => {
    registry = await startRegistry();
    // GIVEN app:latest imported twice from the registry: its history is second, first
    first = (await pushImage(registry.host, 'team/app:latest')).digest;
    await applyOpenShift(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: app
spec:
  tags:
  - name: latest
    importPolicy:
      insecure: true
    from:
      kind: DockerImage
      name: ${registry.host}/team/app:latest
`);
    await importNow('app');
    second = (await pushImage(registry.host, 'team/app:latest')).digest;
    await importNow('app');
    // AND a stream whose tags name images of app's history, applied as OpenShift YAML
    await applyOpenShift(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: pins
spec:
  tags:
  - name: known-good
    from:
      kind: ImageStreamImage
      name: app@${first}
  - name: missing
    from:
      kind: ImageStreamImage
      name: app@${MISSING}
`);
  });
  afterAll(async () => {
    await registry?.close();
  });

  async function applyOpenShift(yaml: string): Promise<void> {
    await kube.cluster.kubectl(['apply', '-n', kube.namespace, '-f', '-'], { input: yaml.replace('apiVersion: image.openshift.io/v1\n', 'apiVersion: imagestreams.dev/v1alpha1\n') });
  }
  /** What the controller's import reconciler does when a stream's spec changes. */
  async function importNow(stream: string) {
    return importStream(kube.kube, { namespace: kube.namespace, stream, registry: { authCache: new AuthCache(), timeoutMs: 10_000 } });
  }
  const read = (name: string) => kube.streams().get(name);

  it('awaits the controller when it is set, like a new DockerImage tag', async () => {
    expect(tagsAwaitingImport(await read('pins')).map((t) => t.name)).toEqual(['known-good', 'missing']);
  });

  it("records that image of the named stream's history, or a NotFound condition naming the stream and the digest", async () => {
    // WHEN the controller imports the stream's new tags
    const report = await importNow('pins');
    // THEN known-good holds the first image (not app:latest's current one), with the reference app recorded
    const status = (await read('pins')).status?.tags ?? [];
    const good = status.find((t) => t.tag === 'known-good');
    expect(good?.items?.map((i) => [i.image, i.dockerImageReference])).toEqual([[first, `${registry.host}/team/app@${first}`]]);
    expect(good?.conditions?.[0]).toMatchObject({ type: 'ImportSuccess', status: 'True' });
    // AND missing says why it has no image
    const missing = status.find((t) => t.tag === 'missing');
    expect(missing?.items).toBeUndefined();
    expect(missing?.conditions?.[0]).toMatchObject({
      type: 'ImportSuccess', status: 'False', reason: 'NotFound',
      message: `image ${MISSING} is not in the history of ImageStream '${kube.namespace}/app': name an image one of its tags has recorded (imagestreams describe is/app -n ${kube.namespace}), or follow a tag with kind ImageStreamTag`,
    });
    expect(report.results.map((r) => [r.tag, r.ok])).toEqual([['known-good', true], ['missing', false]]);
    // AND neither awaits an import any more (until its spec changes)
    expect(tagsAwaitingImport(await read('pins'))).toEqual([]);
  });

  it('resolves, for workloads and builds, to that image even though the stream has moved on', async () => {
    const objects = new Map<string, ImageStreamObject>([['app', await read('app')], ['pins', await read('pins')]]);
    const lookup = (_: string, name: string) => objects.get(name);
    expect(resolveTag(lookup, kube.namespace, kube.namespace, 'app', 'latest')).toMatchObject({ ok: true, image: `${registry.host}/team/app@${second}` });
    expect(resolveTag(lookup, kube.namespace, kube.namespace, 'pins', 'known-good')).toEqual({ ok: true, image: `${registry.host}/team/app@${first}`, buildImage: `${registry.host}/team/app@${first}` });
    expect(resolveTag(lookup, kube.namespace, kube.namespace, 'pins', 'missing')).toMatchObject({ ok: false, reason: 'ImageNotFound' });
  });

  it('is what `imagestreams tag` copies from it', async () => {
    const run = await cli(process.cwd(), 'tag', 'pins:known-good', 'app:good', '--kubeconfig', kube.kubeconfigPath);
    expect(run).toEqual({ code: 0, stdout: `app:good set to ${registry.host}/team/app@${first} (from pins:known-good)\n`, stderr: '' });
    const missing = await cli(process.cwd(), 'tag', 'pins:missing', 'app:nope', '--kubeconfig', kube.kubeconfigPath);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`image ${MISSING} is not in the history of ImageStream '${kube.namespace}/app'`);
  });
});
