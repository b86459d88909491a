/**
 * A tenant of namespace `evil` tries to make the controller use namespace `web`'s registry
 * credentials for it. The controller may read Secrets in both namespaces, so only its own rule
 * stops this: a stream's pull secrets are read in the stream's namespace, by plain name. On the real
 * API server, as the user mallory (a Role in `evil` only), against the real registry with htpasswd.
 */
import type { Chart } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream } from '../../constructs';
import { IMAGESTREAMS } from '../../lib/api/group';
import type { StreamResource } from '../support/kube';
import { createClient, type KubeClient } from '../../lib/runtime/kube/client';
import { bearerToken } from '../../lib/runtime/kube/credentials';
import type { KubeObject } from '../../lib/runtime/kube/types';
import { pushImage } from '../support/registry/images';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { synthApp, type Manifest } from '../support/synth-app';
import { startTriggerCluster, type TriggerCluster } from '../runtime/controller/cluster';
import { eventually } from '../runtime/controller/eventually';

const CREDENTIALS = { username: 'alice', password: 'wonderland' };
type CoreEvent = KubeObject & { involvedObject: { name: string }; reason: string; message: string };

let web: TriggerCluster;
let evil: string;
let mallory: KubeClient;
let registry: RunningRegistry;
let digest: string;

/** A stream importing the private image with these pull secrets, as the constructs write it. */
function privateStream(namespace: string, name: string, pullSecrets: string[]): Manifest {
  const build = (chart: Chart) => new ImageStream(chart, name, { pullSecrets: ['placeholder'] }).importTag('v1', { from: `${registry.host}/private/app:v1`, insecure: true });
  const stream = synthApp(({ chart }) => build(chart(namespace))).one('ImageStream', name);
  // The names mallory writes need not pass the constructs' checks: she writes YAML.
  return { ...stream, spec: { ...stream.spec, pullSecrets: pullSecrets.map((n) => ({ name: n })) } };
}

const imported = async (client: KubeClient, namespace: string, name: string) =>
  (await client.resource<StreamResource>({ ...IMAGESTREAMS, namespace }).get(name)).status?.tags?.find((t) => t.tag === 'v1')?.items?.map((i) => i.image);
const warnings = async (namespace: string, name: string, reason: string) =>
  (await web.kube.resource<CoreEvent>({ apiVersion: 'v1', resource: 'events', namespace }).list()).items
    .filter((e) => e.involvedObject.name === name && e.reason === reason).map((e) => e.message);
/** Manifest GETs of the private image that the registry answered 200: each one used alice's credentials. */
const authorizedPulls = async () => (await registry.accessLog()).filter((e) => e.path.startsWith('/v2/private/app/manifests/') && e.status === 200).length;

beforeAll(async () => {
  [web, registry] = await Promise.all([startTriggerCluster('web-secrets'), startRegistry({ auth: 'htpasswd' })]);
  digest = (await pushImage(registry.host, 'private/app:v1', { credentials: CREDENTIALS })).digest;
  // GIVEN web's pull secret for the private registry
  await web.createPullSecret('registry-pull', registry.host, CREDENTIALS.username, CREDENTIALS.password);
  // AND mallory, who may do anything with ImageStreams in evil, and nothing with Secrets anywhere
  evil = await web.newNamespace('evil-secrets');
  await web.kube.resource({ apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'roles', namespace: evil }).create({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'streams-admin' },
    rules: [{ apiGroups: ['imagestreams.dev'], resources: ['imagestreams', 'imagestreams/status'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }],
  } as KubeObject);
  await web.kube.resource({ apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'rolebindings', namespace: evil }).create({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'mallory' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'streams-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mallory' }],
  } as KubeObject);
  mallory = createClient({ server: web.cluster.url, ca: web.cluster.caPem, namespace: evil, credentials: bearerToken(web.cluster.userToken('mallory')) });
  // AND the controller importing for both namespaces
  await web.startController({ namespaces: [web.namespace, evil], imports: { registry: { timeoutMs: 5_000, backoffMs: 5 }, retryDelayMs: 200, retries: 2 } });
}, 120_000);

afterAll(async () => {
  mallory?.close();
  await web?.close();
  await registry?.close();
});

describe('a tenant of namespace evil, after web\'s registry credentials', () => {
  it('cannot read them herself', async () => {
    await expect(mallory.resource({ apiVersion: 'v1', resource: 'secrets', namespace: web.namespace }).get('registry-pull')).rejects.toThrow(/forbidden/);
  });

  it('web\'s own stream imports with them (the check below can pass)', async () => {
    await web.apply([privateStream(web.namespace, 'private', ['registry-pull'])]);
    await eventually(async () => expect(await imported(web.kube, web.namespace, 'private')).toEqual([digest]), 15_000);
  });

  it('cannot import with them by naming them, plainly or by a path into web: the import fails and the registry sees no authorized pull', async () => {
    const before = await authorizedPulls();
    const attempts = { plain: 'registry-pull', traversal: `../../${web.namespace}/secrets/registry-pull`, qualified: `${web.namespace}/registry-pull` };
    for (const [name, secret] of Object.entries(attempts)) {
      const { namespace: _, ...metadata } = privateStream(evil, name, [secret]).metadata;
      await mallory.resource({ ...IMAGESTREAMS, namespace: evil }).create({ ...privateStream(evil, name, [secret]), metadata });
    }
    // THEN each import fails without credentials (Warning events), and nothing is recorded
    for (const name of Object.keys(attempts)) {
      await eventually(async () => expect(await warnings(evil, name, 'ImportFailed')).toEqual([expect.stringMatching(/^v1: Unauthorized: /)]), 15_000);
      expect(await imported(mallory, evil, name)).toBeUndefined();
    }
    // AND each secret is said to be unused: the plain name looked up in evil, where it doesn't exist; the others no Secret name at all
    expect(await warnings(evil, 'plain', 'PullSecretNotUsed')).toEqual([expect.stringContaining(`/namespaces/${evil}/secrets/registry-pull: 404 NotFound`)]);
    for (const name of ['traversal', 'qualified']) expect(await warnings(evil, name, 'PullSecretNotUsed')).toEqual([expect.stringContaining('is not used: not a Secret name')]);
    expect(await authorizedPulls()).toBe(before);
  });
});
