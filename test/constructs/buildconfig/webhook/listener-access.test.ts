import { describe, expect, it } from 'vitest';
import { BuildTrigger } from '../../../../constructs/buildconfig';
import { find, fooBuild, seedChart, synth } from './fixture';

describe('WebhookListenerAccess', () => {
  it('gives the EventListeners of a namespace one ServiceAccount bound to the Tekton Triggers roles only', () => {
    // GIVEN two BuildConfigs with webhooks in namespace seed
    const { chart, foo } = seedChart();
    fooBuild(chart, foo, { triggers: [BuildTrigger.webhook({ type: 'GitHub', secret: 'a' })] });
    fooBuild(chart, foo, { name: 'bar', triggers: [BuildTrigger.webhook({ type: 'GitLab', secret: 'b' })] }, 'bar-build');
    // WHEN synthesized
    const objects = synth(chart);
    // THEN one ServiceAccount, one RoleBinding and one ClusterRoleBinding, to Tekton's ClusterRoles
    const subjects = [{ kind: 'ServiceAccount', name: 'imagestreams-webhooks', namespace: 'seed' }];
    expect(find(objects, 'ServiceAccount', 'imagestreams-webhooks').map((o) => o.metadata.namespace)).toEqual(['seed']);
    const [binding] = find(objects, 'RoleBinding', 'imagestreams-webhooks');
    expect(binding).toMatchObject({ metadata: { namespace: 'seed' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'tekton-triggers-eventlistener-roles' }, subjects });
    const clusterBindings = find(objects, 'ClusterRoleBinding');
    expect(clusterBindings).toHaveLength(1);
    expect(clusterBindings[0]).toMatchObject({ roleRef: { kind: 'ClusterRole', name: 'tekton-triggers-eventlistener-clusterroles' }, subjects });
    // AND the cluster-scoped binding has no namespace, and a name unique to the namespace
    expect(clusterBindings[0].metadata).not.toHaveProperty('namespace');
    expect(clusterBindings[0].metadata.name).toBe('imagestreams-webhooks-seed');
    // AND no Role or ClusterRole of ours
    expect(find(objects, 'Role')).toEqual([]);
    expect(find(objects, 'ClusterRole')).toEqual([]);
    expect(find(objects, 'EventListener').map((l) => l.spec.serviceAccountName)).toEqual(['imagestreams-webhooks', 'imagestreams-webhooks']);
  });

  it('is not emitted without webhooks', () => {
    const { chart, foo } = seedChart();
    fooBuild(chart, foo);
    expect(find(synth(chart), 'ServiceAccount', 'imagestreams-webhooks')).toEqual([]);
  });
});
