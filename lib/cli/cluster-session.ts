import { createClient, type KubeClient } from '../runtime/kube/client';
import { createTransport, type HttpTransport } from '../runtime/kube/http';
import { loadKubeconfig } from '../runtime/kube/kubeconfig';
import { StreamNotFoundError } from '../runtime/imagestreams/streams';
import type { CliIO } from './io';
import { UsageError } from './usage';

/** An operation refused for a reason the user can fix (no such tag, no BuildConfig, a finished build): one line, exit 1. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ClusterOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** -n; absent means the context's namespace. */
  readonly namespace?: string;
  /** For the message when the cluster fails: "cannot <doing> on the cluster at …". */
  readonly doing: string;
}

/** What a cluster verb talks to: the API client, the raw transport (pod logs are text, not JSON), the namespace. */
export interface Cluster {
  readonly kube: KubeClient;
  readonly transport: HttpTransport;
  readonly namespace: string;
}

/**
 * Runs `action` against the user's kubeconfig and turns the ways it can fail into one `error:` line and
 * exit 1: no kubeconfig, a CommandError, a missing stream, or the cluster itself. A UsageError found only
 * once the namespace is known goes on to runCli (exit 2).
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
    if (e instanceof CommandError || e instanceof StreamNotFoundError) return io.stderr(`error: ${e.message}\n`), 1;
    return io.stderr(`error: cannot ${options.doing} on the cluster at ${config.server}: ${(e as Error).message}\n`), 1;
  } finally {
    kube.close();
    transport.close();
  }
}
