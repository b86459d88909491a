import type { KubeObject } from '../../api/kube-object';
import { GC_CONTAINER, inMaintenance, MAINTENANCE_ANNOTATION, maintenanceTemplate, parseDfLine, servingTemplate, type PodTemplate } from '../../api/registry-maintenance';
import type { KubeClient, ResourceClient } from '../kube/client';
import { ConflictError } from '../kube/errors';

export interface GarbageCollectOptions {
  readonly namespace: string;
  /** The registry's Deployment. */
  readonly deployment: string;
  /** Names this run on the maintenance pod template (the Job's pod name). */
  readonly run: string;
  /** How long the GC may take before the registry is put back anyway. */
  readonly timeoutMs: number;
  /** @default 2000 */
  readonly pollMs?: number;
  readonly log: (line: string) => void;
}

/** The registry volume as `df` saw it right after the GC. */
export interface StorageUsage {
  readonly usedBytes: number;
  readonly availableBytes: number;
}

export type GcOutcome = { readonly state: 'succeeded'; readonly usage?: StorageUsage } | { readonly state: 'failed'; readonly message: string } | { readonly state: 'timedOut' };

type Deployment = KubeObject & { spec: { selector: { matchLabels?: Record<string, string> }; template: PodTemplate } };
interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { terminated?: { exitCode: number; message?: string } };
  lastState?: { terminated?: { exitCode: number; message?: string } };
}
export type Pod = KubeObject & { status?: { containerStatuses?: ContainerStatus[] } };

/**
 * Switches the registry's Deployment into maintenance (read-only registry, a GC container beside
 * it: lib/api/registry-maintenance.ts), waits for that pod's GC to succeed or fail, and always
 * switches it back to serving, even when the GC failed or took too long. A template left in
 * maintenance by a run that died is taken over: its GC runs again under this run's name.
 */
export async function garbageCollect(kube: KubeClient, options: GarbageCollectOptions): Promise<GcOutcome> {
  const deployments = kube.resource<Deployment>({ apiVersion: 'apps/v1', resource: 'deployments', namespace: options.namespace });
  const pods = kube.resource<Pod>({ apiVersion: 'v1', resource: 'pods', namespace: options.namespace });
  const before = await deployments.get(options.deployment);
  if (inMaintenance(before.spec.template)) options.log(`${options.deployment} was left in maintenance by an earlier run: taking it over`);
  await rewrite(deployments, options.deployment, (t) => maintenanceTemplate(t, options.run));
  options.log(`${options.deployment}: read-only, garbage collection starting (run ${options.run})`);
  try {
    return await waitForGc(pods, before.spec.selector.matchLabels ?? {}, options);
  } finally {
    await rewrite(deployments, options.deployment, servingTemplate);
    options.log(`${options.deployment}: serving again`);
  }
}

/** Rewrites the pod template by `change`, re-reading on conflicts (someone else wrote the Deployment). */
async function rewrite(deployments: ResourceClient<Deployment>, name: string, change: (t: PodTemplate) => PodTemplate): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await deployments.get(name);
    try {
      await deployments.update({ ...current, spec: { ...current.spec, template: change(current.spec.template) } });
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 5) throw error;
    }
  }
}

async function waitForGc(pods: ResourceClient<Pod>, labels: Record<string, string>, options: GarbageCollectOptions): Promise<GcOutcome> {
  const labelSelector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const { items } = await pods.list({ labelSelector });
    for (const pod of items.filter((p) => p.metadata.annotations?.[MAINTENANCE_ANNOTATION] === options.run)) {
      const outcome = gcOutcome(pod);
      if (outcome) return outcome;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
  }
  return { state: 'timedOut' };
}

/**
 * The GC container's verdict as the kubelet reports it: its (last) run terminated with 0, the
 * message its `df` line, or with an error, the message the GC's output.
 */
export function gcOutcome(pod: Pod): GcOutcome | undefined {
  const status = pod.status?.containerStatuses?.find((c) => c.name === GC_CONTAINER);
  const terminated = status?.state?.terminated ?? status?.lastState?.terminated;
  if (!terminated) return undefined;
  const message = (terminated.message ?? '').trim();
  if (terminated.exitCode === 0) return { state: 'succeeded', usage: parseDfLine(message) };
  return { state: 'failed', message: message || `exit code ${terminated.exitCode}` };
}
