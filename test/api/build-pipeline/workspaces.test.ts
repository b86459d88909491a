import { describe, expect, it } from 'vitest';
import { pipelinePlan } from '../../../lib/api/build-pipeline/plan';
import { runWorkspaces } from '../../../lib/api/build-pipeline/workspaces';
import type { BuildConfigSpec } from '../../../lib/api/buildconfig';

const to = { kind: 'DockerImage' as const, name: 'r.io/app:1' };
const bindings = (spec: BuildConfigSpec, target = {}) => runWorkspaces(pipelinePlan(spec, { image: 'r.io/app:1', ...target }));

describe('runWorkspaces', () => {
  it('binds a fresh volume for the sources and nothing else when there are no secrets', () => {
    expect(bindings({ source: { git: { uri: 'https://h/r.git' } }, strategy: { dockerStrategy: {} }, output: { to } })).toEqual([
      { name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } },
    ]);
  });

  it('binds each secret by name to the workspace of the one step that uses it', () => {
    const spec: BuildConfigSpec = {
      source: { git: { uri: 'https://h/r.git' }, sourceSecret: { name: 'git' } },
      strategy: { sourceStrategy: { pullSecret: { name: 'pull' } } },
      output: { to, pushSecret: { name: 'push' } },
    };
    expect(bindings(spec).slice(1)).toEqual([
      { name: 'git-credentials', secret: { secretName: 'git' } },
      { name: 'dockerconfig', secret: { secretName: 'push' } },
      { name: 'pull-dockerconfig', secret: { secretName: 'pull' } },
    ]);
  });

  it("binds the source's Secrets and ConfigMaps (OpenShift's source.secrets/configMaps) each on its own workspace, and registry CAs in one projected volume", () => {
    const spec: BuildConfigSpec = {
      source: { git: { uri: 'https://h/r.git' }, secrets: [{ secret: { name: 'npmrc' }, destinationDir: 'run/npm' }], configMaps: [{ configMap: { name: 'settings' }, destinationDir: '/etc/maven/' }] },
      strategy: { dockerStrategy: {} },
      output: { to },
      registries: [{ host: 'b.io', ca: { secret: { name: 'tls', key: 'ca.crt' } } }, { host: 'a.io', ca: { configMap: { name: 'ca', key: 'pem' } } }],
    };
    expect(bindings(spec).slice(1)).toEqual([
      { name: 'registry-cas', projected: { sources: [{ configMap: { name: 'ca', items: [{ key: 'pem', path: 'a.io/ca.crt' }] } }, { secret: { name: 'tls', items: [{ key: 'ca.crt', path: 'b.io/ca.crt' }] } }] } },
      { name: 'build-input-0', secret: { secretName: 'npmrc' } },
      { name: 'build-input-1', configMap: { name: 'settings' } },
    ]);
  });

  it('binds no push Secret for a BuildConfig without output (built, not pushed)', () => {
    expect(bindings({ source: { git: { uri: 'https://h/r.git' } }, strategy: { dockerStrategy: {} } }, { pushSecret: 'registry' }).map((w) => w.name)).toEqual(['source']);
  });
});
