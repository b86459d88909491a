import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAMESPACE_RULES } from '../../../../constructs/system/controller-rbac';
import { gitWebhookPath } from '../../../../lib/api/git-webhook';
import { API_GROUP, RECEIVER_PLURAL } from '../../../../lib/api/group';
import { BUILDCONFIG_LABEL } from '../../../../lib/api/labels';
import { startTriggerCluster, type RunningController, type TriggerCluster } from '../../controller/cluster';
import { eventually } from '../../controller/eventually';
import type { BuildConfigResource } from '../../../support/kube';

const SECRET = 'rbac-webhook-secret-41';
const ACCOUNT = 'imagestreams-controller';

// The controller with exactly its synthesized namespace Role, on the real API server: it may read no
// Secret that an applied BuildConfig names until the namespace grants it, as the README says to.
describe('the webhook Secret of a BuildConfig applied as YAML', () => {
  let cluster: TriggerCluster;
  let controller: RunningController;
  const rbac = () => ({
    roles: cluster.kube.resource({ apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'roles', namespace: cluster.namespace }),
    bindings: cluster.kube.resource({ apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'rolebindings', namespace: cluster.namespace }),
  });
  const grant = async (name: string, rules: readonly object[]) => {
    await rbac().roles.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules } as never);
    await rbac().bindings.create({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'ServiceAccount', name: ACCOUNT, namespace: cluster.namespace }],
    } as never);
  };

  beforeAll(async () => {
    cluster = await startTriggerCluster('git-webhook-rbac');
    const client = await cluster.clientAs(ACCOUNT);
    // The Role synthesized while the listener runs (the app has RegistryReceivers): no Secret of a BuildConfig applied as YAML
    await grant(ACCOUNT, [...NAMESPACE_RULES, { apiGroups: [API_GROUP], resources: [RECEIVER_PLURAL], verbs: ['list', 'watch'] }]);
    await cluster.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: cluster.namespace }).create({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-webhook' }, stringData: { WebHookSecretKey: SECRET },
    } as never);
    const [app] = parseAllDocuments(readFileSync(join(__dirname, 'fixtures', 'buildconfigs.yaml'), 'utf8')).map((d) => d.toJS() as BuildConfigResource);
    await cluster.buildConfigs().create(app);
    controller = await cluster.startController({ client, receiver: { gitWebhooks: { secretTtlMs: 0 } } });
  }, 60_000);
  afterAll(() => cluster?.close());

  const push = () => fetch(`${controller.receiver!.url}${gitWebhookPath(cluster.namespace, 'app', SECRET, 'GitHub')}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push' }, body: JSON.stringify({ ref: 'refs/heads/main', after: '9'.repeat(40), head_commit: { id: '9'.repeat(40) } }),
  });
  // Retried: the API server answers 429 while it re-initializes a CRD's storage (Tekton's, just installed).
  const runs = () => eventually(async () => (await cluster.pipelineRuns().list({ labelSelector: `${BUILDCONFIG_LABEL}=app` })).items);

  it('refuses deliveries and says so in a Warning Event until a Role lets the controller get that Secret; then builds', async () => {
    // GIVEN the controller's own Role, which names no Secret
    // WHEN GitHub delivers a push with the right secret
    const refused = await push();
    // THEN it is refused as a wrong secret would be, no run is made, and the BuildConfig has an Event saying why and what to do
    expect(refused.status).toBe(401);
    expect(await runs()).toHaveLength(0);
    const event = await eventually(async () => {
      const events = (await cluster.kube.resource({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list()).items as unknown as { reason: string; message: string; type: string; involvedObject: { name: string; kind: string } }[];
      // One Event for the Secret, however many of the BuildConfig's triggers name it
      const found = events.filter((e) => e.reason === 'WebhookSecretUnavailable' && e.involvedObject.name === 'app');
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(event).toMatchObject({ type: 'Warning', involvedObject: { kind: 'BuildConfig' } });
    expect(event.message).toBe(`a webhook's secret can't be checked: the controller may not read Secret "app-webhook" in namespace "${cluster.namespace}"; its deliveries are refused until then: grant the controller's ServiceAccount get on that Secret with a Role and RoleBinding in this namespace (README, "Git webhooks")`);
    // WHEN the namespace grants get on that one Secret, as the README shows
    await grant('imagestreams-webhook-secrets', [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['app-webhook'], verbs: ['get'] }]);
    // THEN the next delivery becomes a request run
    await eventually(async () => expect((await push()).status).toBe(200), 10_000, 200);
    expect(await runs()).toHaveLength(1);
  });
});
