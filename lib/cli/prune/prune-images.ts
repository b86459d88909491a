import { IMAGESTREAMS } from '../../api/group';
import type { KubeClient } from '../../runtime/kube/client';
import type { StreamObject } from '../../runtime/imagestreams/streams';
import { executeImagePrune, planImagePrune } from '../../runtime/prune/image-prune';
import { workloadImages } from '../../runtime/prune/workload-images';
import type { CliIO } from '../io';
import { formatTable } from '../table';
import { atRegistry, inClusterRegistry, type RegistryAccessOptions } from './registry-access';

export interface PruneImagesOptions extends RegistryAccessOptions {
  readonly confirm: boolean;
  readonly keepTagRevisions: number;
  readonly keepYoungerThanMs: number;
}

/** Lists, and with `confirm` deletes, the registry's manifests that nothing keeps (see planImagePrune). */
export async function pruneImages(kube: KubeClient, io: CliIO, options: PruneImagesOptions): Promise<number> {
  const { api, host } = await inClusterRegistry(kube, options);
  const { items: streams } = await kube.resource<StreamObject>(IMAGESTREAMS).listAll();
  const workloads = await workloadImages(kube);
  const policy = { keepTagRevisions: options.keepTagRevisions, keepYoungerThanMs: options.keepYoungerThanMs, now: Date.now() };
  const plan = await atRegistry(() => planImagePrune({ streams, workloads, registryHost: host, policy, registry: api }));
  const summary = `${plan.repositories.length} stream repositories, ${plan.kept} manifests kept`;
  if (plan.deletions.length === 0) return io.stdout(`Nothing to prune (${summary}).\n`), 0;
  io.stdout(formatTable(['REPOSITORY', 'DIGEST', 'WHY'], plan.deletions.map((d) => [d.repository, d.digest, d.reason])));
  if (!options.confirm) {
    io.stdout(`Dry run: would delete ${plan.deletions.length} manifests (${summary}). Pass --confirm to delete them.\n`);
    return 0;
  }
  const result = await atRegistry(() => executeImagePrune(api, plan));
  const gone = result.missing.length > 0 ? ` (${result.missing.length} were already gone)` : '';
  io.stdout(`Deleted ${result.deleted.length} manifests${gone}. The registry frees their blobs when its garbage collection runs.\n`);
  return 0;
}
