import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/runtime/kube/load-config';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-load-'));
    writeFileSync(
      join(dir, 'config'),
      JSON.stringify({ clusters: [{ name: 'c', cluster: { server: 'http://from-kubeconfig' } }], contexts: [{ name: 'c', context: { cluster: 'c' } }], 'current-context': 'c' }),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is in-cluster when KUBERNETES_SERVICE_HOST is set', () => {
    const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443', KUBECONFIG: join(dir, 'config') };
    expect(loadConfig(env).server).toBe('https://10.0.0.1:443');
  });

  it('reads the kubeconfig otherwise (JSON is YAML too)', () => {
    expect(loadConfig({ KUBECONFIG: join(dir, 'config') }).server).toBe('http://from-kubeconfig');
  });
});
