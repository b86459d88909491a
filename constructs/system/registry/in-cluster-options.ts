import { Size } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-27';

/** The CNCF distribution registry, pinned: its storage layout must not change under a running install. */
export const DEFAULT_REGISTRY_IMAGE = 'docker.io/library/registry:2.8.3';
/** The port microk8s's registry add-on uses, so that images pulled as `localhost:32000/…` look familiar. */
export const DEFAULT_REGISTRY_NODE_PORT = 32000;
export const DEFAULT_REGISTRY_STORAGE = Size.gibibytes(20);

/** A CNCF distribution registry that the System deploys in its own namespace. */
export interface InClusterRegistryOptions {
  /**
   * The size of the PersistentVolumeClaim (ReadWriteOnce) that holds every stream's layers.
   * Nothing deletes layers automatically: size it for the images of all streams and their history.
   * @default Size.gibibytes(20)
   */
  readonly storage?: Size;
  /**
   * The StorageClass of the PersistentVolumeClaim.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * The NodePort (30000-32767) on which every node reaches the registry, so that images pull as
   * `localhost:<nodePort>/namespace/stream@sha256:…`.
   * @default 32000
   */
  readonly nodePort?: number;
  /**
   * The host (and port) the nodes' container runtimes pull from, where `localhost:<nodePort>` does
   * not reach the NodePort (kube-proxy in ipvs or nftables mode, IPv6-only nodes): e.g. a name of
   * the nodes' own `/etc/hosts` or a load balancer in front of the NodePort.
   * @default - `localhost:<nodePort>`
   */
  readonly pullHost?: string;
  /**
   * The registry image: a CNCF distribution 2.x image configured by REGISTRY_* variables.
   * Pin it by digest for reproducible installs.
   * @default 'docker.io/library/registry:2.8.3'
   */
  readonly image?: string;
  /**
   * The registry container's requests and limits; given, it replaces the default as a whole.
   * @default - cpu request 50m, limit 1; memory request 64Mi, limit 512Mi
   */
  readonly resources?: ContainerResources;
}
