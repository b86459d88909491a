import { describe, expect, it } from 'vitest';
import { uniqueNamespace, useCluster } from './index';

// What proves the harness runs the real control plane, not a stand-in: each of these fails on a
// server that lacks the component named.

const cluster = useCluster();

const restrictedContainer = {
  name: 'app',
  image: 'registry.example/app:1',
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 1000,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
};

function configMap(name: string, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { k: 'v' } };
}

describe('the test cluster', () => {
  it('is kube-apiserver 1.34 built from our Go module, and the built kubectl talks to it', async () => {
    const version = await cluster.api('GET', '/version', { token: null });
    expect(version.gitVersion).toMatch(/^v1\.34\.\d+$/);
    expect(version).toMatchObject({ major: '1', minor: '34', gitTreeState: 'clean' });

    const { stdout } = await cluster.kubectl(['version', '--output=json']);
    const both = JSON.parse(stdout);
    expect(both.serverVersion.gitVersion).toBe(version.gitVersion);
    expect(both.clientVersion.gitVersion).toBe(version.gitVersion);
  });

  it('authorizes with RBAC: a user without bindings is refused, a RoleBinding grants exactly its Role', async () => {
    const ns = await uniqueNamespace('rbac');
    const secrets = `/api/v1/namespaces/${ns}/secrets`;
    const asMallory = await cluster.request('GET', secrets, { token: cluster.userToken('mallory') });
    expect(asMallory.status).toBe(403);
    expect(asMallory.body.message).toContain('User "mallory" cannot list resource "secrets"');
    expect((await cluster.request('GET', secrets)).status).toBe(200);

    await cluster.api('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
      body: { metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] },
    });
    await cluster.api('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      body: {
        metadata: { name: 'alice-reads-secrets' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
      },
    });
    const alice = cluster.userToken('alice');
    expect((await cluster.request('GET', secrets, { token: alice })).status).toBe(200);
    expect((await cluster.request('GET', `/api/v1/namespaces/${ns}/configmaps`, { token: alice })).status).toBe(403);
    expect((await cluster.request('GET', secrets, { token: cluster.userToken('mallory') })).status).toBe(403);

    // kubectl, with a kubeconfig of mallory's, is refused too.
    const can = await cluster
      .kubectl(['auth', 'can-i', 'list', 'secrets', '-n', ns], { kubeconfig: cluster.kubeconfigFor(cluster.userToken('mallory')) })
      .catch((e: { stdout: string }) => e);
    expect(can.stdout.trim()).toBe('no');
  });

  it('authenticates only the tokens it knows', async () => {
    const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
    const mallory = await cluster.api('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      token: cluster.userToken('mallory'),
      body: review,
    });
    expect(mallory.status.userInfo.username).toBe('mallory');
    expect(mallory.status.userInfo.groups).toEqual(['system:authenticated']);
    const forged = await cluster.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { token: 'not-a-token', body: review });
    expect(forged.status).toBe(401);
  });

  it('tokenFor returns a TokenRequest token that authenticates as the ServiceAccount', async () => {
    const ns = await uniqueNamespace('token');
    await cluster.api('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { metadata: { name: 'robot' } } });
    const token = await cluster.tokenFor(ns, 'robot');
    const review = await cluster.api('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      token,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(review.status.userInfo.username).toBe(`system:serviceaccount:${ns}:robot`);
    expect(review.status.userInfo.groups).toEqual(
      expect.arrayContaining(['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated']),
    );
    // The ServiceAccount has no bindings: RBAC refuses it like any other subject.
    expect((await cluster.request('GET', `/api/v1/namespaces/${ns}/secrets`, { token })).status).toBe(403);
  });

  it('enforces Pod Security admission on a namespace labelled restricted', async () => {
    const ns = await uniqueNamespace('psa', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    const pod = (name: string, container: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { containers: [container] },
    });
    const refused = await cluster.request('POST', `/api/v1/namespaces/${ns}/pods`, {
      body: pod('privileged', { name: 'app', image: 'registry.example/app:1', securityContext: { privileged: true } }),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('violates PodSecurity "restricted:latest"');
    expect(refused.body.message).toContain('privileged');

    const admitted = await cluster.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod('restricted', restrictedContainer) });
    expect(admitted.status).toBe(201);
    // No kubelet, no scheduler: it stays Pending.
    expect(admitted.body.status.phase).toBe('Pending');
  });

  it('collects garbage: deleting an owner deletes its dependents (kube-controller-manager)', async () => {
    const ns = await uniqueNamespace('gc');
    const owner = await cluster.api('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMap('owner') });
    await cluster.api('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      body: configMap('dependent', {
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }],
      }),
    });
    await cluster.api('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMap('bystander') });
    await cluster.api('DELETE', `/api/v1/namespaces/${ns}/configmaps/owner`);
    await cluster.waitFor(
      'the dependent ConfigMap to be collected',
      async () => (await cluster.request('GET', `/api/v1/namespaces/${ns}/configmaps/dependent`)).status === 404,
    );
    expect((await cluster.request('GET', `/api/v1/namespaces/${ns}/configmaps/bystander`)).status).toBe(200);
  });

  it("runs the Job controller: a Job's Pod is created for it (and stays Pending)", async () => {
    const ns = await uniqueNamespace('job');
    const job = await cluster.api('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, {
      body: {
        metadata: { name: 'once' },
        spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [restrictedContainer] } } },
      },
    });
    let pods: any[] = [];
    await cluster.waitFor('the Job controller to create a Pod', async () => {
      pods = (await cluster.api('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=batch.kubernetes.io/job-name=once`)).items;
      return pods.length > 0;
    });
    expect(pods).toHaveLength(1);
    expect(pods[0].metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Job', name: 'once', uid: job.metadata.uid, controller: true }),
    ]);
    expect(pods[0].status.phase).toBe('Pending');
    expect(pods[0].spec.nodeName).toBeUndefined();
  });

  it('finalizes a deleted namespace and its contents (namespace controller)', async () => {
    const ns = await uniqueNamespace('doomed');
    await cluster.api('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMap('inside') });
    await cluster.api('DELETE', `/api/v1/namespaces/${ns}`);
    // Refused while Terminating: the NamespaceLifecycle admission plugin.
    const late = await cluster.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMap('late') });
    expect(late.status).toBe(403);
    expect(late.body.message).toContain('because it is being terminated');
    await cluster.waitFor(
      `namespace ${ns} to be gone`,
      async () => (await cluster.request('GET', `/api/v1/namespaces/${ns}`)).status === 404,
      60_000,
    );
  });
});
