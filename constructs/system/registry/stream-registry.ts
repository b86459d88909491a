import type { RuntimeVolume } from '../runtime-config-maps';
import type { IConstruct } from 'constructs';
import { checkGarbageCollection, checkHost, checkNodePort, checkPathPrefix, checkPinnedImage, checkSecretName, checkStorageClassName } from './checks';
import type { ExternalRegistryOptions } from './external-options';
import { checkOptions, keysOf } from '../../_input';
import { DEFAULT_REGISTRY_IMAGE, DEFAULT_REGISTRY_STORAGE, type InClusterRegistryOptions } from './in-cluster-options';
import { IN_CLUSTER_REGISTRY_NAMES, inClusterPushHost } from './in-cluster-names';
import { InClusterRegistryObjects, type InClusterRegistryObjectsProps } from './in-cluster-registry';
import { RegistryGarbageCollection, type RegistryGarbageCollectionOptions } from './garbage-collection';
import { RegistryCredentials } from './registry-credentials';
import { resourceRequirements, sizeQuantity } from './quantities';
import { DEFAULT_REGISTRY_RESOURCES } from './registry-pod';
import { repositoryAt, repositoryPath, type StreamRegistryDefaults } from '../../../lib/api/repository-path';
import type { StreamRepository } from './stream-repository';

const REGISTRY_BRAND = Symbol.for('cdk8s-imagestreams.StreamRegistry');

/** What a registry needs from the System it is set on (implemented by System). */
export interface IRegistrySystem extends IConstruct {
  readonly systemNamespace: string;
  /** The stock Node image that runs the runtime script (the in-cluster registry's credentials Job). */
  readonly runtimeImage: string;
  /** One of our default images as the System pulls it (through its image mirror). */
  mirrorImage(image: string): string;
  /** The runtime ConfigMap's name in the system namespace, emitting it there. */
  runtimeVolume(): RuntimeVolume;
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
 *   resolve cluster DNS unless told to, pull from `pullHost` (or `localhost:<nodePort>` through an
 *   opt-in NodePort Service, as microk8s's registry add-on does). Every request needs the registry's
 *   credentials: a Job of the System makes a random password at install time and a
 *   dockerconfigjson Secret, `imagestreams-registry`, in each namespace whose builds or workloads
 *   use the registry; builds push and pull bases with it, workloads that follow its streams list it
 *   in `imagePullSecrets`. Deletes are refused unless `allowDeletes`. Trade-offs:
 *   - plain http: container runtimes must be told to accept the pull address over http;
 *   - one credential for every namespace: whoever holds it can pull and push any stream's
 *     repository (not move a stream, which pins digests; not delete);
 *   - one replica on a ReadWriteOnce volume: pushes, and pulls of images not cached on a node,
 *     fail while it restarts;
 *   - blobs are freed only by `imagestreams prune images --confirm` (with `allowDeletes`) followed
 *     by the opt-in `garbageCollection` CronJob, which holds the registry read-only while it runs.
 */
export class StreamRegistry {
  /** A registry that exists already; builds push to `host[/pathPrefix]/<namespace>/<stream>`. */
  static external(options: ExternalRegistryOptions): StreamRegistry {
    return located('StreamRegistry.external():', () => StreamRegistry.externalChecked(checkOptions('StreamRegistry.external():', 'the options', options, EXTERNAL_KEYS, "{ host: 'registry.example.com' }")));
  }

  private static externalChecked(options: ExternalRegistryOptions): StreamRegistry {
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
    return located('StreamRegistry.inCluster():', () => StreamRegistry.inClusterChecked(options));
  }

  private static inClusterChecked(options: InClusterRegistryOptions): StreamRegistry {
    const nodePort = options.nodePort === undefined ? undefined : checkNodePort(options.nodePort);
    const objects: Omit<InClusterRegistryObjectsProps, 'namespace'> = {
      image: checkPinnedImage(options.image ?? DEFAULT_REGISTRY_IMAGE),
      storage: sizeQuantity('storage', options.storage ?? DEFAULT_REGISTRY_STORAGE),
      storageClassName: options.storageClassName === undefined ? undefined : checkStorageClassName(options.storageClassName),
      nodePort,
      resources: options.resources ? resourceRequirements(options.resources) : DEFAULT_REGISTRY_RESOURCES,
      allowDeletes: options.allowDeletes ?? false,
    };
    const pullHost = options.pullHost !== undefined ? checkHost('pullHost', options.pullHost) : nodePort !== undefined ? `localhost:${nodePort}` : undefined;
    const garbageCollection = options.garbageCollection === undefined ? undefined : checkGarbageCollection(options.garbageCollection, objects.allowDeletes, options.storageWarningPercent);
    return new StreamRegistry('InCluster', undefined, { objects, pullHost, garbageCollection });
  }

  /** Whether `x` is a StreamRegistry, across duplicate copies of this package (no `instanceof`). */
  static isStreamRegistry(x: unknown): x is StreamRegistry {
    return typeof x === 'object' && x !== null && REGISTRY_BRAND in x;
  }

  /** Which factory made it. */
  readonly kind: 'External' | 'InCluster';
  private endpoints?: Endpoints;
  private boundTo?: IRegistrySystem;
  /** Namespaces that name the in-cluster registry's credentials Secret, for its Job to make it there. */
  private readonly credentialNamespaces = new Set<string>();

  private constructor(
    kind: 'External' | 'InCluster',
    endpoints: Endpoints | undefined,
    private readonly inClusterProps?: {
      objects: Omit<InClusterRegistryObjectsProps, 'namespace'>;
      pullHost?: string;
      garbageCollection?: { schedule: string; timeoutSeconds: number; warnAt: number };
    },
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

  /**
   * The Secret that builds in `namespace` push with: the external registry's `pushSecret`, or the
   * in-cluster registry's credentials, which its Job then makes in `namespace`.
   */
  pushSecretIn(namespace: string): string | undefined {
    return this.secretIn(namespace, this.endpoints?.pushSecret);
  }

  /**
   * The Secret that objects in `namespace` pull the registry's images with (workloads'
   * `imagePullSecrets`, builds' bases): the external registry's `pullSecret`, or the in-cluster
   * registry's credentials, which its Job then makes in `namespace`.
   */
  pullSecretIn(namespace: string): string | undefined {
    return this.secretIn(namespace, this.endpoints?.pullSecret);
  }

  /**
   * The registry as the controller needs it for BuildConfigs applied without a Pipeline (OpenShift
   * YAML): where streams without spec.imageRepository keep their images, and the Secrets' names.
   * Undefined before the System binds an in-cluster registry (its address depends on the namespace).
   */
  controllerDefaults(): StreamRegistryDefaults | undefined {
    const e = this.endpoints;
    if (!e) return undefined;
    const secret = (external: string | undefined) => (this.kind === 'External' ? external : IN_CLUSTER_REGISTRY_NAMES.credentialsSecret);
    const pushSecret = secret(e.pushSecret);
    const pullSecret = secret(e.pullSecret);
    return {
      pushHost: e.pushHost, pullHost: e.pullHost, insecure: e.insecure,
      ...(e.pathPrefix ? { pathPrefix: e.pathPrefix } : {}), ...(pushSecret ? { pushSecret } : {}), ...(pullSecret ? { pullSecret } : {}),
    };
  }

  private secretIn(namespace: string, external: string | undefined): string | undefined {
    if (this.kind === 'External') return external;
    this.credentialNamespaces.add(namespace);
    return IN_CLUSTER_REGISTRY_NAMES.credentialsSecret;
  }

  /** @internal Called by the System it is set on: emits the in-cluster registry's objects there. */
  _bind(system: IRegistrySystem): void {
    if (!this.inClusterProps) return;
    if (this.boundTo) {
      throw new Error(`[${system.node.path}] this StreamRegistry.inCluster() is already set on the System at '${this.boundTo.node.path}': call StreamRegistry.inCluster() once per System`);
    }
    this.boundTo = system;
    const namespace = system.systemNamespace;
    const objects = this.inClusterProps.objects;
    // Only our default goes through the mirror: an image the user named is used as written.
    const image = objects.image === DEFAULT_REGISTRY_IMAGE ? system.mirrorImage(DEFAULT_REGISTRY_IMAGE) : objects.image;
    const registry = new InClusterRegistryObjects(system, 'registry', { ...objects, image, namespace });
    const pushHost = inClusterPushHost(namespace);
    const pullHost = this.inClusterProps.pullHost ?? pushHost;
    const secret = IN_CLUSTER_REGISTRY_NAMES.credentialsSecret;
    this.endpoints = { pushHost, pullHost, insecure: true, pushSecret: secret, pullSecret: secret };
    new RegistryCredentials(registry, 'credentials', {
      namespace, image: system.runtimeImage, runtimeVolume: system.runtimeVolume(), hosts: [pushHost, pullHost],
      namespaces: () => [...this.credentialNamespaces],
    });
    const gc = this.inClusterProps.garbageCollection;
    if (gc) new RegistryGarbageCollection(registry, 'garbage-collection', { ...gc, namespace, image: system.runtimeImage, runtimeVolume: system.runtimeVolume() });
  }
}

const EXTERNAL_KEYS = keysOf<ExternalRegistryOptions>({ host: true, insecure: true, pathPrefix: true, pushSecret: true, pullSecret: true });

/** Runs a factory's checks, its errors prefixed with the factory (`StreamRegistry.external():`) when they name no place. */
function located<T>(at: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof Error && !e.message.startsWith(at) && !e.message.startsWith('[')) e.message = `${at} ${e.message}`;
    throw e;
  }
}
