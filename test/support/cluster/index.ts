import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { beforeAll, inject } from 'vitest';
import { ClusterClient, type ClusterInfo } from './client';
/**
 * The run's real cluster (see global-setup.ts), from tests:
 *
 *   const cluster = useCluster();            // in a describe block (or at the top of a file)
 *   it('…', async () => {
 *     const ns = await uniqueNamespace('gc');
 *     await cluster.kubectl(['apply', '-n', ns, '-f', '-'], { input: yaml });
 *   });
 */

export { ApiError, ClusterClient, KubectlError, type ClusterInfo, type KubectlResult } from './client';

let client: Promise<ClusterClient> | undefined;

/** The run's cluster (started on the first call of the run); fails when it can't be started. */
export function getCluster(): Promise<ClusterClient> {
  client ??= askBroker().then((info) => new ClusterClient(info));
  // A failed start is reported to every caller alike, not retried per test.
  return client;
}

/**
 * The run's cluster for the tests of this block: started (or joined) in beforeAll, read inside
 * tests and hooks.
 */
export function useCluster(): ClusterClient {
  let ready: ClusterClient | undefined;
  beforeAll(async () => {
    ready = await getCluster();
  });
  return new Proxy({} as ClusterClient, {
    get(_, property) {
      if (!ready) throw new Error(`useCluster(): read .${String(property)} inside tests or hooks (the cluster starts in beforeAll)`);
      const value = Reflect.get(ready, property, ready);
      return typeof value === 'function' ? value.bind(ready) : value;
    },
  });
}

let namespaces = 0;

/**
 * A fresh namespace for one test (`<prefix>-<n>-<random>`), with `labels`; its `default`
 * ServiceAccount exists when this resolves. Tests isolate themselves by namespace; namespaces are
 * left to die with the cluster.
 */
export async function uniqueNamespace(prefix: string, labels: Record<string, string> = {}): Promise<string> {
  const cluster = await getCluster();
  const base = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'test';
  const name = `${base}-${++namespaces}-${randomBytes(3).toString('hex')}`;
  return cluster.createNamespace(name, labels);
}

function askBroker(): Promise<ClusterInfo> {
  const broker = inject('imagestreamsClusterBroker');
  if (!broker) {
    return Promise.reject(new Error('no cluster broker: register test/support/cluster/global-setup.ts as a vitest globalSetup'));
  }
  return new Promise((resolve, reject) => {
    const req = http.get(`${broker.url}/cluster`, { headers: { authorization: `Bearer ${broker.secret}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          const body = JSON.parse(text);
          if (res.statusCode === 200) resolve(body as ClusterInfo);
          else reject(new Error(`the test cluster did not start: ${body.error ?? text}`));
        } catch {
          reject(new Error(`the cluster broker answered ${res.statusCode}: ${text}`));
        }
      });
    });
    req.on('error', reject);
  });
}
