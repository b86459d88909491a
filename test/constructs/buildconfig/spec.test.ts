import { describe, expect, it } from 'vitest';
import { BuildSource, BuildStrategy } from '../../../constructs/buildconfig';
import { buildWorkspaces } from '../../../constructs/buildconfig/spec';

describe('buildWorkspaces', () => {
  it('binds a fresh volume for the sources and nothing else when there are no secrets', () => {
    expect(buildWorkspaces({ source: BuildSource.git({ uri: 'https://h/r.git' }), strategy: BuildStrategy.dockerfile() })).toEqual([
      { name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } },
    ]);
  });

  it('binds each secret by name to the workspace of the one step that uses it', () => {
    const bindings = buildWorkspaces({
      source: BuildSource.git({ uri: 'https://h/r.git', sourceSecret: 'git' }),
      strategy: BuildStrategy.sourceToImage({ pullSecret: 'pull' }),
      pushSecret: 'push',
    });
    expect(bindings.slice(1)).toEqual([
      { name: 'git-credentials', secret: { secretName: 'git' } },
      { name: 'dockerconfig', secret: { secretName: 'push' } },
      { name: 'pull-dockerconfig', secret: { secretName: 'pull' } },
    ]);
  });
});
