/**
 * A tenant with full rights in namespace `evil` only tries, with every object it may create there,
 * to read or move the images of namespace `web` through the controller — whose own ServiceAccount
 * may write both namespaces, so RBAC alone stops nothing. On the real API server, as the user
 * mallory (a static token with a Role in `evil` only), against the controller's reconcilers.
 */
import type { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, ImageStreamTag } from '../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger } from '../../constructs/buildconfig';
import { BUILDCONFIG_LABEL } from '../../lib/api/labels';
import { BUILDCONFIGS, IMAGESTREAMS, PIPELINERUNS } from '../../lib/api/group';
import type { PipelineRun } from '../../lib/api/pipeline-run';
import { createClient, type KubeClient } from '../../lib/runtime/kube/client';
import { bearerToken } from '../../lib/runtime/kube/credentials';
import type { KubeObject } from '../../lib/runtime/kube/types';
import { eventually } from '../runtime/controller/eventually';
import { startTriggerCluster, type TriggerCluster } from '../runtime/controller/cluster';
import { synthApp, type Manifest } from '../support/synth-app';

type Deployment = KubeObject & { spec: { template: { spec: { containers: { name: string; image: string }[] } } } };
type CoreEvent = KubeObject & { involvedObject: { kind: string; name: string }; reason: string; message: string };

let web: TriggerCluster;
let evil: string;
let mallory: KubeClient;
let webImage: string;

/** Objects of one namespace, synthesized by the constructs. */
function synthIn(namespace: string, build: (chart: Chart) => void): Manifest[] {
  return synthApp(({ chart }) => build(chart(namespace))).objects.filter((o) => o.metadata.namespace === namespace);
}

/** What mallory creates, with her own token: what she may do in `evil`. */
async function asMallory(objects: readonly Manifest[]): Promise<void> {
  for (const object of objects) {
    const plural = { ImageStream: 'imagestreams', BuildConfig: 'buildconfigs', Deployment: 'deployments', PipelineRun: 'pipelineruns' }[object.kind];
    if (!plural) continue;
    const { namespace: _, ...metadata } = object.metadata;
    await mallory.resource({ apiVersion: object.apiVersion, resource: plural, namespace: evil }).create({ ...object, metadata });
  }
}

const deploymentImage = async (client: KubeClient, namespace: string, name: string) =>
  (await client.resource<Deployment>({ apiVersion: 'apps/v1', resource: 'deployments', namespace }).get(name)).spec.template.spec.containers[0].image;

async function warnings(namespace: string, name: string): Promise<string[]> {
  const events = await web.kube.resource<CoreEvent>({ apiVersion: 'v1', resource: 'events', namespace }).list();
  return events.items.filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);
}

/** What Tekton writes when a run succeeds. */
async function finish(runs: ReturnType<KubeClient['resource']>, name: string, digest: string): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await runs.mergePatchStatus(name, { status: {
    completionTime: now, conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', lastTransitionTime: now }],
    results: [{ name: 'IMAGE_DIGEST', value: digest }, { name: 'IMAGE_URL', value: 'registry.test/evil/x:1' }],
  } });
}

const webItems = async () => (await web.streams().get('app')).status?.tags?.find((t) => t.tag === 'latest')?.items?.map((i) => i.image);

/** web's owner sets who may use a stream. */
async function grant(namespace: string, name: string, grants: { namespace: string; access: 'Pull' | 'Push' }[]): Promise<void> {
  await web.streams(namespace).mergePatch(name, { spec: { grants } });
}

beforeAll(async () => {
  // GIVEN namespace web: stream app, whose latest is web's image, and a Deployment following it
  web = await startTriggerCluster('web');
  const webObjects = synthIn(web.namespace, (chart) => {
    const app = new ImageStream(chart, 'app');
    app.importTag('latest', { from: 'registry.test/web/app:1' });
    app.tag('latest').deployTo(new kplus.Deployment(chart, 'site', { metadata: { name: 'site' }, containers: [{ name: 'web', image: 'registry.test/web/app:1' }] }), { container: 'web' });
  });
  await web.apply(webObjects.filter((o) => ['ImageStream', 'Deployment'].includes(o.kind)));
  webImage = await web.pushImage('app', 'latest', 'web-1');
  // AND namespace evil, where mallory may do anything with our kinds, Deployments and Tekton runs
  evil = await web.newNamespace('evil');
  const rbac = web.kube;
  await rbac.resource({ apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'roles', namespace: evil }).create({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'tenant-admin' },
    rules: [
      { apiGroups: ['imagestreams.dev'], resources: ['imagestreams', 'imagestreams/status', 'buildconfigs', 'buildconfigs/status'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['tekton.dev'], resources: ['pipelineruns', 'pipelineruns/status'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
    ],
  } as KubeObject);
  await rbac.resource({ apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'rolebindings', namespace: evil }).create({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'mallory' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mallory' }],
  } as KubeObject);
  mallory = createClient({ server: web.cluster.url, ca: web.cluster.caPem, namespace: evil, credentials: bearerToken(web.cluster.userToken('mallory')) });
  // AND the controller, managing both namespaces
  await web.startController({ namespaces: [web.namespace, evil], builds: { debounceSeconds: 0 } });
  await eventually(async () => expect(await deploymentImage(web.kube, web.namespace, 'site')).toBe(`registry.test/${web.namespace}/app@${webImage}`));
}, 120_000);

afterAll(async () => {
  mallory?.close();
  await web?.close();
});

describe('a tenant of namespace evil', () => {
  it('has no rights in web of its own (RBAC)', async () => {
    await expect(mallory.resource({ ...IMAGESTREAMS, namespace: web.namespace }).get('app')).rejects.toThrow(/forbidden/);
  });

  it('cannot make the controller record its build into web\'s stream: no build starts, a run it fakes is ignored, a grant withdrawn stops the record', async () => {
    // GIVEN mallory's BuildConfig in evil, edited to push to web/app:latest (the constructs would refuse it)
    await asMallory(synthIn(evil, (chart) => {
      new BuildConfig(chart, 'hijack', {
        name: 'hijack', source: BuildSource.git({ uri: 'https://git.example/evil.git', ref: 'main' }), strategy: BuildStrategy.dockerfile({ from: 'docker.io/library/busybox:1' }),
        output: BuildOutput.image('registry.test/evil/x:1'), triggers: [BuildTrigger.configChange({ onSpecChange: true })],
      });
    }).map((o) => (o.kind === 'BuildConfig' ? { ...o, spec: { ...o.spec, output: { to: { kind: 'ImageStreamTag', name: 'app:latest', namespace: web.namespace } } } } : o)));
    const buildConfigs = mallory.resource<KubeObject & { spec: object; status?: { conditions?: { type: string; status: string; reason: string }[] } }>({ ...BUILDCONFIGS, namespace: evil });
    const runs = mallory.resource<PipelineRun>({ ...PIPELINERUNS, namespace: evil });
    // THEN the controller starts no build of it, and says why on its status
    await eventually(async () => expect((await buildConfigs.get('hijack')).status?.conditions?.find((c) => c.type === 'Buildable')).toMatchObject({ status: 'False', reason: 'AccessDenied' }));
    expect((await runs.list()).items).toEqual([]);

    // WHEN mallory fakes a finished, numbered run of it, with an IMAGE_DIGEST of her choosing
    await runs.create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'hijack-1', labels: { [BUILDCONFIG_LABEL]: 'hijack', 'imagestreams.dev/build-number': '1' } }, spec: { pipelineRef: { name: 'hijack' } } });
    await finish(runs, 'hijack-1', `sha256:${'e'.repeat(64)}`);
    // THEN it is ignored as foreign (reported once), and web keeps its image
    await eventually(async () => expect(await warnings(evil, 'hijack')).toContainEqual(expect.stringMatching(/^ForeignRun: PipelineRun hijack-1 carries this BuildConfig's label but was not made by the controller/)));
    expect(await webItems()).toEqual([webImage]);

    // WHEN web grants evil Push for a while: the controller makes a build of its own (hijack-2: hijack-1 is taken by a foreign run)
    await grant(web.namespace, 'app', [{ namespace: evil, access: 'Push' }]);
    const spec = (await buildConfigs.get('hijack')).spec;
    await buildConfigs.mergePatch('hijack', { spec: { ...spec, params: [{ name: 'NUDGE', value: '1' }] } });
    await eventually(async () => expect((await runs.get('hijack-2')).metadata.ownerReferences?.[0]).toMatchObject({ kind: 'BuildConfig', name: 'hijack', controller: true }));
    // AND withdraws the grant before the build finishes
    await grant(web.namespace, 'app', []);
    await web.kube.resource<PipelineRun>({ ...PIPELINERUNS, namespace: evil }).mergePatch('hijack-2', { spec: { status: null } }).catch(() => undefined);
    await finish(web.kube.resource<PipelineRun>({ ...PIPELINERUNS, namespace: evil }), 'hijack-2', `sha256:${'f'.repeat(64)}`);
    // THEN its image is not recorded: a Warning says why, and web's stream and Deployment keep web's image
    await eventually(async () => expect(await warnings(evil, 'hijack')).toContainEqual(expect.stringMatching(/^OutputNotRecorded: build hijack-2 succeeded, but its image was not recorded: namespace 'evil-[^']+' may not push to ImageStream/)));
    expect(await webItems()).toEqual([webImage]);
    expect(await deploymentImage(web.kube, web.namespace, 'site')).toBe(`registry.test/${web.namespace}/app@${webImage}`);
  });

  it('cannot learn or deploy web\'s image: a Deployment following web\'s tag, directly or through an alias of its own, is refused', async () => {
    // GIVEN a Deployment of mallory's following web/app:latest, and another following her alias of it
    await asMallory(synthIn(evil, (chart) => {
      const alias = new ImageStream(chart, 'copy');
      alias.aliasTag('latest', ImageStreamTag.external(`${web.namespace}/app:latest`));
      ImageStreamTag.external(`${web.namespace}/app:latest`).deployTo(new kplus.Deployment(chart, 'direct', { metadata: { name: 'direct' }, containers: [{ name: 'c', image: 'x:1' }] }), { container: 'c' });
      alias.tag('latest').deployTo(new kplus.Deployment(chart, 'aliased', { metadata: { name: 'aliased' }, containers: [{ name: 'c', image: 'x:1' }] }), { container: 'c' });
    }));
    // THEN both get an AccessDenied Warning and keep their own image
    for (const name of ['direct', 'aliased']) {
      await eventually(async () => expect(await warnings(evil, name)).toContainEqual(expect.stringMatching(new RegExp(`^AccessDenied: namespace 'evil-[^']+' may not pull from ImageStream '${web.namespace}/app'`))));
      expect(await deploymentImage(mallory, evil, name)).toBe('x:1');
    }
  });

  it('cannot build FROM web\'s image', async () => {
    await asMallory(synthIn(evil, (chart) => {
      new BuildConfig(chart, 'copycat', {
        name: 'copycat', source: BuildSource.git({ uri: 'https://git.example/evil.git', ref: 'main' }),
        strategy: BuildStrategy.dockerfile({ from: ImageStreamTag.external(`${web.namespace}/app:latest`) }), output: BuildOutput.image('registry.test/evil/y:1'),
      });
    }));
    await eventually(async () => {
      const bc = await mallory.resource<KubeObject & { status?: { conditions?: { type: string; status: string; reason: string }[] } }>({ ...BUILDCONFIGS, namespace: evil }).get('copycat');
      expect(bc.status?.conditions?.find((c) => c.type === 'Buildable')).toMatchObject({ status: 'False', reason: 'AccessDenied' });
    });
    expect((await mallory.resource<PipelineRun>({ ...PIPELINERUNS, namespace: evil }).list({ labelSelector: `${BUILDCONFIG_LABEL}=copycat` })).items).toEqual([]);
  });

  it('gets what web grants it: with a Pull grant, its Deployment follows web\'s image (the checks above can pass)', async () => {
    // WHEN web's owner grants evil Pull on app
    await grant(web.namespace, 'app', [{ namespace: evil, access: 'Pull' }]);
    // THEN mallory's direct follower gets web's image
    await eventually(async () => expect(await deploymentImage(mallory, evil, 'direct')).toBe(`registry.test/${web.namespace}/app@${webImage}`));
  });
});
