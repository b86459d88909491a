import { IN_CLUSTER_REGISTRY_NAMES } from '../../../constructs/system/registry/in-cluster-names';
import { IMAGESTREAMS } from '../../api/group';
import { formatBytes, quantityBytes, usageInMessage, usedPercent } from '../../api/storage-usage';
import type { KubeClient } from '../../runtime/kube/client';
import { NotFoundError } from '../../runtime/kube/errors';
import type { StreamObject } from '../../runtime/imagestreams/streams';
import { registryUsage } from '../../runtime/prune/usage';
import type { CliIO } from '../io';
import { formatTable } from '../table';
import { atRegistry, inClusterRegistry, type RegistryAccessOptions } from './registry-access';

export interface RegistryUsageOptions extends RegistryAccessOptions {
  readonly warnAt: number;
}

type Claim = { apiVersion: string; kind: string; metadata: { name: string }; spec?: { resources?: { requests?: { storage?: string } } }; status?: { capacity?: { storage?: string } } };
type Event = { apiVersion: string; kind: string; metadata: { name: string }; reason?: string; message?: string; lastTimestamp?: string };

/** Prints the registry's repositories, manifests and bytes, its volume, and a warning when it is nearly full. */
export async function registryUsageReport(kube: KubeClient, io: CliIO, options: RegistryUsageOptions): Promise<number> {
  const { api, systemNamespace } = await inClusterRegistry(kube, options);
  const { items: streams } = await kube.resource<StreamObject>(IMAGESTREAMS).listAll();
  const usage = await atRegistry(() => registryUsage(api, streams));
  const rows = usage.repositories.map((r) => [r.repository, String(r.tags), String(r.manifests), formatBytes(r.bytes)]);
  if (rows.length > 0) io.stdout(formatTable(['REPOSITORY', 'TAGS', 'MANIFESTS', 'SIZE'], rows));
  io.stdout(`Total: ${usage.repositories.length} repositories, ${usage.manifests} manifests, ${formatBytes(usage.bytes)} in ${usage.blobs} blobs referenced\n`);
  const capacity = await claimBytes(kube, systemNamespace);
  const measured = await lastMeasured(kube, systemNamespace);
  const warnings: string[] = [];
  if (capacity !== undefined) {
    const percent = usedPercent({ usedBytes: usage.bytes, availableBytes: Math.max(0, capacity - usage.bytes) });
    io.stdout(`Volume: ${formatBytes(capacity)} (claim ${IN_CLUSTER_REGISTRY_NAMES.persistentVolumeClaim}); referenced: ${percent}%\n`);
    if (percent >= options.warnAt) warnings.push(`what the registry references fills ${percent}% of its volume`);
  }
  if (measured) {
    const percent = usedPercent(measured.usage);
    io.stdout(`Last garbage collection (${measured.at}): ${formatBytes(measured.usage.usedBytes)} used, ${formatBytes(measured.usage.availableBytes)} free (${percent}% full)\n`);
    if (percent >= options.warnAt) warnings.push(`its volume was ${percent}% full after the last garbage collection`);
  }
  for (const warning of warnings) io.stderr(`warning: ${warning} (--warn-at ${options.warnAt}%): prune images (imagestreams prune images --confirm) or give it more storage\n`);
  return 0;
}

/** The claim's capacity once bound, else its request; undefined without the claim. */
async function claimBytes(kube: KubeClient, namespace: string): Promise<number | undefined> {
  try {
    const claim = await kube.resource<Claim>({ apiVersion: 'v1', resource: 'persistentvolumeclaims', namespace }).get(IN_CLUSTER_REGISTRY_NAMES.persistentVolumeClaim);
    const quantity = claim.status?.capacity?.storage ?? claim.spec?.resources?.requests?.storage;
    return quantity === undefined ? undefined : quantityBytes(quantity);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

/** What the GC CronJob's last GarbageCollected Event says `df` found (the volume's real use). */
async function lastMeasured(kube: KubeClient, namespace: string): Promise<{ at: string; usage: { usedBytes: number; availableBytes: number } } | undefined> {
  const fieldSelector = `involvedObject.kind=Deployment,involvedObject.name=${IN_CLUSTER_REGISTRY_NAMES.deployment},reason=GarbageCollected`;
  const { items } = await kube.resource<Event>({ apiVersion: 'v1', resource: 'events', namespace }).list({ fieldSelector });
  const latest = items.filter((e) => e.lastTimestamp).sort((a, b) => (a.lastTimestamp! < b.lastTimestamp! ? 1 : -1))[0];
  const usage = latest?.message ? usageInMessage(latest.message) : undefined;
  return latest && usage ? { at: latest.lastTimestamp!, usage } : undefined;
}
