import type { IConstruct } from 'constructs';
import { checkHost, checkNodePort, checkPathPrefix, checkPinnedImage, checkSecretName, checkStorageClassName } from './checks';
import type { ExternalRegistryOptions } from './external-options';
import { DEFAULT_REGISTRY_IMAGE, DEFAULT_REGISTRY_NODE_PORT, DEFAULT_REGISTRY_STORAGE, type InClusterRegistryOptions } from './in-cluster-options';
import { inClusterPushHost } from './in-cluster-names';
import { InClusterRegistryObjects, type InClusterRegistryObjectsProps } from './in-cluster-registry';
import { resourceRequirements, sizeQuantity } from './quantities';
import { DEFAULT_REGISTRY_RESOURCES } from './registry-pod';
import { repositoryAt, repositoryPath } from './repository-path';
import type { StreamRepository } from './stream-repository';

const REGISTRY_BRAND = Symbol.for('cdk8s-imagestreams.StreamRegistry');

/** What a registry needs from the System it is set on (implemented by System). */
export interface IRegistrySystem extends IConstruct {
  readonly systemNamespace: string;
}

interface Endpoints {
  readonly pushHost: string;
  readonly pullHost: string;
  readonly insecure: boolean;
  readonly pathPrefix?: string;
  readonly pushSecret?: string;
  readonly pullSecret?: string;
}

/**
 * The registry behind streams (OpenShift's "internal registry"): builds push there, and each
 * stream records its push and its pull repository (`spec.imageRepository`,
 * `spec.publicImageRepository`). Set it on the System: `new System(app, 'imagestreams', { registry })`.
 *
 * - `StreamRegistry.external()`: a registry you run (Harbor, Quay, a cloud registry). TLS, auth,
 *   replication, garbage collection and backups are the registry's; builds push with a
 *   dockerconfigjson Secret and nodes pull with their usual credentials. Prefer it for production.
 * - `StreamRegistry.inCluster()`: the System deploys the CNCF distribution registry in its
 *   namespace. Builds push to `imagestreams-registry.<namespace>.svc:5000`; nodes, which cannot
 *   resolve cluster DNS, pull as `localhost:<nodePort>` through a NodePort Service (microk8s's
 *   registry add-on works the same way). Trade-offs:
 *   - plain http without auth: container runtimes must accept `localhost:<nodePort>` over http.
 *     containerd (1.3+; 1.6.9+ with `config_path`) and Docker do by default; CRI-O needs
 *     `insecure = true` for it in registries.conf;
 *   - the NodePort answers on every node address: anyone who reaches a node can pull and push
 *     unless a firewall stops them;
 *   - `localhost` NodePorts need kube-proxy in iptables mode on IPv4; elsewhere set `pullHost`;
 *   - one replica on a ReadWriteOnce volume: pushes, and pulls of images not cached on a node,
 *     fail while it restarts;
 *   - nothing garbage-collects blobs (distribution's garbage-collect needs a registry that nothing
 *     writes to), so storage only grows.
 */
export class StreamRegistry {
  /** A registry that exists already; builds push to `host[/pathPrefix]/<namespace>/<stream>`. */
  static external(options: ExternalRegistryOptions): StreamRegistry {
    const host = checkHost('host', options.host);
    return new StreamRegistry('External', {
      pushHost: host,
      pullHost: host,
      insecure: options.insecure ?? false,
      pathPrefix: options.pathPrefix === undefined ? undefined : checkPathPrefix(options.pathPrefix),
      pushSecret: options.pushSecret === undefined ? undefined : checkSecretName('pushSecret', options.pushSecret),
      pullSecret: options.pullSecret === undefined ? undefined : checkSecretName('pullSecret', options.pullSecret),
    });
  }

  /** A CNCF distribution registry that the System deploys in its namespace (see the class doc for the trade-offs). */
  static inCluster(options: InClusterRegistryOptions = {}): StreamRegistry {
    const nodePort = checkNodePort(options.nodePort ?? DEFAULT_REGISTRY_NODE_PORT);
    const objects: Omit<InClusterRegistryObjectsProps, 'namespace'> = {
      image: checkPinnedImage(options.image ?? DEFAULT_REGISTRY_IMAGE),
      storage: sizeQuantity('storage', options.storage ?? DEFAULT_REGISTRY_STORAGE),
      storageClassName: options.storageClassName === undefined ? undefined : checkStorageClassName(options.storageClassName),
      nodePort,
      resources: options.resources ? resourceRequirements(options.resources) : DEFAULT_REGISTRY_RESOURCES,
    };
    const pullHost = options.pullHost === undefined ? `localhost:${nodePort}` : checkHost('pullHost', options.pullHost);
    return new StreamRegistry('InCluster', undefined, { objects, pullHost });
  }

  /** Whether `x` is a StreamRegistry, across duplicate copies of this package (no `instanceof`). */
  static isStreamRegistry(x: unknown): x is StreamRegistry {
    return typeof x === 'object' && x !== null && REGISTRY_BRAND in x;
  }

  /** Which factory made it. */
  readonly kind: 'External' | 'InCluster';
  private endpoints?: Endpoints;
  private boundTo?: IRegistrySystem;

  private constructor(
    kind: 'External' | 'InCluster',
    endpoints: Endpoints | undefined,
    private readonly inClusterProps?: { objects: Omit<InClusterRegistryObjectsProps, 'namespace'>; pullHost: string },
  ) {
    Object.defineProperty(this, REGISTRY_BRAND, { value: true });
    this.kind = kind;
    this.endpoints = endpoints;
  }

  /** Where the images of `namespace`/`stream` are pushed and pulled. */
  repositoryFor(namespace: string, stream: string): StreamRepository {
    const endpoints = this.endpoints;
    if (!endpoints) {
      throw new Error("repositoryFor: the in-cluster registry's address depends on the System's namespace: set it on a System first, `new System(app, 'imagestreams', { registry })`");
    }
    const path = repositoryPath(namespace, stream, endpoints.pathPrefix);
    return {
      push: repositoryAt(endpoints.pushHost, path),
      pull: repositoryAt(endpoints.pullHost, path),
      insecure: endpoints.insecure,
      ...(endpoints.pushSecret ? { pushSecret: endpoints.pushSecret } : {}),
      ...(endpoints.pullSecret ? { pullSecret: endpoints.pullSecret } : {}),
    };
  }

  /** @internal Called by the System it is set on: emits the in-cluster registry's objects there. */
  _bind(system: IRegistrySystem): void {
    if (!this.inClusterProps) return;
    if (this.boundTo) {
      throw new Error(`[${system.node.path}] this StreamRegistry.inCluster() is already set on the System at '${this.boundTo.node.path}': call StreamRegistry.inCluster() once per System`);
    }
    this.boundTo = system;
    const namespace = system.systemNamespace;
    new InClusterRegistryObjects(system, 'registry', { ...this.inClusterProps.objects, namespace });
    this.endpoints = { pushHost: inClusterPushHost(namespace), pullHost: this.inClusterProps.pullHost, insecure: true };
  }
}
