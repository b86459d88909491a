import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../../lib/runtime/registry/challenge';

describe('parseChallenges', () => {
  it('reads a distribution Bearer challenge', () => {
    // GIVEN the challenge a token-auth registry sends WHEN parsed THEN realm, service and scope are read
    const value = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"';
    expect(parseChallenges(value)).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull' },
      },
    ]);
  });

  it('splits several challenges joined by commas and lowercases schemes and names', () => {
    // GIVEN two challenges as node joins repeated headers, with spaces and a token value
    const value = 'Basic realm="x, y", BEARER Realm = "https://a/t" , service=svc,error="invalid_token"';
    // WHEN parsed THEN each challenge keeps its own parameters
    expect(parseChallenges(value)).toEqual([
      { scheme: 'basic', params: { realm: 'x, y' } },
      { scheme: 'bearer', params: { realm: 'https://a/t', service: 'svc', error: 'invalid_token' } },
    ]);
  });

  it('unescapes quoted-pairs and tolerates a bare scheme or garbage', () => {
    expect(parseChallenges('Basic realm="a\\"b\\\\c"')).toEqual([{ scheme: 'basic', params: { realm: 'a"b\\c' } }]);
    expect(parseChallenges('Negotiate')).toEqual([{ scheme: 'negotiate', params: {} }]);
    expect(parseChallenges('')).toEqual([]);
    expect(parseChallenges('Basic realm="x" @@@')).toEqual([{ scheme: 'basic', params: { realm: 'x' } }]);
  });
});
