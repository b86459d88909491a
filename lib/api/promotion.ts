/**
 * Promotion: a verified image moves from one stream tag to another (staging → prod), recorded in the
 * destination's history with where it came from, when a gate passes — the source's image has been its
 * newest for the soak time, and (when asked) the workloads following the source run it, rolled out
 * and available. Pure: the controller (automatic promotion) and `imagestreams promote` share it.
 */
import type { TagEvent, TagPromotion } from './imagestream';
import type { KubeObject } from './kube-object';
import type { WorkloadKind } from './workload-kinds';

export type Gate =
  | { readonly open: true }
  | { readonly open: false; readonly reason: 'Soaking' | 'RollingOut' | 'NoRollout'; readonly message: string; /** Try again after this long. */ readonly retryAfterMs: number };

/** Whether `item` (the source's newest) may be promoted now; `rollout` only when the policy requires it. */
export function promotionGate(item: Pick<TagEvent, 'image' | 'created'>, policy: Pick<TagPromotion, 'soakSeconds' | 'requireRollout'>, now: number, rollout?: RolloutCheck): Gate {
  const soakMs = (policy.soakSeconds ?? 0) * 1000;
  const age = now - Date.parse(item.created);
  if (soakMs > 0 && !(age >= soakMs)) {
    const remaining = Number.isFinite(age) ? soakMs - age : soakMs;
    return { open: false, reason: 'Soaking', message: `${item.image} has soaked ${formatSeconds(Math.max(0, age) / 1000)} of ${formatSeconds(soakMs / 1000)}`, retryAfterMs: remaining };
  }
  if (policy.requireRollout) {
    if (!rollout || rollout.followers === 0) return { open: false, reason: 'NoRollout', message: 'no workload follows the source tag, so no rollout can pass', retryAfterMs: 30_000 };
    if (rollout.waiting.length > 0) return { open: false, reason: 'RollingOut', message: `waiting for ${rollout.waiting.join(', ')}`, retryAfterMs: 10_000 };
  }
  return { open: true };
}

export interface RolloutCheck {
  /** Workloads that follow the source tag. */
  readonly followers: number;
  /** Why each of them doesn't pass yet: `Deployment web: 1 of 2 available`. */
  readonly waiting: readonly string[];
}

type Status = Record<string, number | undefined>;

/**
 * Whether a workload runs `image` (a container's image names its digest) and has rolled it out:
 * observed its generation, every replica updated and available (DaemonSets: scheduled and available;
 * CronJobs: the template is enough, they run later). Undefined when it passes, else why not.
 */
export function rolloutProblem(kind: WorkloadKind, workload: KubeObject, digest: string): string | undefined {
  const name = `${kind.kind} ${workload.metadata.name}`;
  let spec: unknown = workload;
  for (const key of kind.podSpecPath) spec = (spec as Record<string, unknown> | undefined)?.[key];
  const containers = [...((spec as { containers?: { image?: string }[] })?.containers ?? []), ...((spec as { initContainers?: { image?: string }[] })?.initContainers ?? [])];
  if (!containers.some((c) => c.image?.endsWith(`@${digest}`))) return `${name}: not at ${digest.slice(0, 19)}… yet`;
  if (kind.kind === 'CronJob') return undefined;
  const status = ((workload as { status?: Status }).status ?? {}) as Status;
  const generation = (workload.metadata as { generation?: number }).generation ?? 0;
  if ((status.observedGeneration ?? 0) < generation) return `${name}: not observed yet`;
  if (kind.kind === 'DaemonSet') {
    const desired = status.desiredNumberScheduled ?? 0;
    const ok = (status.updatedNumberScheduled ?? 0) >= desired && (status.numberAvailable ?? 0) >= desired;
    return ok ? undefined : `${name}: ${status.numberAvailable ?? 0} of ${desired} available`;
  }
  const replicas = ((workload as { spec?: { replicas?: number } }).spec?.replicas) ?? 1;
  const available = kind.kind === 'StatefulSet' ? status.readyReplicas ?? 0 : status.availableReplicas ?? 0;
  const ok = (status.updatedReplicas ?? 0) >= replicas && available >= replicas && (status.replicas ?? 0) <= replicas;
  return ok ? undefined : `${name}: ${available} of ${replicas} available`;
}

function formatSeconds(seconds: number): string {
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1).replace(/\.0$/, '')}h`;
  if (seconds >= 60) return `${(seconds / 60).toFixed(1).replace(/\.0$/, '')}m`;
  return `${Math.floor(seconds)}s`;
}
