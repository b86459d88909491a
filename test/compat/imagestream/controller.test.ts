/**
 * What the controller does with the OpenShift fields of streams applied as OpenShift YAML (only
 * apiVersion changed), on the real API server against the real registry, with the controller running
 * as it runs in the cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedTagEventList } from '../../../lib/api/imagestream';
import { startTriggerCluster, type TriggerCluster } from '../../runtime/controller/cluster';
import { eventually } from '../../runtime/controller/eventually';
import { cli } from '../../support/cli';
import { pushImage } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';

describe('the controller, on OpenShift ImageStreams', () => {
  let cluster: TriggerCluster;
  let registry: RunningRegistry;
  beforeAll(async () => {
    [cluster, registry] = await Promise.all([startTriggerCluster('compat-is-controller'), startRegistry()]);
    await cluster.startController({ imports: { registry: { timeoutMs: 10_000 } } });
  });
  afterAll(async () => {
    await cluster?.close();
    await registry?.close();
  });

  const kubectl = (...args: string[]) => cluster.cluster.kubectl([...args, '-n', cluster.namespace]);
  const applyOpenShift = (yaml: string) =>
    cluster.cluster.kubectl(['apply', '-n', cluster.namespace, '-f', '-'], { input: yaml.replace('apiVersion: image.openshift.io/v1\n', 'apiVersion: imagestreams.dev/v1alpha1\n') });
  const statusOf = async (stream: string, tag: string): Promise<NamedTagEventList | undefined> =>
    (await cluster.streams().get(stream)).status?.tags?.find((t) => t.tag === tag);
  const images = async (stream: string, tag: string) => (await statusOf(stream, tag))?.items?.map((i) => i.image);

  it('imports a tag again when a client bumps its generation, as OpenShift clients ask for a new import', async () => {
    // GIVEN a stream whose tag is imported once (not scheduled), applied as OpenShift YAML
    const first = (await pushImage(registry.host, 'team/gen:latest')).digest;
    await applyOpenShift(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: gen
spec:
  tags:
  - name: latest
    generation: 1
    importPolicy:
      insecure: true
    from:
      kind: DockerImage
      name: ${registry.host}/team/gen:latest
`);
    await eventually(async () => expect(await images('gen', 'latest')).toEqual([first]), 20_000);
    // AND the registry's tag moves (nothing imports it: the tag is not scheduled)
    const second = (await pushImage(registry.host, 'team/gen:latest')).digest;
    // WHEN a client sets the tag's generation to the stream's next one
    const generation = (await cluster.streams().get('gen')).metadata.generation! + 1;
    await kubectl('patch', 'imagestreams.imagestreams.dev', 'gen', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/tags/0/generation', value: generation }]));
    // THEN the controller imports it again, and the new item records that generation
    await eventually(async () => expect(await images('gen', 'latest')).toEqual([second, first]), 20_000);
    expect((await statusOf('gen', 'latest'))!.items![0].generation).toBe(generation);
  });

  it('records the image of a tag from an ImageStreamImage when the tag is set, and rolls workloads following it to that image after the stream moved on', async () => {
    // GIVEN base:latest imported
    const digest = (await pushImage(registry.host, 'team/base:latest')).digest;
    await applyOpenShift(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: base
spec:
  tags:
  - name: latest
    importPolicy:
      insecure: true
    from:
      kind: DockerImage
      name: ${registry.host}/team/base:latest
`);
    await eventually(async () => expect(await images('base', 'latest')).toEqual([digest]), 20_000);
    // WHEN a stream with a tag from base@digest is applied
    await applyOpenShift(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: pinned
spec:
  tags:
  - name: good
    from:
      kind: ImageStreamImage
      name: base@${digest}
`);
    // THEN the controller records that image in the tag's history
    await eventually(async () => expect((await statusOf('pinned', 'good'))?.items?.map((i) => i.dockerImageReference)).toEqual([`${registry.host}/team/base@${digest}`]), 20_000);
    // WHEN base:latest moves on (a client asks for a new import), so the controller's cache of base holds only the new image
    const newer = (await pushImage(registry.host, 'team/base:latest')).digest;
    const generation = (await cluster.streams().get('base')).metadata.generation! + 1;
    await kubectl('patch', 'imagestreams.imagestreams.dev', 'base', '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/spec/tags/0/generation', value: generation }]));
    await eventually(async () => expect(await images('base', 'latest')).toEqual([newer, digest]), 20_000);
    // AND a Deployment follows pinned:good with OpenShift's trigger annotation
    const trigger = JSON.stringify([{ from: { kind: 'ImageStreamTag', name: 'pinned:good' }, fieldPath: 'spec.template.spec.containers[?(@.name=="web")].image' }]);
    await cluster.cluster.kubectl(['apply', '-n', cluster.namespace, '-f', '-'], { input: `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: pinned-web
  annotations:
    image.openshift.io/triggers: '${trigger}'
spec:
  selector:
    matchLabels: { app: pinned-web }
  template:
    metadata:
      labels: { app: pinned-web }
    spec:
      containers:
      - name: web
        image: pinned:good
` });
    // THEN it runs the pinned image, not base's newest
    const imageOf = async () => ((await cluster.workloads('apps/v1', 'deployments').get('pinned-web')).spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image;
    await eventually(async () => expect(await imageOf()).toBe(`${registry.host}/team/base@${digest}`), 20_000);
  });

  it("imports the first tags of spec.dockerImageRepository into status as OpenShift orders them, leaving tags the spec names to their own source", async () => {
    // GIVEN a repository with tags latest, 1.0, 1.1 and mine, and another image for the spec's own 'mine'
    const pushed: Record<string, string> = {};
    for (const tag of ['1.0', 'latest', '1.1', 'mine']) pushed[tag] = (await pushImage(registry.host, `team/legacy:${tag}`)).digest;
    const own = (await pushImage(registry.host, 'team/elsewhere:mine')).digest;
    // WHEN an OpenShift stream naming the repository (served over http: OpenShift's insecureRepository annotation) is applied
    await applyOpenShift(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: legacy
  annotations:
    openshift.io/image.insecureRepository: "true"
spec:
  dockerImageRepository: ${registry.host}/team/legacy
  tags:
  - name: mine
    importPolicy:
      insecure: true
    from:
      kind: DockerImage
      name: ${registry.host}/team/elsewhere:mine
`);
    // THEN the controller records the repository's tags in status, latest first then versions newest first
    await eventually(async () => expect((await cluster.streams().get('legacy')).status?.repositoryImport).toMatchObject({ status: 'True', tags: ['latest', '1.1', '1.0'] }), 20_000);
    const stream = await cluster.streams().get('legacy');
    expect(stream.spec.tags?.map((t) => t.name)).toEqual(['mine']);
    expect(stream.status?.tags?.map((t) => [t.tag, t.items?.[0]?.dockerImageReference])).toEqual([
      ['mine', `${registry.host}/team/elsewhere@${own}`],
      ['latest', `${registry.host}/team/legacy@${pushed.latest}`],
      ['1.1', `${registry.host}/team/legacy@${pushed['1.1']}`],
      ['1.0', `${registry.host}/team/legacy@${pushed['1.0']}`],
    ]);
    // AND a later import of the spec's tags keeps them
    const generation = stream.metadata.generation! + 1;
    await kubectl('patch', 'imagestreams.imagestreams.dev', 'legacy', '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/spec/tags/0/generation', value: generation }]));
    await eventually(async () => expect((await cluster.streams().get('legacy')).status?.repositoryImport?.generation).toBe(generation), 20_000);
    expect((await cluster.streams().get('legacy')).status?.tags?.map((t) => t.tag)).toEqual(['mine', 'latest', '1.1', '1.0']);

    // WHEN the repository gets a new version and the stream is imported by hand
    const newer = (await pushImage(registry.host, 'team/legacy:1.2')).digest;
    const run = await cli(process.cwd(), 'import-image', 'legacy', '--kubeconfig', cluster.kubeconfigPath);
    // THEN the new tag is imported too, in its place, and the command says what the repository's import came to
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`imported 4 of the 5 tags of ${registry.host}/team/legacy (1 left to spec.tags)`);
    expect(run.stdout).toMatch(new RegExp(`1\\.2\\s+Updated\\s+${registry.host.replace(/[.]/g, '\\.')}/team/legacy@${newer}`));
    const after = await cluster.streams().get('legacy');
    expect(after.status?.tags?.map((t) => t.tag)).toEqual(['mine', 'latest', '1.1', '1.0', '1.2']);
    expect(after.status?.repositoryImport?.tags).toEqual(['latest', '1.2', '1.1', '1.0']);
  });

  it('says in status and in an Event why a repository could not be imported', async () => {
    await applyOpenShift(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: nowhere
  annotations:
    openshift.io/image.insecureRepository: "true"
spec:
  dockerImageRepository: ${registry.host}/team/nowhere
`);
    await eventually(async () => expect((await cluster.streams().get('nowhere')).status?.repositoryImport).toMatchObject({
      repository: `${registry.host}/team/nowhere`, status: 'False', reason: 'NotFound', message: `repository ${registry.host}/team/nowhere not found`,
    }), 20_000);
    const events = await cluster.kube.resource<{ reason: string; message: string; involvedObject: { name: string } } & import('../../../lib/runtime/kube/types').KubeObject>({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list();
    expect(events.items.filter((e) => e.involvedObject.name === 'nowhere').map((e) => [e.reason, e.message])).toContainEqual(['ImportFailed', `spec.dockerImageRepository ${registry.host}/team/nowhere: NotFound: repository ${registry.host}/team/nowhere not found`]);
  });
});
