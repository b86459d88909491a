import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInClusterConfig } from '../../../lib/runtime/kube/config';

describe('loadInClusterConfig', () => {
  let dir: string;
  const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-sa-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads server, CA, namespace and token of the service account', async () => {
    // GIVEN a service-account folder as the kubelet mounts it
    writeFileSync(join(dir, 'token'), 'sa-token-1\n');
    writeFileSync(join(dir, 'ca.crt'), 'CA PEM');
    writeFileSync(join(dir, 'namespace'), 'imagestreams-system');
    // WHEN
    const config = loadInClusterConfig({ env, serviceAccountDir: dir });
    // THEN
    expect(config.server).toBe('https://10.96.0.1:443');
    expect(config.namespace).toBe('imagestreams-system');
    expect(String(config.ca)).toBe('CA PEM');
    expect(await config.credentials?.authorization()).toBe('Bearer sa-token-1');
  });

  it('follows a rotated token after a 401, and after tokenMaxAgeMs', async () => {
    writeFileSync(join(dir, 'token'), 'old');
    const cached = loadInClusterConfig({ env, serviceAccountDir: dir }).credentials!;
    const uncached = loadInClusterConfig({ env, serviceAccountDir: dir, tokenMaxAgeMs: 0 }).credentials!;
    await cached.authorization();
    await uncached.authorization();
    // WHEN the kubelet rotates the token
    writeFileSync(join(dir, 'token'), 'new');
    // THEN
    expect(await cached.authorization()).toBe('Bearer old');
    expect(await uncached.authorization()).toBe('Bearer new');
    cached.invalidate();
    expect(await cached.authorization()).toBe('Bearer new');
  });

  it('brackets an IPv6 service host and defaults the namespace', () => {
    const config = loadInClusterConfig({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' }, serviceAccountDir: dir });
    expect(config.server).toBe('https://[fd00::1]:6443');
    expect(config.namespace).toBe('default');
  });

  it('fails outside a cluster', () => {
    expect(() => loadInClusterConfig({ env: {}, serviceAccountDir: dir })).toThrowError(
      'not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set',
    );
  });
});
