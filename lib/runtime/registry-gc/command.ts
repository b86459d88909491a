import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import type { RuntimeCommand } from '../command';
import { createClient, type KubeClient } from '../kube/client';
import type { KubeClientConfig } from '../kube/config';
import { EventRecorder } from '../machinery/events';
import { jsonLogger } from '../machinery/logger';
import { runtimeKubeConfig } from '../runtime-config';
import { garbageCollect, type GcOutcome } from './garbage-collect';
import { DEFAULT_STORAGE_WARNING_PERCENT } from '../../api/registry-maintenance';
import { formatBytes, garbageCollectedMessage, usedPercent } from '../../api/storage-usage';

const USAGE = 'usage: imagestreams-runtime registry-gc --namespace NS --deployment NAME [--claim PVC --warn-at PERCENT] [--timeout SECONDS] [--run NAME]\n';

export interface RegistryGcCommandDeps {
  /** @default runtimeKubeConfig (the pod's service account, or IMAGESTREAMS_KUBECONFIG) */
  readonly loadConfig?: () => KubeClientConfig | Promise<KubeClientConfig>;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** @default 2000 */
  readonly pollMs?: number;
}

/**
 * `registry-gc`: what the in-cluster registry's garbage-collection CronJob runs. Puts the registry in
 * maintenance (read-only, GC beside it), waits, puts it back; an Event on the registry's Deployment
 * tells the outcome (GarbageCollected, or a Warning GarbageCollectionFailed). Exit 0 only on success.
 */
export function createRegistryGcCommand(deps: RegistryGcCommandDeps = {}): RuntimeCommand {
  const out = deps.stdout ?? ((t: string) => void process.stdout.write(t));
  const err = deps.stderr ?? ((t: string) => void process.stderr.write(t));
  return {
    name: 'registry-gc',
    async run(argv) {
      let values;
      try {
        ({ values } = parseArgs({ args: argv, options: { namespace: { type: 'string' }, deployment: { type: 'string' }, timeout: { type: 'string' }, run: { type: 'string' }, claim: { type: 'string' }, 'warn-at': { type: 'string' } }, strict: true }));
      } catch (error) {
        return err(`${(error as Error).message}\n${USAGE}`), 2;
      }
      const timeout = values.timeout === undefined ? 3600 : Number(values.timeout);
      const warnAt = values['warn-at'] === undefined ? DEFAULT_STORAGE_WARNING_PERCENT : Number(values['warn-at']);
      if (!values.namespace || !values.deployment || !Number.isInteger(timeout) || timeout <= 0 || !(warnAt > 0 && warnAt <= 100)) {
        return err(`--namespace and --deployment are required, --timeout is whole seconds, --warn-at a percentage\n${USAGE}`), 2;
      }
      const kube = createClient(await (deps.loadConfig ?? runtimeKubeConfig)());
      const options = { namespace: values.namespace, deployment: values.deployment, run: values.run ?? hostname(), timeoutMs: timeout * 1000, pollMs: deps.pollMs, log: (line: string) => out(`${line}\n`) };
      try {
        const outcome = await garbageCollect(kube, options);
        await report(kube, { ...options, claim: values.claim, warnAt }, outcome);
        return outcome.state === 'succeeded' ? 0 : 1;
      } catch (error) {
        return err(`error: ${(error as Error).message}\n`), 1;
      } finally {
        kube.close();
      }
    },
  };
}

interface ReportOptions {
  readonly namespace: string;
  readonly deployment: string;
  readonly timeoutMs: number;
  readonly claim?: string;
  readonly warnAt: number;
  readonly log: (line: string) => void;
}

/** Events: the outcome on the Deployment; how full the volume is, a Warning on the claim past `warnAt` percent. */
async function report(kube: KubeClient, options: ReportOptions, outcome: GcOutcome): Promise<void> {
  const deployment = await kube.resource({ apiVersion: 'apps/v1', resource: 'deployments', namespace: options.namespace }).get(options.deployment);
  const events = new EventRecorder(kube, 'imagestreams-registry-gc', hostname(), jsonLogger((l) => options.log(l.trimEnd())));
  if (outcome.state !== 'succeeded') {
    const why = outcome.state === 'failed' ? `failed: ${outcome.message}` : `did not finish within ${options.timeoutMs / 1000}s`;
    return events.record(deployment, 'Warning', 'GarbageCollectionFailed', `the registry's garbage collection ${why}; the registry serves again (read-write)`);
  }
  const usage = outcome.usage;
  const percent = usage ? usedPercent(usage) : undefined;
  await events.record(deployment, 'Normal', 'GarbageCollected', garbageCollectedMessage(usage));
  if (usage && percent !== undefined && options.claim && percent >= options.warnAt) {
    const claim = await kube.resource({ apiVersion: 'v1', resource: 'persistentvolumeclaims', namespace: options.namespace }).get(options.claim);
    await events.record(claim, 'Warning', 'RegistryStorageNearlyFull',
      `the registry's volume is ${percent}% full after garbage collection (${formatBytes(usage.usedBytes)} used, ${formatBytes(usage.availableBytes)} free; the warning starts at ${options.warnAt}%): prune images (imagestreams prune images --confirm) or give it more storage`);
  }
}
