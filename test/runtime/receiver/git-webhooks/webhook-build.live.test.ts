import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCause } from '../../../../lib/api/build-cause';
import { REVISION_PARAM } from '../../../../lib/api/buildconfig';
import { gitWebhookPath } from '../../../../lib/api/git-webhook';
import { BUILD_ANNOTATION, REQUEST_ANNOTATION, WEBHOOK_TYPE_ANNOTATION } from '../../../../lib/api/labels';
import { startTriggerCluster, type RunningController, type TriggerCluster } from '../../controller/cluster';
import { eventually } from '../../controller/eventually';
import type { BuildConfigResource } from '../../../support/kube';

const SECRET = 'e2e-webhook-secret-3f9a';
const COMMIT = 'c0ffee'.padEnd(40, '0');

// A webhook delivery for a BuildConfig applied as OpenShift YAML, with the controller's builds on:
// the request the receiver creates is turned by the controller into build app-1 of the pushed commit.
describe('a webhook delivery, with the controller\'s builds on', () => {
  let cluster: TriggerCluster;
  let controller: RunningController;
  beforeAll(async () => {
    cluster = await startTriggerCluster('git-webhook-build');
    await cluster.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: cluster.namespace }).create({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-webhook' }, stringData: { WebHookSecretKey: SECRET },
    } as never);
    const [app] = parseAllDocuments(readFileSync(join(__dirname, 'fixtures', 'buildconfigs.yaml'), 'utf8')).map((d) => d.toJS() as BuildConfigResource);
    await cluster.buildConfigs().create(app);
    controller = await cluster.startController({ builds: { debounceSeconds: 0 }, receiver: { gitWebhooks: true } });
  }, 60_000);
  afterAll(() => cluster?.close());

  it('becomes build app-1 of the pushed commit, its cause and webhook type taken over, the request consumed', async () => {
    // WHEN GitHub delivers a push of main
    const response = await fetch(`${controller.receiver!.url}${gitWebhookPath(cluster.namespace, 'app', SECRET, 'GitHub')}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push' },
      body: JSON.stringify({ ref: 'refs/heads/main', after: COMMIT, head_commit: { id: COMMIT }, pusher: { name: 'ada' } }),
    });
    expect(response.status).toBe(200);
    const { request } = await response.json() as { request: string };
    // THEN the controller makes build app-1 of that commit from the request, and marks the request consumed
    const build = await eventually(() => cluster.pipelineRuns().get('app-1'), 20_000, 100);
    expect(build.spec.params?.find((p) => p.name === REVISION_PARAM)?.value).toBe(COMMIT);
    expect(parseCause(build.metadata.annotations)).toEqual({ type: 'Webhook', revision: COMMIT });
    expect(build.metadata.annotations).toMatchObject({ [REQUEST_ANNOTATION]: request, [WEBHOOK_TYPE_ANNOTATION]: 'GitHub' });
    await eventually(async () => expect((await cluster.pipelineRuns().get(request)).metadata.annotations?.[BUILD_ANNOTATION]).toBe('app-1'), 20_000, 100);
  });
});
