/**
 * OpenShift's `lookupPolicy: { local: true }` for workloads applied as YAML, on the real API server
 * with the controller running: a container naming a tag of such a stream by short name
 * (`image: jdk8:latest`) gets the tag's image, as OpenShift's admission gives it, and follows the tag
 * as an image trigger would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { startTriggerCluster, type TriggerCluster } from '../../runtime/controller/cluster';
import { eventually } from '../../runtime/controller/eventually';

const JDK8 = `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: jdk8
spec:
  lookupPolicy:
    local: true
  tags:
  - name: latest
    from:
      kind: DockerImage
      name: docker.io/library/eclipse-temurin:8-jdk
    referencePolicy:
      type: Source
`;

/** A Deployment as users write it for OpenShift: images by short name, no trigger annotation. */
const deployment = (name: string, containers: { name: string; image: string }[], init: { name: string; image: string }[] = []) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
${init.length ? `      initContainers:\n${init.map((c) => `      - name: ${c.name}\n        image: ${c.image}\n`).join('')}` : ''}      containers:
${containers.map((c) => `      - name: ${c.name}\n        image: ${c.image}\n`).join('')}`;

describe('lookupPolicy.local on workloads applied as YAML', () => {
  let cluster: TriggerCluster;
  beforeAll(async () => {
    cluster = await startTriggerCluster('compat-is-lookup');
    await cluster.startController();
  });
  afterAll(async () => cluster?.close());

  const apply = (yaml: string) =>
    cluster.cluster.kubectl(['apply', '-n', cluster.namespace, '-f', '-'], { input: yaml.replace('apiVersion: image.openshift.io/v1\n', 'apiVersion: imagestreams.dev/v1alpha1\n') });
  const deployments = () => cluster.workloads('apps/v1', 'deployments');
  const images = async (name: string, list = 'containers') =>
    Object.fromEntries((((await deployments().get(name)).spec as { template: { spec: Record<string, { name: string; image: string }[]> } }).template.spec[list] ?? []).map((c) => [c.name, c.image]));
  const events = async (name: string) =>
    (await cluster.kube.resource<KubeObject & { involvedObject: { name: string }; reason: string; message: string }>({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list())
      .items.filter((e) => e.involvedObject.name === name).map((e) => [e.reason, e.message]);

  it("sets a container named by a local stream's short name to the tag's image, and keeps it following the tag", async () => {
    // GIVEN the OpenShift stream jdk8 (lookupPolicy local) whose latest has an image
    await apply(JDK8);
    const first = await cluster.pushImage('jdk8', 'latest', 'jdk8-1');
    // WHEN a Deployment naming it by short name (container and init container, `jdk8` meaning jdk8:latest) is applied, beside an image of a registry
    await apply(deployment('app', [{ name: 'web', image: 'jdk8:latest' }, { name: 'proxy', image: 'nginx:1.27' }], [{ name: 'warm', image: 'jdk8' }]));
    // THEN both get the tag's image; the registry's image is left alone
    const at = (digest: string) => `registry.test/${cluster.namespace}/jdk8@${digest}`;
    await eventually(async () => expect(await images('app')).toEqual({ web: at(first), proxy: 'nginx:1.27' }), 15_000);
    await eventually(async () => expect(await images('app', 'initContainers')).toEqual({ warm: at(first) }));
    // AND the controller records what it resolved, in its own annotation
    const record = JSON.parse((await deployments().get('app')).metadata.annotations!['imagestreams.dev/local-lookup']);
    expect(record).toEqual({ 'containers/web': { tag: 'jdk8:latest', image: at(first) }, 'initContainers/warm': { tag: 'jdk8:latest', image: at(first) } });
    // WHEN the tag moves THEN the containers follow it
    const second = await cluster.pushImage('jdk8', 'latest', 'jdk8-2');
    await eventually(async () => expect(await images('app')).toEqual({ web: at(second), proxy: 'nginx:1.27' }), 15_000);
    await eventually(async () => expect(await images('app', 'initContainers')).toEqual({ warm: at(second) }));
    // WHEN the stream stops local lookup THEN the record goes, the images stay, and the next move is not followed
    await cluster.cluster.kubectl(['patch', 'imagestreams.imagestreams.dev', 'jdk8', '-n', cluster.namespace, '--type=merge', '-p', '{"spec":{"lookupPolicy":{"local":false}}}']);
    await eventually(async () => expect((await deployments().get('app')).metadata.annotations?.['imagestreams.dev/local-lookup']).toBeUndefined(), 15_000);
    await cluster.pushImage('jdk8', 'latest', 'jdk8-3');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await images('app')).toEqual({ web: at(second), proxy: 'nginx:1.27' });
  });

  it('leaves short names of a stream without local lookup alone, and says when a local stream has no such tag', async () => {
    // GIVEN a stream without lookupPolicy, with an image
    await apply(`
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: plain
spec:
  tags:
  - name: latest
    from:
      kind: DockerImage
      name: docker.io/library/busybox:1.36
`);
    await cluster.pushImage('plain', 'latest', 'plain-1');
    // AND a stream with local lookup
    await apply(JDK8.replace('name: jdk8', 'name: tools'));
    // WHEN Deployments name plain:latest, and a tag tools doesn't have
    await apply(deployment('plain', [{ name: 'web', image: 'plain:latest' }]));
    await apply(deployment('typo', [{ name: 'web', image: 'tools:lastest' }]));
    // THEN the second is told why with a Warning Event; neither image is changed
    await eventually(async () => expect(await events('typo')).toContainEqual(['TagNotFound', `container 'web' names 'tools:lastest', but ImageStream '${cluster.namespace}/tools' (lookupPolicy local) has no tag 'lastest': define it, or write the image in full`]), 15_000);
    expect(await images('typo')).toEqual({ web: 'tools:lastest' });
    expect(await images('plain')).toEqual({ web: 'plain:latest' });
  });
});
