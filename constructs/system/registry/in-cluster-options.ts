import { Size } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-27';
import type { RegistryGarbageCollectionOptions } from './garbage-collection';

/**
 * The CNCF distribution registry 2.8.3, pinned by digest (the one six public projects pin for this
 * tag): its storage layout must not change under a running install, and a tag can be re-pushed.
 */
export const DEFAULT_REGISTRY_IMAGE = 'docker.io/library/registry:2.8.3@sha256:a3d8aaa63ed8681a604f1dea0aa03f100d5895b6a58ace528858a7b332415373';
export const DEFAULT_REGISTRY_STORAGE = Size.gibibytes(20);

/** A CNCF distribution registry that the System deploys in its own namespace. */
export interface InClusterRegistryOptions {
  /**
   * The size of the PersistentVolumeClaim (ReadWriteOnce) that holds every stream's layers.
   * Layers stay until `imagestreams prune images --confirm` deletes the manifests that use them and
   * the registry's garbage collection (`garbageCollection`) frees them: size it for the images of
   * all streams and their history. `imagestreams registry usage` tells how full it is.
   * @default Size.gibibytes(20)
   */
  readonly storage?: Size;
  /**
   * The StorageClass of the PersistentVolumeClaim.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Also expose the registry on this NodePort (30000-32767) of every node, so that nodes pull as
   * `localhost:<nodePort>/namespace/stream@sha256:…` (the way microk8s's registry add-on works).
   * Off by default: a NodePort answers on every address of every node. Pulls and pushes there
   * need the registry's credentials all the same.
   * @default - no NodePort: nodes pull from `pullHost`
   */
  readonly nodePort?: number;
  /**
   * The host (and port) the nodes' container runtimes pull from. Nodes don't resolve cluster DNS:
   * give them a name for the Service's ClusterIP (an `/etc/hosts` line on each node, as OpenShift
   * does for its internal registry; kube-proxy routes ClusterIPs for the nodes' own traffic too), a
   * load balancer or Ingress in front of the registry, or set `nodePort`.
   * @default - `localhost:<nodePort>` with `nodePort`; else the Service's own name,
   * `imagestreams-registry.<namespace>.svc:5000`, which the nodes must be made to resolve
   */
  readonly pullHost?: string;
  /**
   * Let the registry's API delete manifests (distribution's `storage.delete.enabled`), for an
   * image pruner that removes what no stream's history refers to any more. Off, nobody holding the
   * credentials can delete an image that a stream or a workload pins by digest.
   * @default false
   */
  readonly allowDeletes?: boolean;
  /**
   * Run distribution's garbage collection on a schedule (a CronJob in the System's namespace), with
   * the registry read-only while it runs, to free the blobs of manifests that `imagestreams prune
   * images --confirm` deleted. Needs `allowDeletes: true` (without deletes there is nothing to free).
   * @default - off: blobs are never freed
   */
  readonly garbageCollection?: RegistryGarbageCollectionOptions;
  /**
   * With `garbageCollection`: after each GC, how full the volume may be (percent, from `df`) before
   * a Warning Event `RegistryStorageNearlyFull` on its PersistentVolumeClaim.
   * @default 80
   */
  readonly storageWarningPercent?: number;
  /**
   * The registry image: a CNCF distribution 2.x image configured by REGISTRY_* variables.
   * Pin it by digest for reproducible installs.
   * @default - docker.io/library/registry:2.8.3, pinned by digest (DEFAULT_REGISTRY_IMAGE), through the System's imageMirror
   */
  readonly image?: string;
  /**
   * The registry container's requests and limits; given, it replaces the default as a whole.
   * @default - cpu request 50m, limit 1; memory request 64Mi, limit 512Mi
   */
  readonly resources?: ContainerResources;
}
