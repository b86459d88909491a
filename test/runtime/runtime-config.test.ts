import { describe, expect, it } from 'vitest';
import { runtimeKubeConfig } from '../../lib/runtime/runtime-config';
import { useTestKube } from '../support/kube';

describe('runtimeKubeConfig', () => {
  const cluster = useTestKube('runtime-config');

  it('reads the kubeconfig named by IMAGESTREAMS_KUBECONFIG', async () => {
    const config = await runtimeKubeConfig({ IMAGESTREAMS_KUBECONFIG: cluster.kubeconfigPath });
    expect(config.server).toBe(cluster.cluster.url);
    expect(config.namespace).toBe(cluster.namespace);
    expect(String(config.ca)).toBe(cluster.cluster.caPem);
  });

  it("uses the pod's service account otherwise", async () => {
    await expect(runtimeKubeConfig({})).rejects.toThrowError('not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set');
  });
});
