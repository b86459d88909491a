/** The stand-in Kubernetes API server for tests: start one, point kubectl or a client at it. */
import { AddressInfo } from 'node:net';
import { ResourceHandler } from './handlers';
import { writeKubeconfig } from './kubeconfig';
import { Lister } from './list';
import { Objects } from './objects';
import { ResourceRegistry } from './registry';
import { createApiHttpServer } from './server';
import { Store } from './store';
import { Watches } from './watch';

export interface ApiServer {
  url: string;
  port: number;
  /** A kubeconfig file in a temp dir pointing at url: context 'stand-in', namespace 'default'. */
  kubeconfigPath: string;
  close(): Promise<void>;
  /** Test hooks. */
  store: Store;
  /** The object verbs behind the HTTP layer (create/update/patch/delete with kube's rules). */
  objects: Objects;
  /** Makes every older resourceVersion (watch resume, continue tokens) answer 410 Gone. */
  expireWatchHistory(): void;
  /** The server closes every open watch stream, so clients must reconnect. */
  closeAllWatches(): void;
}

export interface ApiServerOptions {
  /** Events kept for watch resume. @default 1000 */
  historyWindow?: number;
  /** How often watches with allowWatchBookmarks get a BOOKMARK. @default 60000 */
  bookmarkIntervalMs?: number;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startApiServer(opts: ApiServerOptions = {}): Promise<ApiServer> {
  const store = new Store(opts.historyWindow ?? 1000);
  const registry = new ResourceRegistry();
  const objects = new Objects(store, registry);
  const lister = new Lister(store);
  const watches = new Watches(store, opts.bookmarkIntervalMs ?? 60_000);
  const nsType = registry.get('namespaces');
  for (const name of SYSTEM_NAMESPACES) {
    if (nsType) objects.create({ type: nsType, version: 'v1', namespace: '', part: 'main' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { manager: 'kube-apiserver' });
  }
  const server = createApiHttpServer({ registry, handler: new ResourceHandler(objects, lister, watches) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const kubeconfig = writeKubeconfig(url);
  return {
    url,
    port,
    kubeconfigPath: kubeconfig.path,
    store,
    objects,
    expireWatchHistory: () => {
      store.expireHistory();
      lister.expire();
    },
    closeAllWatches: () => watches.closeAll(),
    close: async () => {
      watches.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      kubeconfig.remove();
    },
  };
}

export type { Store } from './store';
export type { KubeObject, ResourceType } from './types';
export type { Status } from './errors';
