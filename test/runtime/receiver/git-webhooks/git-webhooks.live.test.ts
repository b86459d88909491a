import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCause } from '../../../../lib/api/build-cause';
import { REVISION_PARAM, RUN_ENV_PARAM } from '../../../../lib/api/buildconfig';
import { gitWebhookPath } from '../../../../lib/api/git-webhook';
import { BUILDCONFIG_LABEL, PUSHER_ANNOTATION, REF_ANNOTATION, WEBHOOK_TYPE_ANNOTATION } from '../../../../lib/api/labels';
import { decodeLiteral } from '../../../../lib/api/literal-params';
import type { PipelineRun } from '../../../../lib/api/pipeline-run';
import { isRequest } from '../../../../lib/runtime/controller/builds/requests';
import { startTriggerCluster, type RunningController, type TriggerCluster } from '../../controller/cluster';
import type { BuildConfigResource } from '../../../support/kube';
import { synthApp } from '../../../support/synth-app';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger } from '../../../../constructs';

const SECRET = 'app-webhook-5c0ffee1d2';
const COMMIT = 'a'.repeat(40);
/** Each BuildConfig takes this many deliveries at once here, then none for an hour. */
const BURST = 8;

/** The BuildConfigs of fixtures/buildconfigs.yaml, as a user applies them. */
const manifests = () => parseAllDocuments(readFileSync(join(__dirname, 'fixtures', 'buildconfigs.yaml'), 'utf8')).map((d) => d.toJS() as BuildConfigResource);

const githubPush = (ref: string, commit = COMMIT) => JSON.stringify({
  ref, before: '0'.repeat(40), after: commit, created: false, deleted: false,
  head_commit: { id: commit, message: 'Fix the build', author: { name: 'Ada', email: 'ada@example.com' } },
  pusher: { name: 'ada', email: 'ada@example.com' }, repository: { full_name: 'team/app', clone_url: 'https://git.example.com/team/app.git' },
});

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

// OpenShift's webhook URLs on the controller's receiver, on the real API server, for BuildConfigs
// applied as OpenShift YAML: each valid push becomes a request run, as Tekton Triggers' template makes it.
describe('BuildConfig webhooks at OpenShift\'s URL', () => {
  let cluster: TriggerCluster;
  let controller: RunningController;
  let tenantB: string;
  beforeAll(async () => {
    cluster = await startTriggerCluster('git-webhooks');
    tenantB = await cluster.newNamespace('git-webhooks-b');
    const secrets = (ns: string) => cluster.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: ns });
    await secrets(cluster.namespace).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-webhook' }, stringData: { WebHookSecretKey: SECRET } } as never);
    await secrets(tenantB).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-webhook' }, stringData: { WebHookSecretKey: 'tenant-b-secret-77aa' } } as never);
    for (const bc of manifests()) await cluster.buildConfigs().create(bc);
    // Tenant B has a BuildConfig of the same name, with its own secret.
    await cluster.buildConfigs(tenantB).create(manifests()[0]);
    const busy = manifests()[0];
    await cluster.buildConfigs().create({ ...busy, metadata: { name: 'busy' } });
    // A BuildConfig synthesized by the constructs, with a GitLab webhook (it has Tekton Triggers' listener too)
    const synthesized = synthApp(({ chart }) => void new BuildConfig(chart(cluster.namespace), 'synth', {
      source: BuildSource.git({ uri: 'https://gitlab.example.com/team/synth.git', ref: 'main' }),
      strategy: BuildStrategy.dockerfile(),
      output: BuildOutput.image('registry.example.com/team/synth:latest'),
      triggers: [BuildTrigger.webhook({ type: 'GitLab', secret: 'synth-webhook' })],
    })).one('BuildConfig', 'synth');
    await cluster.buildConfigs().create(synthesized as BuildConfigResource);
    await secrets(cluster.namespace).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'synth-webhook' }, stringData: { WebHookSecretKey: 'synth-secret-0042' } } as never);
    controller = await cluster.startController({ namespaces: [cluster.namespace, tenantB], receiver: { gitWebhooks: { rateLimit: { burst: BURST, refillMs: 3_600_000 } } } });
  }, 60_000);
  afterAll(() => cluster?.close());

  const url = (name: string, secret: string, type: 'GitHub' | 'GitLab' | 'Bitbucket' | 'Generic', namespace = cluster.namespace) =>
    `${controller.receiver!.url}${gitWebhookPath(namespace, name, secret, type)}`;
  const post = (target: string, headers: Record<string, string>, body = '') => fetch(target, { method: 'POST', headers, body });
  const runsOf = async (name: string, namespace = cluster.namespace) =>
    (await cluster.pipelineRuns(namespace).list({ labelSelector: `${BUILDCONFIG_LABEL}=${name}` })).items as PipelineRun[];
  const param = (run: PipelineRun, name: string) => run.spec.params?.find((p) => p.name === name)?.value;
  const created = async (response: Response, name: string, namespace = cluster.namespace): Promise<PipelineRun> => {
    const answer = await response.json() as { request: string };
    expect(response.status).toBe(200);
    return (await runsOf(name, namespace)).find((r) => r.metadata.name === answer.request)!;
  };

  it('GitHub: a signed push of the BuildConfig\'s branch becomes a request run of that commit, as the Triggers template makes it', async () => {
    // GIVEN a push of main, signed by GitHub with the webhook's secret
    const body = githubPush('refs/heads/main');
    // WHEN GitHub delivers it to the URL with the secret
    const response = await post(url('app', SECRET, 'GitHub'), {
      'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'x-hub-signature-256': sign(SECRET, body),
    }, body);
    // THEN a pending, unnumbered request run of the BuildConfig builds that commit, its cause Webhook
    const run = await created(response, 'app');
    expect(isRequest(run)).toBe(true);
    expect(run.metadata.generateName).toBe('app-webhook-');
    expect(parseCause(run.metadata.annotations)).toEqual({ type: 'Webhook', revision: COMMIT });
    expect(run.metadata.annotations).toMatchObject({ [REF_ANNOTATION]: 'refs/heads/main', [PUSHER_ANNOTATION]: 'ada', [WEBHOOK_TYPE_ANNOTATION]: 'GitHub' });
    expect(param(run, REVISION_PARAM)).toBe(COMMIT);
  });

  it('GitLab and Bitbucket: a push of the branch with the right secret is a request run', async () => {
    const gitlab = JSON.stringify({ object_kind: 'push', ref: 'refs/heads/main', before: '0'.repeat(40), after: 'b'.repeat(40), checkout_sha: 'b'.repeat(40), user_username: 'grace', project: { git_http_url: 'https://gitlab.example.com/team/app.git' }, commits: [] });
    const run = await created(await post(url('app', SECRET, 'GitLab'), { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook' }, gitlab), 'app');
    expect(run.metadata.annotations).toMatchObject({ [WEBHOOK_TYPE_ANNOTATION]: 'GitLab', [PUSHER_ANNOTATION]: 'grace' });
    expect(param(run, REVISION_PARAM)).toBe('b'.repeat(40));

    // Bitbucket Cloud: a push that moved another branch and main
    const bitbucket = JSON.stringify({
      actor: { display_name: 'Linus' }, repository: { links: { html: { href: 'https://bitbucket.org/team/app' } } },
      push: { changes: [{ new: { type: 'branch', name: 'feature', target: { hash: 'd'.repeat(40) } } }, { new: { type: 'branch', name: 'main', target: { hash: 'c'.repeat(40) } } }] },
    });
    const fromBitbucket = await created(await post(url('app', SECRET, 'Bitbucket'), { 'content-type': 'application/json', 'x-event-key': 'repo:push', 'x-request-uuid': 'b1b1b1b1-0000-4000-8000-000000000001' }, bitbucket), 'app');
    expect(fromBitbucket.metadata.annotations).toMatchObject({ [WEBHOOK_TYPE_ANNOTATION]: 'Bitbucket', [REF_ANNOTATION]: 'refs/heads/main' });
    expect(param(fromBitbucket, REVISION_PARAM)).toBe('c'.repeat(40));
  });

  it('Generic: the inline secret, the payload\'s commit and env (allowEnv), in JSON or YAML', async () => {
    const payload = { git: { uri: 'https://git.example.com/team/app.git', ref: 'main', commit: 'e'.repeat(40), author: { name: 'Ken', email: 'ken@example.com' } }, env: [{ name: 'RELEASE', value: 'yes' }] };
    const run = await created(await post(url('app', 'generic-inline-6a1f0c', 'Generic'), { 'content-type': 'application/json' }, JSON.stringify(payload)), 'app');
    expect(param(run, REVISION_PARAM)).toBe('e'.repeat(40));
    expect((param(run, RUN_ENV_PARAM) as string[]).map(decodeLiteral)).toEqual(['RELEASE=yes']);
    expect(run.metadata.annotations).toMatchObject({ [WEBHOOK_TYPE_ANNOTATION]: 'Generic', [PUSHER_ANNOTATION]: 'Ken' });
    // WHEN called without a body (OpenShift's `curl -X POST`): the BuildConfig's branch is built
    const bare = await created(await post(url('app', 'generic-inline-6a1f0c', 'Generic'), {}), 'app');
    expect(param(bare, REVISION_PARAM)).toBe('main');
    expect(parseCause(bare.metadata.annotations)).toEqual({ type: 'Webhook' });
  });

  it('serves a BuildConfig synthesized by the constructs alike: its request runs its Pipeline', async () => {
    const gitlab = JSON.stringify({ ref: 'refs/heads/main', checkout_sha: '6'.repeat(40), user_username: 'grace' });
    const run = await created(await post(url('synth', 'synth-secret-0042', 'GitLab'), { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook' }, gitlab), 'synth');
    expect(run.spec.pipelineRef).toEqual({ name: 'synth' });
    expect(param(run, REVISION_PARAM)).toBe('6'.repeat(40));
    expect(run.metadata.annotations).toMatchObject({ [WEBHOOK_TYPE_ANNOTATION]: 'GitLab', [REF_ANNOTATION]: 'refs/heads/main' });
  });

  it('refuses a wrong secret (401) and a signature of another secret, creating no run', async () => {
    const before = (await runsOf('app')).length;
    const body = githubPush('refs/heads/main');
    const headers = { 'content-type': 'application/json', 'x-github-event': 'push' };
    const wrong = await post(url('app', 'not-the-secret', 'GitHub'), headers, body);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'the webhook "github" for "app" did not accept your secret' });
    // The generic trigger's secret opens no other type's webhook
    expect((await post(url('app', 'generic-inline-6a1f0c', 'GitHub'), headers, body)).status).toBe(401);
    // The right URL, signed with another secret
    expect((await post(url('app', SECRET, 'GitHub'), { ...headers, 'x-hub-signature-256': sign('another', body) }, body)).status).toBe(401);
    // A BuildConfig that doesn't exist answers as a wrong secret does
    expect((await post(url('nothing', SECRET, 'GitHub'), headers, body)).status).toBe(401);
    expect((await runsOf('app')).length).toBe(before);
  });

  it('builds nothing for a push of another branch, or a ping (200)', async () => {
    const before = (await runsOf('app')).length;
    const other = await post(url('app', SECRET, 'GitHub'), { 'content-type': 'application/json', 'x-github-event': 'push' }, githubPush('refs/heads/feature'));
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ status: 'Success', message: 'skipping build: branch reference from "refs/heads/feature" does not match configuration' });
    const generic = await post(url('app', 'generic-inline-6a1f0c', 'Generic'), { 'content-type': 'application/yaml' }, 'git:\n  ref: feature\n  commit: ' + 'f'.repeat(40) + '\n');
    expect(generic.status).toBe(200);
    expect((await post(url('app', SECRET, 'GitHub'), { 'content-type': 'application/json', 'x-github-event': 'ping' }, '{"zen":"Keep it simple."}')).status).toBe(200);
    expect((await runsOf('app')).length).toBe(before);
  });

  it('takes the legacy spellings `type: github` and `type: generic` with inline secrets; no ref means master', async () => {
    const github = await created(await post(url('legacy', 'legacy-github-93d2e1', 'GitHub'), { 'content-type': 'application/json', 'x-github-event': 'push' }, githubPush('refs/heads/master', '1'.repeat(40))), 'legacy');
    expect(param(github, REVISION_PARAM)).toBe('1'.repeat(40));
    const generic = await created(await post(url('legacy', 'legacy-generic-b7c4a0', 'Generic'), { 'content-type': 'application/json' }, JSON.stringify({ git: { ref: 'refs/heads/master', commit: '2'.repeat(40) }, env: [{ name: 'X', value: '1' }] })), 'legacy');
    expect(param(generic, REVISION_PARAM)).toBe('2'.repeat(40));
    // allowEnv is not set: the env is left out
    expect(param(generic, RUN_ENV_PARAM)).toBeUndefined();
  });

  it('keeps tenants apart: one namespace\'s secret opens no other namespace\'s BuildConfig of the same name', async () => {
    const body = githubPush('refs/heads/main', '3'.repeat(40));
    const headers = { 'content-type': 'application/json', 'x-github-event': 'push' };
    const [a, b] = [(await runsOf('app')).length, (await runsOf('app', tenantB)).length];
    // A's secret at B's URL, and B's at A's
    expect((await post(url('app', SECRET, 'GitHub', tenantB), headers, body)).status).toBe(401);
    expect((await post(url('app', 'tenant-b-secret-77aa', 'GitHub'), headers, body)).status).toBe(401);
    expect([(await runsOf('app')).length, (await runsOf('app', tenantB)).length]).toEqual([a, b]);
    // B's secret at B's URL builds in B only
    const run = await created(await post(url('app', 'tenant-b-secret-77aa', 'GitHub', tenantB), headers, body), 'app', tenantB);
    expect(run.metadata.namespace).toBe(tenantB);
    expect((await runsOf('app')).length).toBe(a);
  });

  it('refuses a replayed delivery (409) and deliveries beyond the BuildConfig\'s rate (429)', async () => {
    const body = githubPush('refs/heads/main', '4'.repeat(40));
    const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': sign(SECRET, body) };
    const first = await post(url('busy', SECRET, 'GitHub'), { ...headers, 'x-github-delivery': 'replayed-0001' }, body);
    expect(first.status).toBe(200);
    const replay = await post(url('busy', SECRET, 'GitHub'), { ...headers, 'x-github-delivery': 'replayed-0001' }, body);
    expect(replay.status).toBe(409);
    expect(await runsOf('busy')).toHaveLength(1);
    // The rest of the burst goes through; the next is refused with a Retry-After
    for (let i = 1; i < BURST; i++) expect((await post(url('busy', SECRET, 'GitHub'), { ...headers, 'x-github-delivery': `burst-${i}` }, body)).status).toBe(200);
    const over = await post(url('busy', SECRET, 'GitHub'), { ...headers, 'x-github-delivery': 'burst-over' }, body);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await runsOf('busy')).toHaveLength(BURST);
    // Another BuildConfig is not held back
    expect((await post(url('app', SECRET, 'GitHub'), { 'content-type': 'application/json', 'x-github-event': 'push' }, githubPush('refs/heads/main', '5'.repeat(40)))).status).toBe(200);
  });
});
