import { createClient, type KubeClient } from '../../runtime/kube/client';
import { createTransport, type HttpTransport } from '../../runtime/kube/http';
import { loadKubeconfig } from '../../runtime/kube/kubeconfig';
import type { CliIO } from '../io';
import { UsageError } from '../usage';
import { BuildError } from './errors';

export interface ClusterOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** -n; absent means the context's namespace. */
  readonly namespace?: string;
  /** For the message when the cluster fails: "cannot <doing> on the cluster at …". */
  readonly doing: string;
}

/** What a build command talks to: the API client, the raw transport (pod logs are text, not JSON), the namespace. */
export interface Cluster {
  readonly kube: KubeClient;
  readonly transport: HttpTransport;
  readonly namespace: string;
}

/**
 * Runs `action` against the kubeconfig's cluster and turns failures into one `error:` line and exit 1:
 * no kubeconfig, a BuildError, or the cluster itself. UsageErrors go on to runCli (exit 2).
 */
export async function withCluster(io: CliIO, options: ClusterOptions, action: (cluster: Cluster) => Promise<number>): Promise<number> {
  let config;
  try {
    config = loadKubeconfig({ path: options.kubeconfig, context: options.context });
  } catch (e) {
    return io.stderr(`error: ${(e as Error).message}\n`), 1;
  }
  const kube = createClient(config);
  const transport = createTransport(config);
  try {
    return await action({ kube, transport, namespace: options.namespace ?? config.namespace });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof BuildError) return io.stderr(`error: ${e.message}\n`), 1;
    return io.stderr(`error: cannot ${options.doing} on the cluster at ${config.server}: ${(e as Error).message}\n`), 1;
  } finally {
    kube.close();
    transport.close();
  }
}
