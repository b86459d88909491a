import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeKubeConfig } from '../../lib/runtime/runtime-config';
import { startApiServer, type ApiServer } from '../support/apiserver';

describe('runtimeKubeConfig', () => {
  let api: ApiServer;
  beforeAll(async () => (api = await startApiServer()));
  afterAll(async () => api?.close());

  it('reads the kubeconfig named by IMAGESTREAMS_KUBECONFIG', async () => {
    const config = await runtimeKubeConfig({ IMAGESTREAMS_KUBECONFIG: api.kubeconfigPath });
    expect(config.server).toBe(api.url);
    expect(config.namespace).toBe('default');
  });

  it("uses the pod's service account otherwise", async () => {
    await expect(runtimeKubeConfig({})).rejects.toThrowError('not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set');
  });
});
