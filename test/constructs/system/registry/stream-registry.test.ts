import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { StreamRegistry } from '../../../../constructs/system/registry';
import { System } from '../../../../constructs/system/system';
import { formatReference, parseReference } from '../../../../lib/api/image-reference';

describe('StreamRegistry.external', () => {
  it('gives the same push and pull repository, under the path prefix, with the secrets', () => {
    // GIVEN an external registry with a path prefix and secrets
    const registry = StreamRegistry.external({ host: 'registry.example.com:5000', pathPrefix: 'org/team', pushSecret: 'push-creds', pullSecret: 'pull-creds' });
    // WHEN a stream asks for its repository
    const repo = registry.repositoryFor('apps', 'foo');
    // THEN it is host/prefix/namespace/stream, secure, with both secrets
    expect(repo).toEqual({
      push: 'registry.example.com:5000/org/team/apps/foo',
      pull: 'registry.example.com:5000/org/team/apps/foo',
      insecure: false,
      pushSecret: 'push-creds',
      pullSecret: 'pull-creds',
    });
    expect(registry.kind).toBe('External');
  });

  it('gives references the runtime parses back to the same registry and repository', () => {
    const repo = StreamRegistry.external({ host: 'registry.example.com', pathPrefix: 'team' }).repositoryFor('apps', 'foo');
    const ref = parseReference(`${repo.push}@sha256:${'c'.repeat(64)}`);
    expect(ref).toEqual({ registry: 'registry.example.com', repository: 'team/apps/foo', digest: `sha256:${'c'.repeat(64)}` });
    expect(formatReference(parseReference(`${repo.pull}:latest`))).toBe('registry.example.com/team/apps/foo:latest');
  });

  it('without a prefix or secrets, leaves them out; insecure when told', () => {
    const repo = StreamRegistry.external({ host: 'harbor.local:8443', insecure: true }).repositoryFor('ns', 's');
    expect(repo).toEqual({ push: 'harbor.local:8443/ns/s', pull: 'harbor.local:8443/ns/s', insecure: true });
  });

  it('is usable without a System, and setting it on one emits nothing', () => {
    const registry = StreamRegistry.external({ host: 'registry.example.com' });
    const system = new System(Testing.app(), 'imagestreams', { registry });
    expect(system.registry).toBe(registry);
    expect(Testing.synth(system).filter((o) => o.kind === 'Deployment' || o.kind === 'PersistentVolumeClaim')).toEqual([]);
  });

  it('checks each prop early, with the prop, the value and the fix', () => {
    expect(() => StreamRegistry.external({ host: 'https://registry.example.com' })).toThrowError(
      "'host' (https://registry.example.com) must be a registry host with an optional port, like registry.example.com or registry.example.com:5000: no scheme, path or user",
    );
    expect(() => StreamRegistry.external({ host: 'r.example.com', pathPrefix: '/team' })).toThrowError("'pathPrefix' (/team) must be repository path components separated by '/'");
    expect(() => StreamRegistry.external({ host: 'r.example.com', pushSecret: 'Push' })).toThrowError("'pushSecret' (Push) must be the name of a Secret");
    expect(() => StreamRegistry.external({ host: 'r.example.com', pullSecret: 'a b' })).toThrowError("'pullSecret' (a b) must be the name of a Secret");
  });
});

describe('StreamRegistry.inCluster', () => {
  it('pushes through cluster DNS and pulls through localhost:<nodePort>, both plain http', () => {
    // GIVEN the in-cluster registry on a System in namespace 'platform'
    const registry = StreamRegistry.inCluster({ nodePort: 31500 });
    const system = new System(Testing.app(), 'imagestreams', { namespace: 'platform', registry });
    // WHEN a stream asks for its repository
    const repo = system.registry!.repositoryFor('apps', 'foo');
    // THEN builds push to the ClusterIP Service and nodes pull from the NodePort on localhost
    expect(repo).toEqual({
      push: 'imagestreams-registry.platform.svc:5000/apps/foo', pull: 'localhost:31500/apps/foo', insecure: true,
      pushSecret: 'imagestreams-registry', pullSecret: 'imagestreams-registry',
    });
    expect(registry.kind).toBe('InCluster');
  });

  it('without nodePort or pullHost, nodes pull from the Service\'s own name, as OpenShift\'s nodes do', () => {
    const registry = StreamRegistry.inCluster();
    new System(Testing.app(), 'imagestreams', { namespace: 'platform', registry });
    const repo = registry.repositoryFor('apps', 'foo');
    expect(repo.pull).toBe(repo.push);
    expect(repo.pull).toBe('imagestreams-registry.platform.svc:5000/apps/foo');
  });

  it('names its credentials Secret for each namespace that asks, and its Job makes it exactly there', () => {
    // GIVEN the in-cluster registry and an external one
    const registry = StreamRegistry.inCluster();
    const app = Testing.app();
    const system = new System(app, 'imagestreams', { registry });
    const external = StreamRegistry.external({ host: 'r.example.com', pushSecret: 'push', pullSecret: 'pull' });
    // WHEN builds in 'builds' and workloads in 'web' ask for its Secrets
    expect(registry.pushSecretIn('builds')).toBe('imagestreams-registry');
    expect(registry.pullSecretIn('web')).toBe('imagestreams-registry');
    expect([external.pushSecretIn('builds'), external.pullSecretIn('web')]).toEqual(['push', 'pull']);
    // THEN the credentials Job makes the Secret in those two namespaces, for both addresses
    const job = Testing.synth(system).find((o) => o.kind === 'Job');
    const command: string[] = job.spec.template.spec.containers[0].command;
    const arg = (flag: string) => command[command.indexOf(flag) + 1];
    expect(arg('--namespaces')).toBe('builds,web');
    expect(arg('--hosts')).toBe('imagestreams-registry.imagestreams-system.svc:5000');
    expect(arg('--auth-secret')).toBe('imagestreams-registry-auth');
    expect(arg('--docker-config-secret')).toBe('imagestreams-registry');
  });

  it('gives push and pull references the runtime parses, both naming the same repository path', () => {
    const registry = StreamRegistry.inCluster({ nodePort: 32000 });
    new System(Testing.app(), 'imagestreams', { registry });
    const repo = registry.repositoryFor('team-a', 'jdk8');
    const digest = `sha256:${'d'.repeat(64)}`;
    expect(parseReference(`${repo.push}@${digest}`)).toEqual({ registry: 'imagestreams-registry.imagestreams-system.svc:5000', repository: 'team-a/jdk8', digest });
    expect(parseReference(`${repo.pull}@${digest}`)).toEqual({ registry: 'localhost:32000', repository: 'team-a/jdk8', digest });
  });

  it('pulls from pullHost when given (clusters where localhost NodePorts do not work)', () => {
    const registry = StreamRegistry.inCluster({ pullHost: 'registry.nodes.internal:32000' });
    new System(Testing.app(), 'imagestreams', { registry });
    expect(registry.repositoryFor('ns', 's').pull).toBe('registry.nodes.internal:32000/ns/s');
    expect(() => StreamRegistry.inCluster({ pullHost: 'http://x:1' })).toThrowError("'pullHost' (http://x:1) must be a registry host with an optional port");
  });

  it('has no address before it is set on a System', () => {
    expect(() => StreamRegistry.inCluster().repositoryFor('ns', 's')).toThrowError(
      "repositoryFor: the in-cluster registry's address depends on the System's namespace: set it on a System first, `new System(app, 'imagestreams', { registry })`",
    );
  });

  it('refuses to be set on a second System', () => {
    const registry = StreamRegistry.inCluster();
    new System(Testing.app(), 'first', { registry });
    expect(() => new System(Testing.app(), 'second', { registry })).toThrowError(
      "[second] this StreamRegistry.inCluster() is already set on the System at 'first': call StreamRegistry.inCluster() once per System",
    );
  });

  it('checks each prop early, with the prop, the value and the fix', () => {
    expect(() => StreamRegistry.inCluster({ nodePort: 5000 })).toThrowError(
      "'nodePort' (5000) must be an integer in 30000-32767, the default NodePort range of kube-apiserver (--service-node-port-range)",
    );
    expect(() => StreamRegistry.inCluster({ image: 'registry' })).toThrowError(
      "'image' (registry) has no tag or digest: pin a version, e.g. docker.io/library/registry:2.8.3, or a digest",
    );
    expect(() => StreamRegistry.inCluster({ storageClassName: 'SSD' })).toThrowError("'storageClassName' (SSD) must be the name of a StorageClass");
  });

  it('is recognised across package copies by its brand, not by instanceof', () => {
    expect(StreamRegistry.isStreamRegistry(StreamRegistry.inCluster())).toBe(true);
    expect(StreamRegistry.isStreamRegistry({ kind: 'InCluster', repositoryFor: () => undefined })).toBe(false);
    expect(StreamRegistry.isStreamRegistry({ [Symbol.for('cdk8s-imagestreams.StreamRegistry')]: true })).toBe(true);
  });
});

describe('System without a registry', () => {
  it('has none and emits no registry objects', () => {
    const system = new System(Testing.app(), 'imagestreams');
    expect(system.registry).toBeUndefined();
    expect(Testing.synth(system).map((o) => o.kind)).not.toContain('Deployment');
  });
});
