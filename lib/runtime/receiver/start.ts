import type { KubeClient } from '../kube/client';
import type { Logger } from '../machinery/logger';
import type { Manager } from '../machinery/manager';
import type { ResolveOptions } from '../registry/options';
import { PushImporter, type PushImporterOptions } from './push-importer';
import { PushReceiver } from './push-receiver';
import { ReceiverReconciler } from './receiver-reconciler';
import { ReceiverServer } from './server';
import { TokenCache } from './tokens';
import { WEBHOOK_SECRET_KEY } from '../../api/git-webhook';
import { PIPELINERUNS } from '../../api/group';
import type { PipelineRun } from '../../api/pipeline-run';
import { GitWebhookReceiver } from './git-webhooks/git-webhook-receiver';
import { GitWebhookReconciler } from './git-webhooks/git-webhook-reconciler';
import { RateLimit, type RateLimitOptions } from './git-webhooks/rate-limit';

export interface ReceiverOptions {
  /** 0 picks a free one. */
  readonly port: number;
  /** @default '0.0.0.0' */
  readonly host?: string;
  /** @default 1 MiB */
  readonly maxBodyBytes?: number;
  /** @default 2000 */
  readonly debounceMs?: number;
  /** Streams imported at once. @default 4 */
  readonly concurrency?: number;
  readonly registry?: ResolveOptions;
  readonly onImported?: PushImporterOptions['onImported'];
  /**
   * Serves BuildConfig webhooks at OpenShift's URL too (needs the BuildConfig and Tekton CRDs, and the
   * right to create PipelineRuns). @default false
   */
  readonly gitWebhooks?: boolean | GitWebhookOptions;
}

export interface GitWebhookOptions {
  /** @default - 10 deliveries at once per BuildConfig, then one per 6 s */
  readonly rateLimit?: RateLimitOptions;
  /** How long a webhook Secret read (or its failure) is used before it is read again. @default 10_000 */
  readonly secretTtlMs?: number;
}

export interface Receiving {
  readonly importer: PushImporter;
  /** Listens; resolves with the port. */
  listen(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Adds push-event receiving to a controller's manager (call before manager.run): the receivers'
 * reconciler and caches, the import on push, BuildConfig webhooks (`gitWebhooks`), and the HTTP
 * listener, ready once the caches are filled.
 */
export function addReceiver(manager: Manager, client: KubeClient, log: Logger, options: ReceiverOptions): Receiving {
  const tokens = new TokenCache(client);
  const reconciler = new ReceiverReconciler(tokens);
  manager.add(reconciler);
  let synced = false;
  void manager.synced.then(() => (synced = true));
  const importer = new PushImporter({ client, events: manager.events, log, concurrency: options.concurrency, registry: options.registry, onImported: options.onImported });
  const receiver = new PushReceiver({
    receiver: (namespace, name) => reconciler.receiver(namespace, name),
    streams: () => reconciler.streams(),
    tokens,
    nudge: (namespace, stream, tags) => importer.nudge(namespace, stream, tags),
    debounceMs: options.debounceMs,
    log,
  });
  const git = options.gitWebhooks ? gitWebhooks(manager, client, log, options.gitWebhooks === true ? {} : options.gitWebhooks) : undefined;
  const server = new ReceiverServer({
    port: options.port, host: options.host, maxBodyBytes: options.maxBodyBytes, log,
    ready: () => synced,
    deliver: (route, headers, body) => receiver.deliver(route, headers, body),
    ...(git ? { gitWebhook: (route, headers, body) => git.deliver(route, headers, body) } : {}),
  });
  return {
    importer,
    listen: () => server.listen(),
    async close() {
      receiver.close();
      await server.close();
      importer.close();
      await importer.idle();
    },
  };
}

/** The BuildConfigs' cache and Secret check, and the receiver of their webhooks. */
function gitWebhooks(manager: Manager, client: KubeClient, log: Logger, options: GitWebhookOptions): GitWebhookReceiver {
  // Secrets by name, key WebHookSecretKey, any length (OpenShift takes any), re-read every 10 s.
  const secrets = new TokenCache(client, { key: WEBHOOK_SECRET_KEY, minLength: 1, ttlMs: options.secretTtlMs });
  const reconciler = new GitWebhookReconciler(secrets);
  manager.add(reconciler);
  return new GitWebhookReceiver({
    buildConfig: (namespace, name) => reconciler.buildConfig(namespace, name),
    secrets,
    createRun: (run) => client.resource<PipelineRun>({ ...PIPELINERUNS, namespace: run.metadata.namespace }).create(run),
    events: manager.events,
    rateLimit: new RateLimit(options.rateLimit),
    log,
  });
}
