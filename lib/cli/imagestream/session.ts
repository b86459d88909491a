import { createClient, type KubeClient } from '../../runtime/kube/client';
import { loadKubeconfig } from '../../runtime/kube/kubeconfig';
import { StreamNotFoundError } from '../../runtime/importer/streams';
import type { CliIO } from '../io';
import { UsageError } from '../usage';
import { StreamTagError } from './errors';

export interface SessionOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** -n; absent means the context's namespace. */
  readonly namespace?: string;
  /** For the message when the cluster fails: "cannot <doing> on the cluster at …". */
  readonly doing: string;
}

/**
 * Runs `action` with a client from the user's kubeconfig and its namespace, and turns the ways it can
 * fail into one `error:` line and exit 1: no kubeconfig, no stream, a refused operation, the cluster.
 * A UsageError found only once the namespace is known goes on to runCli (exit 2).
 */
export async function withKube(io: CliIO, options: SessionOptions, action: (kube: KubeClient, namespace: string) => Promise<number>): Promise<number> {
  let config;
  try {
    config = loadKubeconfig({ path: options.kubeconfig, context: options.context });
  } catch (e) {
    return io.stderr(`error: ${(e as Error).message}\n`), 1;
  }
  const kube = createClient(config);
  try {
    return await action(kube, options.namespace ?? config.namespace);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof StreamNotFoundError || e instanceof StreamTagError) return io.stderr(`error: ${e.message}\n`), 1;
    return io.stderr(`error: cannot ${options.doing} on the cluster at ${config.server}: ${(e as Error).message}\n`), 1;
  } finally {
    kube.close();
  }
}
