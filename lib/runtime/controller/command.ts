import { parseStreamRegistryDefaults, type StreamRegistryDefaults } from '../../api/repository-path';
import { parseImageMirror, type ImageMirror } from '../../api/image-mirror';
import { hostname } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import type { RuntimeCommand } from '../command';
import { createClient } from '../kube/client';
import type { KubeClientConfig } from '../kube/config';
import { runtimeKubeConfig } from '../runtime-config';
import { jsonLogger, type Logger } from '../machinery/logger';
import { Manager } from '../machinery/manager';
import { BuildConfigReconciler } from './builds/buildconfig-reconciler';
import { ImportReconciler } from './imports/import-reconciler';
import { PromotionReconciler } from './promotions/promotion-reconciler';
import { WorkloadTriggerReconciler } from './triggers/workload-reconciler';
import { addReceiver } from '../receiver/start';
import { NotificationReconciler } from '../notify/notification-reconciler';
import { MAX_SHARDS, shardingProblem } from '../../api/sharding';

const USAGE = 'usage: imagestreams-runtime controller [--namespaces a,b] [--workers N] [--lease-namespace NS] [--identity ID] [--debounce-seconds S] [--no-builds] [--receiver-port P [--receiver-max-body-bytes N] [--receiver-debounce-ms MS]] [--notifications] [--shards N --shard I] [--stream-registry JSON] [--image-mirror JSON]\n';

export const DEFAULT_DEBOUNCE_SECONDS = 10;

/**
 * V8 grows its heap to a multiple of what survives a full collection (up to 4x); the controller's
 * caches survive, the lists and answers it parses don't, so a tighter growth (live + 15%) keeps its
 * memory near what it caches, at the cost of more frequent collections (see the controller bench).
 */
export const HEAP_GROWING_PERCENT = 15;

export interface ControllerArgs {
  readonly namespaces?: readonly string[];
  readonly workers: number;
  readonly leaseNamespace?: string;
  readonly identity: string;
  /** Image changes within this window make one build per BuildConfig. */
  readonly debounceSeconds: number;
  /** Starts and tracks builds (needs Tekton's CRDs and the BuildConfig CRD). */
  readonly builds: boolean;
  /** Listens for registry push notifications (RegistryReceivers) on this port. @default - no listener */
  readonly receiver?: { readonly port: number; readonly maxBodyBytes?: number; readonly debounceMs?: number };
  /** Sends what Notifiers ask for (needs the Notifier CRD and the right to list and watch them). */
  readonly notifications?: boolean;
  /** One of several shards of the work, by namespace (lib/api/sharding). @default - one shard */
  readonly sharding?: { readonly shards: number; readonly shard: number };
  /** The System's registry (JSON), for BuildConfigs without a Pipeline whose output stream names no repository. @default - none */
  readonly streamRegistry?: StreamRegistryDefaults;
  /** The System's mirror of our default images (JSON, registry host → prefix), for the Pipelines embedded in builds. @default - none */
  readonly imageMirror?: ImageMirror;
}

export interface ControllerCommandDeps {
  /** @default runtimeKubeConfig (service account, or IMAGESTREAMS_KUBECONFIG) */
  readonly loadConfig?: () => KubeClientConfig | Promise<KubeClientConfig>;
  readonly log?: Logger;
  readonly stderr?: (text: string) => void;
  /** Ends the controller; @default SIGTERM or SIGINT */
  readonly signal?: AbortSignal;
}

/** `controller`: the leader-elected reconcile loop. Runs until SIGTERM, then releases its lease and exits 0. */
export function createControllerCommand(deps: ControllerCommandDeps = {}): RuntimeCommand {
  return {
    name: 'controller',
    async run(argv) {
      const args = parseControllerArgs(argv);
      if (typeof args === 'string') return (deps.stderr ?? ((t) => void process.stderr.write(t)))(`${args}\n${USAGE}`), 2;
      if (!deps.signal) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`); // the process is the controller's own, not a test's
      const client = createClient(await (deps.loadConfig ?? runtimeKubeConfig)());
      const log = deps.log ?? jsonLogger();
      const started = Date.now();
      const manager = new Manager({
        client, namespaces: args.namespaces, workers: args.workers, log,
        leaderElection: { namespace: args.leaseNamespace ?? client.namespace, identity: args.identity },
        sharding: args.sharding,
        ...(args.streamRegistry ? { streamRegistry: args.streamRegistry } : {}),
        onSynced: () => log.log('info', 'synced', { ms: Date.now() - started }),
      });
      manager.add(new WorkloadTriggerReconciler());
      manager.add(new ImportReconciler());
      manager.add(new PromotionReconciler());
      if (args.builds) manager.add(new BuildConfigReconciler({ debounceSeconds: args.debounceSeconds, ...(args.streamRegistry ? { streamRegistry: args.streamRegistry } : {}), ...(args.imageMirror ? { imageMirror: args.imageMirror } : {}) }));
      // The listener serves BuildConfig webhooks too where builds run (they create PipelineRuns).
      const receiving = args.receiver && addReceiver(manager, client, log, { ...args.receiver, gitWebhooks: args.builds });
      if (args.notifications) manager.add(new NotificationReconciler({ leading: () => manager.isLeader, systemNamespace: args.leaseNamespace ?? client.namespace }));
      const signal = deps.signal ?? terminationSignal();
      log.log('info', 'controller starting', { identity: args.identity, namespaces: args.namespaces ?? 'all', workers: args.workers });
      try {
        if (receiving) log.log('info', 'receiving push notifications', { port: await receiving.listen() });
        await manager.run(signal);
      } finally {
        await receiving?.close();
        client.close();
      }
      log.log('info', 'controller stopped');
      return 0;
    },
  };
}

function terminationSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return controller.signal;
}

/** The arguments, or the reason they are wrong. */
export function parseControllerArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ControllerArgs | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        namespaces: { type: 'string' }, workers: { type: 'string' }, 'lease-namespace': { type: 'string' }, identity: { type: 'string' },
        'debounce-seconds': { type: 'string' }, 'no-builds': { type: 'boolean' },
        'receiver-port': { type: 'string' }, 'receiver-max-body-bytes': { type: 'string' }, 'receiver-debounce-ms': { type: 'string' },
        notifications: { type: 'boolean' }, shards: { type: 'string' }, shard: { type: 'string' }, 'stream-registry': { type: 'string' }, 'image-mirror': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  const workers = values.workers === undefined ? 2 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) return `--workers must be a positive integer, not '${values.workers}'`;
  const debounceSeconds = values['debounce-seconds'] === undefined ? DEFAULT_DEBOUNCE_SECONDS : Number(values['debounce-seconds']);
  if (!Number.isFinite(debounceSeconds) || debounceSeconds < 0) return `--debounce-seconds must be a number >= 0, not '${values['debounce-seconds']}'`;
  const namespaces = values.namespaces?.split(',').map((n) => n.trim()).filter(Boolean);
  if (values.namespaces !== undefined && !namespaces?.length) return `--namespaces must list at least one namespace, not '${values.namespaces}'`;
  // The pod name is unique among replicas; outside a pod, the pid keeps two processes on one host apart.
  const identity = values.identity ?? env.POD_NAME ?? `${hostname()}_${process.pid}`;
  const receiver = receiverArgs(values['receiver-port'], values['receiver-max-body-bytes'], values['receiver-debounce-ms']);
  if (typeof receiver === 'string') return receiver;
  const sharding = shardingArgs(values.shards, values.shard);
  if (typeof sharding === 'string') return sharding;
  const streamRegistry = values['stream-registry'] === undefined ? undefined : parseStreamRegistryDefaults(values['stream-registry']);
  if (typeof streamRegistry === 'string') return streamRegistry;
  const imageMirror = values['image-mirror'] === undefined ? undefined : parseImageMirror(values['image-mirror']);
  if (typeof imageMirror === 'string') return imageMirror;
  return {
    namespaces, workers, leaseNamespace: values['lease-namespace'], identity, debounceSeconds, builds: !values['no-builds'],
    ...(receiver ? { receiver } : {}), ...(values.notifications ? { notifications: true } : {}), ...(sharding ? { sharding } : {}),
    ...(streamRegistry ? { streamRegistry } : {}), ...(imageMirror ? { imageMirror } : {}),
  };
}

function shardingArgs(shards?: string, shard?: string): ControllerArgs['sharding'] | string | undefined {
  if (shards === undefined && shard === undefined) return undefined;
  if (shards === undefined || shard === undefined) return '--shards and --shard go together';
  const count = Number(shards);
  if (shardingProblem(count, 0)) return `--shards must be a whole number from 1 to ${MAX_SHARDS}, not '${shards}'`;
  if (shardingProblem(count, Number(shard))) return `--shard must be a whole number from 0 to ${count - 1}, not '${shard}'`;
  return Number(shards) === 1 ? undefined : { shards: Number(shards), shard: Number(shard) };
}

function receiverArgs(port?: string, maxBody?: string, debounce?: string): ControllerArgs['receiver'] | string | undefined {
  if (port === undefined) return maxBody !== undefined || debounce !== undefined ? '--receiver-max-body-bytes and --receiver-debounce-ms need --receiver-port' : undefined;
  const number = (value: string | undefined, flag: string, min: number, max: number): number | string | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    return Number.isInteger(n) && n >= min && n <= max ? n : `${flag} must be a whole number from ${min} to ${max}, not '${value}'`;
  };
  const values = [number(port, '--receiver-port', 0, 65535), number(maxBody, '--receiver-max-body-bytes', 1024, 64 * 1024 * 1024), number(debounce, '--receiver-debounce-ms', 0, 600_000)];
  const wrong = values.find((v) => typeof v === 'string');
  if (wrong !== undefined) return wrong as string;
  const [p, maxBodyBytes, debounceMs] = values as (number | undefined)[];
  return { port: p!, ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}), ...(debounceMs !== undefined ? { debounceMs } : {}) };
}
