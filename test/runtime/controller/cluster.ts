/**
 * The controller on the real cluster (test/support/kube.ts): a namespace of the test's own, and
 * helpers to write stream status as the importer or a build would and to run the controller's
 * manager in-process, watching only the test's namespaces.
 */
import { createHash } from 'node:crypto';
import { GROUP_VERSION, IMAGESTREAM_KIND } from '../../../lib/api/group';
import type { ImageStreamSpec, TagEvent } from '../../../lib/api/imagestream';
import { BuildConfigReconciler, type BuildConfigReconcilerOptions } from '../../../lib/runtime/controller/builds/buildconfig-reconciler';
import { WorkloadTriggerReconciler } from '../../../lib/runtime/controller/triggers/workload-reconciler';
import { ImportReconciler, type ImportReconcilerOptions } from '../../../lib/runtime/controller/imports/import-reconciler';
import type { KubeClient, ResourceClient } from '../../../lib/runtime/kube/client';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import type { LeaderElectionOptions } from '../../../lib/runtime/machinery/leader-election';
import type { Logger, LogLevel } from '../../../lib/runtime/machinery/logger';
import { Manager } from '../../../lib/runtime/machinery/manager';
import { addReceiver, type ReceiverOptions, type Receiving } from '../../../lib/runtime/receiver/start';
import { NotificationReconciler, type NotificationReconcilerOptions } from '../../../lib/runtime/notify/notification-reconciler';
import { PromotionReconciler, type PromotionReconcilerOptions } from '../../../lib/runtime/controller/promotions/promotion-reconciler';
import { ApiObject, type ApiObjectProps } from 'cdk8s';
import { ImageStreamTag } from '../../../constructs';
import { testKube, type StreamResource, type TestKube } from '../../support/kube';
import { synthApp } from '../../support/synth-app';

export const digest = (seed: string) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;

export interface LogEntry {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

export function memoryLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return { entries, log: (level, msg, fields = {}) => void entries.push({ level, msg, fields }) };
}

export interface RunningController {
  readonly manager: Manager;
  readonly log: ReturnType<typeof memoryLogger>;
  /** With the `receiver` option: the push listener, on 127.0.0.1. */
  readonly receiver?: Receiving & { readonly url: string };
  stop(): Promise<void>;
}

export interface ControllerOptions {
  readonly client?: KubeClient;
  readonly leaderElection?: LeaderElectionOptions;
  /** @default - the test's namespace */
  readonly namespaces?: string[];
  /** Runs the BuildConfig reconciler too, with these options. @default - workload triggers only */
  readonly builds?: BuildConfigReconcilerOptions;
  /** Runs the import reconciler too (imports of new and changed tags), with these options. @default - not */
  readonly imports?: ImportReconcilerOptions;
  /** Receives registry push notifications too (RegistryReceivers), on 127.0.0.1. @default - not */
  readonly receiver?: Omit<ReceiverOptions, 'port' | 'host'>;
  /** Promotes between tags too (spec.tags[].promotion). @default - not */
  readonly promotions?: PromotionReconcilerOptions;
  /** Sends notifications too (Notifiers). @default - not */
  readonly notifications?: Omit<NotificationReconcilerOptions, 'leading'>;
}

export interface TriggerCluster extends TestKube {
  createStream(name: string, spec?: ImageStreamSpec, namespace?: string): Promise<void>;
  /** Records a new newest item of `stream:tag` as the importer or a build would; returns its digest. */
  pushImage(stream: string, tag: string, seed: string, namespace?: string): Promise<string>;
  workloads(apiVersion: string, resource: string, namespace?: string): ResourceClient;
  startController(options?: ControllerOptions): Promise<RunningController>;
  /**
   * A Deployment-like object as the constructs synthesize it: an ApiObject of `kind` with these
   * containers whose image fields follow stream tags by `deployTo` (the annotation is theirs), or,
   * given raw annotations, one written by hand (OpenShift's annotation, broken input).
   */
  workload(kind: string, name: string, containers: object[], follows: readonly Follow[] | Record<string, string>, initContainers?: object[]): KubeObject;
}

/** A container following a tag of a stream of the test's namespace: `deployTo` options. */
export interface Follow {
  readonly tag: string;
  readonly container: string;
  readonly init?: boolean;
  readonly paused?: boolean;
}

export const follow = (tag: string, container: string, options: { init?: boolean; paused?: boolean } = {}): Follow => ({ tag, container, ...options });

/** The run's real cluster with a fresh namespace (named after `prefix`) for the controller's tests. */
export async function startTriggerCluster(prefix = 'controller'): Promise<TriggerCluster> {
  const t = await testKube(prefix);
  const running: RunningController[] = [];
  return {
    ...t,
    async createStream(name, spec = {}, namespace = t.namespace) {
      await t.streams(namespace).create({ apiVersion: GROUP_VERSION, kind: IMAGESTREAM_KIND, metadata: { name }, spec } as StreamResource);
    },
    async pushImage(stream, tag, seed, namespace = t.namespace) {
      const streams = t.streams(namespace);
      const current = await streams.get(stream);
      const image = digest(seed);
      const item: TagEvent = { dockerImageReference: `registry.test/${namespace}/${stream}@${image}`, image, created: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
      const others = (current.status?.tags ?? []).filter((x) => x.tag !== tag);
      const old = current.status?.tags?.find((x) => x.tag === tag)?.items ?? [];
      await streams.mergePatchStatus(stream, { status: { tags: [...others, { tag, items: [item, ...old] }] } });
      return image;
    },
    workloads: (apiVersion, resource, namespace = t.namespace) => t.kube.resource({ apiVersion, resource, namespace }),
    async startController(options = {}) {
      const log = memoryLogger();
      let synced!: () => void;
      const ready = new Promise<void>((resolve) => (synced = resolve));
      const manager = new Manager({
        onSynced: () => synced(),
        client: options.client ?? t.kube, log, workers: 2, namespaces: options.namespaces ?? [t.namespace], leaderElection: options.leaderElection,
        backoff: { baseDelayMs: 5, maxDelayMs: 200 }, maxAttempts: 6,
      });
      manager.add(new WorkloadTriggerReconciler());
      if (options.builds) manager.add(new BuildConfigReconciler(options.builds));
      if (options.imports) manager.add(new ImportReconciler(options.imports));
      if (options.promotions) manager.add(new PromotionReconciler(options.promotions));
      if (options.notifications) manager.add(new NotificationReconciler({ ...options.notifications, leading: () => manager.isLeader }));
      const receiving = options.receiver && addReceiver(manager, options.client ?? t.kube, log, { ...options.receiver, port: 0, host: '127.0.0.1' });
      const port = await receiving?.listen();
      const abort = new AbortController();
      const done = manager.run(abort.signal);
      await Promise.race([ready, done]);
      const receiver = receiving && { ...receiving, url: `http://127.0.0.1:${port}` };
      const handle = { manager, log, receiver, stop: async () => (abort.abort(), await done, await receiving?.close()) };
      running.push(handle);
      return handle;
    },
    workload(kind, name, containers, follows, initContainers) {
      if (!Array.isArray(follows)) return workload(kind, name, containers, follows as Record<string, string>, initContainers);
      const object = workload(kind, name, containers, {}, initContainers);
      const app = synthApp(({ chart }) => {
        const synthesized = new ApiObject(chart(t.namespace), name, { ...object, metadata: { name } } as ApiObjectProps);
        for (const f of follows as readonly Follow[]) {
          ImageStreamTag.external(f.tag, t.namespace).deployTo(synthesized, { container: f.container, init: f.init, paused: f.paused });
        }
      });
      const { namespace: _, ...metadata } = app.one(kind, name).metadata;
      return { ...app.one(kind, name), metadata };
    },
    async close() {
      await Promise.all(running.map((r) => r.stop()));
      t.close();
    },
  };
}

/** A Deployment-like object applied by `manager` (the GitOps tool), with these containers (namespace: the request's). */
export function workload(kind: string, name: string, containers: object[], annotations: Record<string, string>, initContainers?: object[]): KubeObject {
  const podSpec = { containers, ...(initContainers ? { initContainers } : {}) };
  const template = { metadata: { labels: { app: name } }, spec: podSpec };
  const apiVersion = kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  const spec = kind === 'CronJob'
    ? { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { ...template, spec: { ...podSpec, restartPolicy: 'OnFailure' } } } } }
    : { selector: { matchLabels: { app: name } }, template };
  return { apiVersion, kind, metadata: { name, annotations }, spec };
}

export const triggers = (...entries: object[]) => ({ 'imagestreams.dev/triggers': JSON.stringify(entries) });

export const byName = (stream: string, container: string, extra: object = {}, prefix = 'spec.template.spec', list = 'containers') => ({
  from: { kind: 'ImageStreamTag', name: stream },
  fieldPath: `${prefix}.${list}[?(@.name=="${container}")].image`,
  ...extra,
});

/** A client whose server-side applies first run `before` (a concurrent writer, a failure), and that can be cut off. */
export function interceptingClient(kube: KubeClient, before: (object: KubeObject) => Promise<void>): KubeClient & { partition(): void } {
  let cut = false;
  const guard = <T>(call: () => Promise<T>): Promise<T> => (cut ? Promise.reject(new Error('connect ECONNREFUSED (partitioned)')) : call());
  return {
    namespace: kube.namespace,
    close: () => kube.close(),
    partition: () => void (cut = true),
    resource<T extends KubeObject>(ref: Parameters<KubeClient['resource']>[0]): ResourceClient<T> {
      const real = kube.resource<T>(ref);
      const wrapped = {} as Record<string, unknown>;
      for (const [name, method] of Object.entries(real)) {
        wrapped[name] = typeof method === 'function' ? (...args: unknown[]) => guard(() => (method as (...a: unknown[]) => Promise<unknown>)(...args)) : method;
      }
      wrapped.apply = (object: T, options: Parameters<ResourceClient<T>['apply']>[1]) => guard(async () => (await before(object), real.apply(object, options)));
      return wrapped as unknown as ResourceClient<T>;
    },
  };
}
