import { describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  credentialsFor,
  dockerConfigFromSecret,
  parseDockerConfig,
} from '../../../lib/runtime/registry/auth';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function secret(config: object) {
  return {
    metadata: { name: 'pull' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify(config)) },
  };
}

describe('dockerConfigFromSecret + credentialsFor', () => {
  it('finds Docker Hub credentials under the https://index.docker.io/v1/ key from the `auth` field', () => {
    // GIVEN a secret as `kubectl create secret docker-registry` writes it for Docker Hub
    const config = dockerConfigFromSecret(secret({ auths: { 'https://index.docker.io/v1/': { auth: b64('hub:p:w') } } }));
    // WHEN credentials are looked up for docker.io THEN the password keeps its ':'
    expect(credentialsFor(config, 'docker.io')).toEqual({ username: 'hub', password: 'p:w' });
    expect(credentialsFor(config, 'index.docker.io')).toEqual({ username: 'hub', password: 'p:w' });
  });

  it('matches hosts with ports and URL-shaped keys, using username/password when there is no auth', () => {
    // GIVEN entries for several registries
    const config = dockerConfigFromSecret(secret({
      auths: {
        'http://127.0.0.1:5000/v2/': { username: 'local', password: 'one' },
        'quay.io': { auth: b64('q:two'), username: 'ignored', password: 'ignored' },
        'ghcr.io': {},
      },
    }));
    // WHEN looked up THEN each host gets its own entry and unknown ones get none
    expect(credentialsFor(config, '127.0.0.1:5000')).toEqual({ username: 'local', password: 'one' });
    expect(credentialsFor(config, 'quay.io')).toEqual({ username: 'q', password: 'two' });
    expect(credentialsFor(config, 'ghcr.io')).toBeUndefined();
    expect(credentialsFor(config, '127.0.0.1:5001')).toBeUndefined();
    expect(credentialsFor(config, 'docker.io')).toBeUndefined();
  });

  it('rejects secrets without the key, without JSON, or without auths', () => {
    expect(() => dockerConfigFromSecret({ metadata: { name: 's' }, data: {} })).toThrowError(
      'secret "s" has no ".dockerconfigjson" key',
    );
    expect(() => dockerConfigFromSecret({ metadata: { name: 's' }, data: { '.dockerconfigjson': b64('{') } })).toThrowError(
      /^secret "s" is not valid JSON( \(at character \d+\))?: its content is not shown, it holds credentials$/,
    );
    // V8 would quote the text around the error: the password must not reach a log
    expect(() => dockerConfigFromSecret({ metadata: { name: 's' }, data: { '.dockerconfigjson': b64('{"auths": {"r": {"password": hunter2secret}}}') } })).toThrowError(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2secret') }),
    );
    expect(() => parseDockerConfig('{"credsStore":"x"}', 'config.json')).toThrowError('config.json has no "auths" object');
  });
});

describe('basicAuthorization', () => {
  it('encodes user:password', () => {
    expect(basicAuthorization({ username: 'a', password: 'b' })).toBe('Basic YTpi');
  });
});
