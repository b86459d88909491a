import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BuildSource, BuildTrigger } from '../../../../constructs/buildconfig';
import { find, fooBuild, one, seedChart, synth } from './fixture';

describe('WebhookListener (BuildTrigger.webhook on a BuildConfig)', () => {
  it('emits an EventListener, a Trigger with the GitHub interceptor and the branch filter, a TriggerBinding and a TriggerTemplate', () => {
    // GIVEN foo, built from main, with a GitHub webhook whose secret is in Secret foo-github-webhook
    const { chart, foo } = seedChart();
    const bc = fooBuild(chart, foo, { triggers: [BuildTrigger.webhook({ type: 'GitHub', secret: 'foo-github-webhook' })] });
    // WHEN synthesized
    const objects = synth(chart);
    // THEN the listener is foo's own, run by the namespace's listener ServiceAccount
    const labels = { 'imagestreams.dev/buildconfig': 'foo' };
    expect(one(objects, 'EventListener')).toEqual({
      apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener',
      metadata: { name: 'foo', namespace: 'seed', labels },
      spec: { serviceAccountName: 'imagestreams-webhooks', triggers: [{ triggerRef: 'foo-github' }] },
    });
    // AND the Trigger checks the signature and event type, then the branch
    expect(one(objects, 'Trigger', 'foo-github').spec).toEqual({
      interceptors: [
        {
          name: 'verify-github', ref: { name: 'github', kind: 'ClusterInterceptor' },
          params: [{ name: 'secretRef', value: { secretName: 'foo-github-webhook', secretKey: 'WebHookSecretKey' } }, { name: 'eventTypes', value: ['push'] }],
        },
        { name: 'branch', ref: { name: 'cel', kind: 'ClusterInterceptor' }, params: [{ name: 'filter', value: 'body.ref == "refs/heads/main" && !body.deleted && body.after.matches("^[0-9a-f]{40}([0-9a-f]{24})?$")' }] },
      ],
      bindings: [{ ref: 'foo-github', kind: 'TriggerBinding' }],
      template: { ref: 'foo' },
    });
    expect(one(objects, 'TriggerBinding', 'foo-github').spec.params).toEqual([
      { name: 'commit', value: '$(body.after)' }, { name: 'ref', value: '$(body.ref)' }, { name: 'pusher', value: '$(body.pusher.name)' },
      { name: 'repository', value: '$(body.repository.clone_url)' }, { name: 'webhook', value: 'GitHub' },
    ]);
    // AND the template creates a pending run of foo's Pipeline that builds the pushed commit
    const template = one(objects, 'TriggerTemplate', 'foo');
    expect(template.spec.params).toEqual([{ name: 'commit' }, { name: 'ref' }, { name: 'pusher', default: '' }, { name: 'repository', default: '' }, { name: 'webhook' }]);
    const [run] = template.spec.resourcetemplates;
    expect(run.metadata).toEqual({
      generateName: 'foo-webhook-', namespace: 'seed', labels,
      annotations: {
        'imagestreams.dev/cause': 'Webhook', 'imagestreams.dev/commit': '$(tt.params.commit)', 'imagestreams.dev/ref': '$(tt.params.ref)',
        'imagestreams.dev/pusher': '$(tt.params.pusher)', 'imagestreams.dev/repository': '$(tt.params.repository)', 'imagestreams.dev/webhook-type': '$(tt.params.webhook)',
      },
    });
    expect(run.spec.status).toBe('PipelineRunPending');
    expect(run.spec.params).toEqual([{ name: 'URL', value: 'https://github.com/example/foo.git' }, { name: 'REVISION', value: '$(tt.params.commit)' }, { name: 'CONTEXT_DIR', value: '.' }]);
    const bcSpec = one(objects, 'BuildConfig').spec;
    expect(run.spec.pipelineRef).toEqual(bcSpec.pipelineRef);
    expect(run.spec.workspaces).toEqual(bcSpec.workspaces);
    expect(run.spec.taskRunTemplate).toEqual({ serviceAccountName: bcSpec.serviceAccountName, podTemplate: bcSpec.podTemplate });
    // AND the BuildConfig records the trigger; no Ingress unless asked
    expect(bcSpec.triggers).toEqual([{ type: 'GitHub', github: { secretReference: { name: 'foo-github-webhook' } } }]);
    expect(find(objects, 'Ingress')).toEqual([]);
    expect(bc.node.tryFindChild('Webhooks')).toBeDefined();
  });

  it('shares one listener among the webhook types of a BuildConfig, each with its own Trigger, binding and Ingress', () => {
    // GIVEN four webhook types, with Ingresses, one with its own path, class and TLS
    const { chart, foo } = seedChart();
    fooBuild(chart, foo, {
      triggers: [
        BuildTrigger.webhook({ type: 'GitHub', secret: 'gh', ingress: { host: 'hooks.example.com', path: '/github/foo', className: 'nginx', tlsSecret: 'hooks-tls' } }),
        BuildTrigger.webhook({ type: 'GitLab', secret: 'gl', secretKey: 'token', ingress: { host: 'hooks.example.com' } }),
        BuildTrigger.webhook({ type: 'Bitbucket', secret: 'bb' }),
        BuildTrigger.webhook({ type: 'Generic', secret: 'gen' }),
      ],
    });
    const objects = synth(chart);
    // THEN one EventListener and one TriggerTemplate, four Triggers and bindings
    expect(one(objects, 'EventListener').spec.triggers).toEqual(['foo-github', 'foo-gitlab', 'foo-bitbucket', 'foo-generic'].map((triggerRef) => ({ triggerRef })));
    expect(find(objects, 'TriggerTemplate').map((t) => t.metadata.name)).toEqual(['foo']);
    expect(find(objects, 'Trigger').map((t) => t.spec.interceptors[0].ref.name)).toEqual(['github', 'gitlab', 'bitbucket', 'github']);
    expect(one(objects, 'Trigger', 'foo-gitlab').spec.interceptors[0].params[0]).toEqual({ name: 'secretRef', value: { secretName: 'gl', secretKey: 'token' } });
    expect(find(objects, 'TriggerBinding').map((b) => b.spec.params.at(-1))).toEqual(['GitHub', 'GitLab', 'Bitbucket', 'Generic'].map((value) => ({ name: 'webhook', value })));
    // AND the Ingresses route to the listener's Service el-foo:8080
    expect(one(objects, 'Ingress', 'foo-github').spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'hooks.example.com', http: { paths: [{ path: '/github/foo', pathType: 'Exact', backend: { service: { name: 'el-foo', port: { number: 8080 } } } }] } }],
      tls: [{ hosts: ['hooks.example.com'], secretName: 'hooks-tls' }],
    });
    expect(one(objects, 'Ingress', 'foo-gitlab').spec.rules[0].http.paths[0].path).toBe('/hooks/seed/foo/gitlab');
    // AND payloads are capped and deliveries rate-limited at the Ingress (ingress-nginx)
    expect(one(objects, 'Ingress', 'foo-github').metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-body-size': '1m', 'nginx.ingress.kubernetes.io/limit-rps': '5', 'nginx.ingress.kubernetes.io/limit-burst-multiplier': '4',
    });
  });

  it('counts webhooks added after construction', () => {
    const { chart, foo } = seedChart();
    const bc = fooBuild(chart, foo);
    expect(find(synth(chart), 'EventListener')).toEqual([]);
    bc.addTrigger(BuildTrigger.webhook({ type: 'Generic', secret: 'gen' }));
    const objects = synth(chart);
    expect(one(objects, 'EventListener').spec.triggers).toEqual([{ triggerRef: 'foo-generic' }]);
    expect(one(objects, 'BuildConfig').spec.triggers).toEqual([{ type: 'Generic', generic: { secretReference: { name: 'gen' } } }]);
  });

  it('keeps derived names within what Kubernetes and Triggers accept for a long BuildConfig name', () => {
    const { chart, foo } = seedChart();
    const name = `a${'b'.repeat(61)}c`; // 63 characters, the longest a BuildConfig takes
    fooBuild(chart, foo, { name, triggers: [BuildTrigger.webhook({ type: 'Bitbucket', secret: 'bb' })] });
    const objects = synth(chart);
    const listener = one(objects, 'EventListener');
    expect(listener.metadata.name).toMatch(/^ab+-[0-9a-f]{8}$/);
    expect(`el-${listener.metadata.name}`.length).toBeLessThanOrEqual(63);
    expect(one(objects, 'Trigger').metadata.name).toMatch(/^ab+-[0-9a-f]{8}-bitbucket$/);
    expect(one(objects, 'Trigger').metadata.name.length).toBe(63);
    const run = one(objects, 'TriggerTemplate', name).spec.resourcetemplates[0];
    expect(run.metadata.generateName.length + 5).toBeLessThanOrEqual(63);
    expect(run.metadata.labels).toEqual({ 'imagestreams.dev/buildconfig': name });
  });

  it('refuses a webhook on a source without an explicit branch, naming the fix', () => {
    const { chart, foo } = seedChart();
    expect(() => fooBuild(chart, foo, {
      source: BuildSource.git({ uri: 'https://github.com/example/foo.git' }),
      triggers: [BuildTrigger.webhook({ type: 'GitHub', secret: 'gh' })],
    })).toThrowError("[seed/foo-build] a GitHub webhook trigger follows one branch, but the git source has no 'ref': set it, e.g. BuildSource.git({ uri, ref: 'main' })");
  });

  it('refuses two webhooks of one git host', () => {
    const { chart, foo } = seedChart();
    expect(() => fooBuild(chart, foo, {
      triggers: [BuildTrigger.webhook({ type: 'GitHub', secret: 'a' }), BuildTrigger.webhook({ type: 'GitHub', secret: 'b' })],
    })).toThrowError("[seed/foo-build] 'triggers' has two GitHub webhooks (secrets a and b): keep one per git host");
  });
});

describe('the documented GitHub secret setup', () => {
  it('GitHub signs the body with HMAC-SHA256 keyed by the secret typed into its form, which the Secret key must hold verbatim', () => {
    // GIVEN the test values of GitHub's "Validating webhook deliveries" page
    const secret = "It's a Secret to Everybody";
    const body = 'Hello, World!';
    // WHEN the body is signed as GitHub (and the github interceptor) computes X-Hub-Signature-256
    const header = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    // THEN it is the signature GitHub documents
    expect(header).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
    // AND a trailing newline in the Secret (echo without -n) gives another signature: the interceptor would reject every delivery
    expect(`sha256=${createHmac('sha256', `${secret}\n`).update(body).digest('hex')}`).not.toBe(header);
  });
});
