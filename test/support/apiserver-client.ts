import { afterAll, beforeAll } from 'vitest';
import { createClient, type KubeClient } from '../../lib/runtime/kube/client';
import { startApiServer, type ApiServer } from './apiserver';

/**
 * A stand-in API server and our client on it, for the tests of one describe block: started before
 * them, closed after. Read `.api` and `.kube` inside tests (they are set in beforeAll).
 */
export function useStandIn(): { readonly api: ApiServer; readonly kube: KubeClient } {
  const fixture = {} as { api: ApiServer; kube: KubeClient };
  beforeAll(async () => {
    fixture.api = await startApiServer();
    fixture.kube = createClient({ server: fixture.api.url, namespace: 'default' });
  });
  afterAll(async () => {
    fixture.kube?.close();
    await fixture.api?.close();
  });
  return fixture;
}
