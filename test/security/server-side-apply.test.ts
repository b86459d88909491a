/**
 * Server-side apply with a GitOps tool, on the real API server: the synthesized Deployment is applied
 * by a second field manager as Argo CD or Flux would (their managers, `argocd-controller` and
 * `kustomize-controller`), the controller — its own ServiceAccount, its field manager
 * `imagestreams-controller` — sets the image field and nothing else, and the GitOps side re-applies
 * its manifest (changed in Git meanwhile) with the settings README "Living with GitOps" recommends:
 *
 * - Argo CD, `ignoreDifferences.managedFieldsManagers: [imagestreams-controller]` with
 *   `RespectIgnoreDifferences=true`: before applying, Argo CD copies into its manifest the live values
 *   of the fields the ignored managers own (its normalizeTargetResources);
 * - Flux, `driftIgnoreRules` with the image's JSON pointer: kustomize-controller removes the pointed
 *   fields from the manifest of an object that exists before applying it.
 *
 * Neither side conflicts (the GitOps re-applies here don't even force; both tools do force), the
 * managedFields show the split. Without such settings (plain kubectl), a client-side re-apply sets the
 * manifest's image again, a server-side one conflicts over it, and forced, sets it again.
 */
import * as kplus from 'cdk8s-plus-27';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream } from '../../constructs';
import type { KubeObject } from '../../lib/api/kube-object';
import { KubectlError } from '../support/cluster';
import { testKube, type TestKube } from '../support/kube';
import { synthApp, TEST_REGISTRY, type Manifest, type SynthesizedApp } from '../support/synth-app';
import { controllerPod, eventually, memoryLog, startController, type RunningController } from './controller-process';
import { installApp } from './install-app';

type Deployment = KubeObject & { spec: any; metadata: { managedFields?: ManagedFields[] } };
interface ManagedFields { manager: string; operation: string; subresource?: string; fieldsV1: Record<string, any> }

const IMAGE_FIELD = '.spec.template.spec.containers[name="web"].image';
const digest = (c: string) => `sha256:${c.repeat(64)}`;

let t: TestKube;
let system: string;
let app: SynthesizedApp;
let controller: RunningController;
const log = memoryLog();

/** A stream `web` and, per GitOps tool (and for plain kubectl), a cdk8s-plus Deployment of its own following web:latest. */
function synthesize(replicas: number, env: Record<string, string>): SynthesizedApp {
  return synthApp(({ chart }) => {
    const c = chart(t.namespace);
    const web = new ImageStream(c, 'web');
    web.importTag('latest', { from: 'registry.test/team/web:1.0' });
    for (const name of ['web-argo', 'web-flux', 'web-csa', 'web-ssa']) {
      const deployment = new kplus.Deployment(c, name, {
        metadata: { name }, replicas,
        containers: [{ name: 'web', image: 'registry.test/team/web:1.0', portNumber: 8080, envVariables: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])) }],
      });
      web.tag('latest').deployTo(deployment, { container: 'web' });
    }
  }, { namespace: system, registry: TEST_REGISTRY() });
}

const isGitOpsOwned = (o: Manifest) => o.kind === 'Deployment' && o.metadata.namespace === t.namespace;
const deployments = () => t.resource<Deployment>({ apiVersion: 'apps/v1', resource: 'deployments' });
const imageOf = async (name: string) => (await deployments().get(name)).spec.template.spec.containers[0].image as string;

/** Records a new newest item of web:latest, as its importer would. */
async function tagMoves(image: string): Promise<string> {
  const reference = `registry.test/team/web@${image}`;
  const current = await t.streams().get('web');
  const items = current.status?.tags?.find((x) => x.tag === 'latest')?.items ?? [];
  await t.streams().mergePatchStatus('web', { status: { tags: [{ tag: 'latest', items: [{ dockerImageReference: reference, image, created: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }, ...items] }] } });
  return reference;
}

/** `kubectl apply --server-side` of one object, as `manager`; the object as applied. */
async function apply(manager: string, object: object, options: { force?: boolean } = {}): Promise<Deployment> {
  const args = ['apply', '--server-side', `--field-manager=${manager}`, ...(options.force ? ['--force-conflicts'] : []), '-o', 'json', '-f', '-'];
  return JSON.parse((await t.cluster.kubectl(args, { input: stringify(object) })).stdout) as Deployment;
}

const entry = (object: Deployment, manager: string) => object.metadata.managedFields?.find((e) => e.manager === manager && e.operation === 'Apply');
const containerFields = (e: ManagedFields | undefined) => e?.fieldsV1['f:spec']?.['f:template']?.['f:spec']?.['f:containers']?.['k:{"name":"web"}'];

/**
 * Argo CD's RespectIgnoreDifferences for `managedFieldsManagers`: the manifest, with the live value
 * of every field those managers own copied in.
 */
function argoTarget(manifest: Manifest, live: Deployment, managers: readonly string[]): Manifest {
  const target = structuredClone(manifest);
  for (const e of live.metadata.managedFields ?? []) if (managers.includes(e.manager)) copyOwned(target, live, e.fieldsV1);
  return target;
}

function copyOwned(target: any, live: any, fields: Record<string, any>): void {
  for (const [key, sub] of Object.entries(fields)) {
    const leaf = Object.keys(sub).every((k) => k === '.');
    if (key.startsWith('f:')) {
      const name = key.slice(2);
      if (live?.[name] === undefined) continue;
      if (leaf) target[name] = structuredClone(live[name]);
      else copyOwned((target[name] ??= Array.isArray(live[name]) ? [] : {}), live[name], sub);
    } else if (key.startsWith('k:')) {
      const keys = JSON.parse(key.slice(2)) as Record<string, unknown>;
      const matches = (item: any) => Object.entries(keys).every(([k, v]) => item?.[k] === v);
      const liveItem = (live as any[]).find(matches);
      if (!liveItem) continue;
      let item = (target as any[]).find(matches);
      if (!item) (target as any[]).push((item = { ...keys }));
      copyOwned(item, liveItem, sub);
    }
  }
}

/** Flux's driftIgnoreRules: the manifest without the fields at these JSON pointers. */
function fluxTarget(manifest: Manifest, pointers: readonly string[]): Manifest {
  const target = structuredClone(manifest);
  for (const pointer of pointers) {
    const path = pointer.split('/').slice(1);
    let node: any = target;
    for (const part of path.slice(0, -1)) node = node?.[part];
    if (node) delete node[path[path.length - 1]];
  }
  return target;
}

const TOOLS = [
  {
    tool: 'Argo CD', manager: 'argocd-controller', deployment: 'web-argo',
    resync: (manifest: Manifest, live: Deployment) => argoTarget(manifest, live, ['imagestreams-controller']),
  },
  {
    tool: 'Flux', manager: 'kustomize-controller', deployment: 'web-flux',
    resync: (manifest: Manifest) => fluxTarget(manifest, ['/spec/template/spec/containers/0/image']),
  },
];

beforeAll(async () => {
  t = await testKube('sec-ssa');
  system = await t.newNamespace('sec-ssa-system');
  app = synthesize(2, {});
  // The rest of the app as kubectl would; the Deployments are the GitOps tools' to apply.
  await installApp(t, app, { only: (o) => !isGitOpsOwned(o) });
  controller = await startController(t.cluster, controllerPod(app), { identity: 'ssa', log });
}, 120_000);

afterAll(async () => {
  await controller?.stop();
  t?.close();
});

describe('server-side apply: a GitOps tool owns the Deployment, the controller its image', () => {
  it.each(TOOLS)('$tool ($manager): neither side conflicts, and the managedFields show the split', async ({ manager, deployment, resync }) => {
    const manifest = () => app.one('Deployment', deployment);
    // GIVEN the synthesized Deployment applied by the GitOps tool (it exists nowhere yet: applied as is)
    const first = await apply(manager, manifest());
    expect(first.spec.template.spec.containers[0].image).toBe('registry.test/team/web:1.0');
    // WHEN web:latest gets an image THEN the controller sets the image field to it, by digest
    const ref1 = await tagMoves(digest('1'));
    await eventually(async () => expect(await imageOf(deployment)).toBe(ref1));
    // AND the controller owns the image field alone and nothing else; the tool owns the rest
    const live = await deployments().get(deployment);
    expect(entry(live, 'imagestreams-controller')!.fieldsV1).toEqual({ 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } });
    expect(containerFields(entry(live, manager))).not.toHaveProperty('f:image');
    expect(containerFields(entry(live, manager))).toHaveProperty('f:ports');
    expect(entry(live, manager)!.fieldsV1['f:metadata']['f:annotations']).toHaveProperty(['f:imagestreams.dev/triggers']);

    // WHEN Git changes (replicas, an env var) and the tool re-applies its manifest with the README's settings, without forcing
    app = synthesize(3, { GREETING: 'hello' });
    const second = await apply(manager, resync(manifest(), await deployments().get(deployment)));
    // THEN Git's change lands and the image stays the controller's
    expect(second.spec.replicas).toBe(3);
    expect(second.spec.template.spec.containers[0].env).toEqual([{ name: 'GREETING', value: 'hello' }]);
    expect(second.spec.template.spec.containers[0].image).toBe(ref1);

    // WHEN the tag moves again THEN the controller sets the new digest, and takes nothing else from the tool
    const before = containerFields(entry(await deployments().get(deployment), manager));
    const ref2 = await tagMoves(digest('2'));
    await eventually(async () => expect(await imageOf(deployment)).toBe(ref2));
    const after = await deployments().get(deployment);
    const { 'f:image': _, ...rest } = before ?? {};
    expect(containerFields(entry(after, manager))).toEqual(rest);
    expect(after.spec.replicas).toBe(3);
    // AND the tool's next sync keeps it
    expect((await apply(manager, resync(manifest(), after))).spec.template.spec.containers[0].image).toBe(ref2);
    // (The stream's source, registry.test, resolves nowhere here: the controller's import of it fails, not this test's subject.)
    expect(log.lines.filter((l) => /^(warn|error) /.test(l) && !l.includes('"reason":"ImportFailed"'))).toEqual([]);
  });

  it('plain `kubectl apply` (client-side) sets the manifest\'s image again on every apply, and the controller sets the digest back', async () => {
    // GIVEN web-csa created by `kubectl apply`, and the controller setting its image
    const manifest = () => app.one('Deployment', 'web-csa');
    await t.cluster.kubectl(['apply', '-f', '-'], { input: stringify(manifest()) });
    const ref = await tagMoves(digest('3'));
    await eventually(async () => expect(await imageOf('web-csa')).toBe(ref));
    // WHEN Git changes and `kubectl apply` runs again
    app = synthesize(4, {});
    const applied = JSON.parse((await t.cluster.kubectl(['apply', '-o', 'json', '-f', '-'], { input: stringify(manifest()) })).stdout) as Deployment;
    // THEN the change lands, with the manifest's image (its three-way patch sets every field that differs from the live object)
    expect(applied.spec.replicas).toBe(4);
    expect(applied.spec.template.spec.containers[0].image).toBe('registry.test/team/web:1.0');
    // AND the controller sets the digest back
    await eventually(async () => expect(await imageOf('web-csa')).toBe(ref));
  });

  it('`kubectl apply --server-side` of the manifest conflicts over the image alone, applies without it, and forced, sets the manifest\'s image until the controller sets the digest back', async () => {
    // GIVEN web-ssa applied server-side by kubectl, and the controller setting its image
    const manifest = () => app.one('Deployment', 'web-ssa');
    await apply('kubectl', manifest());
    const ref = await tagMoves(digest('4'));
    await eventually(async () => expect(await imageOf('web-ssa')).toBe(ref));
    // WHEN the manifest is applied again as Git has it THEN the API server refuses it: the image is the controller's
    const conflict = await apply('kubectl', manifest()).catch((error: KubectlError) => error);
    expect(conflict).toBeInstanceOf(KubectlError);
    expect((conflict as KubectlError).stderr).toContain(`Apply failed with 1 conflict: conflict with "imagestreams-controller": ${IMAGE_FIELD}\n`);
    // AND without the image field, the manifest applies, and the image stays
    app = synthesize(5, {});
    const withoutImage = await apply('kubectl', fluxTarget(manifest(), ['/spec/template/spec/containers/0/image']));
    expect([withoutImage.spec.replicas, withoutImage.spec.template.spec.containers[0].image]).toEqual([5, ref]);
    // AND forced, the manifest sets its image, which the controller undoes
    expect((await apply('kubectl', manifest(), { force: true })).spec.template.spec.containers[0].image).toBe('registry.test/team/web:1.0');
    await eventually(async () => expect(await imageOf('web-ssa')).toBe(ref));
  });
});
