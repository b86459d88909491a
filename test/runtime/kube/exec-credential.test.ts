import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execCredentials } from '../../../lib/runtime/kube/exec-credential';

/**
 * Writes a credential plugin that appends its args, an env var and KUBERNETES_EXEC_INFO to a log
 * (one line per run) and prints an ExecCredential with the given status.
 */
function writePlugin(dir: string, apiVersion: string, status: object, exitCode = 0): string {
  const path = join(dir, 'plugin.sh');
  const credential = JSON.stringify({ apiVersion, kind: 'ExecCredential', status });
  writeFileSync(
    path,
    [
      '#!/bin/sh',
      `echo "$* $PLUGIN_REGION $KUBERNETES_EXEC_INFO" >> "${join(dir, 'runs.log')}"`,
      exitCode ? `echo "token expired, run login" >&2; exit ${exitCode}` : `echo '${credential}'`,
    ].join('\n'),
  );
  chmodSync(path, 0o755);
  return path;
}

const runs = (dir: string) => readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n');

describe('execCredentials', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-exec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the plugin with args, env and KUBERNETES_EXEC_INFO, and caches the token until it expires', async () => {
    // GIVEN a v1 plugin whose token expires at 12:00
    const command = writePlugin(dir, 'client.authentication.k8s.io/v1', { token: 'tok-1', expirationTimestamp: '2030-01-01T12:00:00Z' });
    let clock = Date.parse('2030-01-01T11:00:00Z');
    const config = { apiVersion: 'client.authentication.k8s.io/v1', command, args: ['get-token', '--cluster', 'c1'], env: [{ name: 'PLUGIN_REGION', value: 'eu' }] };
    const credentials = execCredentials(config, { now: () => clock });
    // WHEN asked twice before expiry, and once after
    expect(await credentials.authorization()).toBe('Bearer tok-1');
    expect(await credentials.authorization()).toBe('Bearer tok-1');
    expect(runs(dir)).toHaveLength(1);
    clock = Date.parse('2030-01-01T12:00:00Z');
    await credentials.authorization();
    // THEN it ran once per token, with what kubectl passes
    expect(runs(dir)).toEqual([
      'get-token --cluster c1 eu {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}',
      'get-token --cluster c1 eu {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}',
    ]);
  });

  it('keeps a token without expiry until invalidate() (a 401)', async () => {
    const command = writePlugin(dir, 'client.authentication.k8s.io/v1beta1', { token: 'forever' });
    const credentials = execCredentials({ apiVersion: 'client.authentication.k8s.io/v1beta1', command });
    await credentials.authorization();
    await credentials.authorization();
    expect(runs(dir)).toHaveLength(1);
    credentials.invalidate();
    expect(await credentials.authorization()).toBe('Bearer forever');
    expect(runs(dir)).toHaveLength(2);
  });

  it('runs the plugin once for concurrent requests', async () => {
    const command = writePlugin(dir, 'client.authentication.k8s.io/v1', { token: 't' });
    const credentials = execCredentials({ apiVersion: 'client.authentication.k8s.io/v1', command });
    await Promise.all([credentials.authorization(), credentials.authorization(), credentials.authorization()]);
    expect(runs(dir)).toHaveLength(1);
  });

  it('fails with the plugin stderr when it exits non-zero', async () => {
    const command = writePlugin(dir, 'client.authentication.k8s.io/v1', {}, 3);
    const credentials = execCredentials({ apiVersion: 'client.authentication.k8s.io/v1', command });
    await expect(credentials.authorization()).rejects.toThrowError(`exec credential plugin '${command}' failed: token expired, run login`);
  });

  it('rejects an ExecCredential of another apiVersion than configured', async () => {
    const command = writePlugin(dir, 'client.authentication.k8s.io/v1beta1', { token: 't' });
    const credentials = execCredentials({ apiVersion: 'client.authentication.k8s.io/v1', command });
    await expect(credentials.authorization()).rejects.toThrowError(
      `exec credential plugin '${command}' must print an ExecCredential of apiVersion 'client.authentication.k8s.io/v1', got ExecCredential client.authentication.k8s.io/v1beta1`,
    );
  });

  it('rejects an ExecCredential without a token', async () => {
    const command = writePlugin(dir, 'client.authentication.k8s.io/v1', { clientCertificateData: 'x' });
    const credentials = execCredentials({ apiVersion: 'client.authentication.k8s.io/v1', command });
    await expect(credentials.authorization()).rejects.toThrowError(
      `exec credential plugin '${command}' returned no status.token (client certificates are not supported)`,
    );
  });
});
