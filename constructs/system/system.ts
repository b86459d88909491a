import { ApiObject, Chart } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { customResourceDefinitions } from '../../lib/api/crds';
import { checkControllerOptions, Controller, type ControllerOptions } from './controller';
export type { ControllerOptions } from './controller';
import { AppNamespaces } from './app-namespaces';
import { namespacesInTree } from './managed-namespaces';
import { StreamRegistry } from './registry/stream-registry';
import { checkMadeBy, checkOptions, keysOf, optionalBoolean, optionalString, optionalStringList, wrongValue } from '../_input';
import { checkNamespace } from '../_names';
import { checkImageMirror, mirrorImage, type ImageMirror } from './image-mirror';
import { RuntimeConfigMaps, type RuntimeVolume } from './runtime-config-maps';
import { checkOneCdk8s } from './one-cdk8s';
import { register, registered } from '../_app-index';
import { SYSTEM_LABELS } from '../../lib/api/group';
import { isDnsLabel } from '../../lib/api/names';

/** A stock Node.js LTS image: the runtime is a script, so no image of ours is needed. */
/**
 * Node.js 24 on Alpine, pinned: the digest three public projects pin for node:24-alpine (found with
 * code search; the tag moves with each Node.js release, the digest never does).
 */
export const DEFAULT_RUNTIME_IMAGE = 'docker.io/library/node:24-alpine@sha256:d32cdf619f63fe0471182d08996dd516c6275bb5fd31ae06e55a570bd9e1ad43';
export const DEFAULT_SYSTEM_NAMESPACE = 'imagestreams-system';

const SYSTEM_BRAND = Symbol.for('cdk8s-imagestreams.System');
/** SharedBuildObjects' brand (constructs/buildconfig depends on the System, not the other way). */
const SHARED_BUILD_OBJECTS_BRAND = Symbol.for('cdk8s-imagestreams.SharedBuildObjects');

export interface SystemProps {
  /**
   * The namespace for the system's own objects (the controller and its runtime ConfigMap).
   * @default 'imagestreams-system'
   */
  readonly namespace?: string;
  /**
   * Whether to emit the Namespace object for `namespace`. Turn off when it is managed elsewhere.
   * Labelled `pod-security.kubernetes.io/enforce: restricted` (every pod the System runs there meets
   * it), or `baseline` when BuildConfigs build there too.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Whether to emit a Namespace for every other namespace that an object of the app is in, so that
   * the first apply on an empty cluster finds them. Namespaces the app defines itself (a `v1`
   * Namespace object of its own) and the built-in ones (`default`, `kube-*`) are never emitted.
   * Those where BuildConfigs build are labelled `pod-security.kubernetes.io/enforce: baseline` (what
   * buildah needs); the others get no Pod Security label (your workloads run there: the cluster's
   * default applies). Turn off when namespaces are managed elsewhere.
   * @default true
   */
  readonly createAppNamespaces?: boolean;
  /**
   * Namespaces the app uses but must not emit: another team or tool manages them. Each must be a
   * namespace name (a DNS-1123 label).
   * @default - none
   */
  readonly externalNamespaces?: readonly string[];
  /**
   * The container image that runs the runtime script: any image with Node.js >= 20 at `node` on
   * its PATH. Pin it by digest (`node:24-alpine@sha256:…`) for reproducible installs.
   * @default - docker.io/library/node:24-alpine, pinned by digest (DEFAULT_RUNTIME_IMAGE)
   */
  readonly runtimeImage?: string;
  /**
   * Pull the images the System and the builds run (the runtime, the registry, the build steps) from
   * mirrors: registry host → prefix, e.g. `{ 'docker.io': 'mirror.example.com/docker.io' }`. Images
   * you name yourself (bases, builders, a runtimeImage you set) are left as you wrote them.
   * @default - none: pulled from where they are published
   */
  readonly imageMirror?: ImageMirror;
  /**
   * The registry behind streams (OpenShift's internal registry): where builds push, and what each
   * stream records as its push and pull repository. `StreamRegistry.external({ host, pushSecret })`
   * names a registry you run; `StreamRegistry.inCluster()` deploys a CNCF distribution registry in
   * `namespace` (plain http, one replica, garbage collection opt-in: see StreamRegistry for the trade-offs).
   * @default - none: builds must name an output image explicitly
   */
  readonly registry?: StreamRegistry;
  /**
   * The controller (follows alias tags, starts builds, sets workload images): a leader-elected
   * Deployment named `imagestreams-controller` in `namespace`, with a Role in each namespace that the
   * app's ImageStreams, BuildConfigs and workload triggers use (see `manageNamespace`). It is emitted
   * only when there is such a namespace. `false` for installs that only want scheduled imports.
   * @default - one replica, two workers
   */
  readonly controller?: ControllerOptions | false;
}

/**
 * What the project installs in a cluster: the CustomResourceDefinitions, the runtime ConfigMap and
 * (as features land) the controller. One per app, in a chart of its own; other constructs find it
 * with `System.of(this)`.
 */
export class System extends Chart {
  /** The System of the app that `scope` belongs to; a clear error when there is none. */
  static override of(scope: IConstruct): System {
    const systems = System.allOf(scope);
    if (systems.length === 1) return systems[0];
    if (systems.length === 0) {
      throw new Error(`[${scope.node.path}] needs the cdk8s-imagestreams System in its app: add \`new System(app, 'imagestreams')\``);
    }
    throw new Error(`[${scope.node.path}] the app has ${systems.length} System constructs (${systems.map((s) => s.node.path).join(', ')}); keep one`);
  }

  /** The mirror of our default images for `scope`'s app: identity without a System or an imageMirror. */
  static mirrorFor(scope: IConstruct): (image: string) => string {
    const system = System.allOf(scope)[0];
    return (image) => (system ? system.mirrorImage(image) : image);
  }

  /** Every System of `scope`'s app, in the order they were made (found without walking the tree). */
  static allOf(scope: IConstruct): readonly System[] {
    return registered(scope, 'System', System.isSystem);
  }

  /** Whether `x` is a System, across duplicate copies of this package (no `instanceof`). */
  static isSystem(x: unknown): x is System {
    return typeof x === 'object' && x !== null && SYSTEM_BRAND in x;
  }

  readonly systemNamespace: string;
  readonly runtimeImage: string;
  /** Registry host → mirror prefix for the images we run (see SystemProps.imageMirror). */
  readonly imageMirror?: ImageMirror;
  /** The registry behind streams, when one is set. */
  readonly registry?: StreamRegistry;
  private readonly runtime: RuntimeConfigMaps;
  private readonly controllerOptions?: ControllerOptions;
  private readonly extraNamespaces = new Set<string>();
  private controllerConstruct?: Controller;

  constructor(scope: Construct, id: string, props: SystemProps = {}) {
    const namespace = props.namespace ?? DEFAULT_SYSTEM_NAMESPACE;
    // No chart namespace: cdk8s would stamp it on cluster-scoped objects (Namespace, CRDs) too.
    super(scope, id, { labels: { ...SYSTEM_LABELS } });
    checkOneCdk8s(this);
    refuseSecondSystem(this);
    Object.defineProperty(this, SYSTEM_BRAND, { value: true });
    register(this, 'System');
    checkSystemProps(this, props);
    this.systemNamespace = namespace;
    this.imageMirror = props.imageMirror === undefined ? undefined : checkImageMirror(`[${this.node.path}]`, props.imageMirror);
    if (this.imageMirror) refuseEarlierBuilds(this);
    this.runtimeImage = props.runtimeImage !== undefined ? checkRuntimeImage(`[${this.node.path}]`, props.runtimeImage) : this.mirrorImage(DEFAULT_RUNTIME_IMAGE);
    // First child: its Namespaces come first in the chart's output, before what goes in them.
    new AppNamespaces(this, 'namespaces', {
      systemNamespace: namespace,
      createSystemNamespace: props.createNamespace ?? true,
      createAppNamespaces: props.createAppNamespaces ?? true,
      externalNamespaces: new Set(checkExternalNamespaces(this, props.externalNamespaces ?? [])),
    });
    for (const crd of customResourceDefinitions()) new ApiObject(this, `crd-${crd.spec.names.plural}`, crd);
    this.runtime = new RuntimeConfigMaps(this, 'runtime');
    this.runtimeVolume(namespace);
    this.registry = props.registry;
    this.registry?._bind(this);
    if (props.controller !== false) {
      this.controllerOptions = checkControllerOptions(props.controller ?? {});
      // Validation is cdk8s's last step before any chart renders: the one point where the whole tree is
      // known and objects can still be added (an object made while a chart renders would be missed).
      this.node.addValidation({ validate: () => (this.emitController(), []) });
    }
  }

  /**
   * Lets the controller watch and write in `namespace`, besides the namespaces found in the app
   * (those of ImageStreams and of workloads that follow tags). BuildConfigs call it for theirs.
   */
  manageNamespace(namespace: string): void {
    if (!isDnsLabel(namespace)) {
      throw new Error(`[${this.node.path}] manageNamespace('${namespace}'): not a namespace name: use at most 63 lower-case letters, digits and '-'`);
    }
    this.extraNamespaces.add(namespace);
  }

  /** The namespaces the controller manages, as the tree stands now: sorted. */
  get managedNamespaces(): string[] {
    return namespacesInTree(this.node.root, this.extraNamespaces);
  }

  /** The controller, once synthesis has emitted it (undefined with `controller: false` or nothing to manage). */
  get controller(): Controller | undefined {
    return this.controllerConstruct;
  }

  private emitController(): void {
    const namespaces = this.managedNamespaces;
    if (!this.controllerOptions || namespaces.length === 0) return;
    this.controllerConstruct ??= new Controller(this, 'controller', {
      ...this.controllerOptions,
      namespace: this.systemNamespace,
      image: this.runtimeImage,
      runtimeVolume: this.runtimeVolume(),
      streamRegistry: () => this.registry?.controllerDefaults(),
      ...(this.imageMirror ? { imageMirror: this.imageMirror } : {}),
    });
    this.controllerConstruct.grantNamespaces(namespaces);
  }

  /** One of our default images as this System pulls it: through its mirror, when it has one for the image's registry. */
  mirrorImage(image: string): string {
    return mirrorImage(image, this.imageMirror);
  }

  /** The runtime's volume in `namespace`, emitting its ConfigMaps there on first use. */
  runtimeVolume(namespace: string = this.systemNamespace): RuntimeVolume {
    return this.runtime.volumeIn(namespace);
  }
}

function checkExternalNamespaces(system: System, namespaces: readonly string[]): readonly string[] {
  for (const ns of namespaces) {
    if (!isDnsLabel(ns)) {
      throw new Error(`[${system.node.path}] 'externalNamespaces' holds '${ns}', which is not a namespace name: use at most 63 lower-case letters, digits and '-'`);
    }
  }
  return namespaces;
}

function checkRuntimeImage(at: string, image: string): string {
  const lastSegment = image.split('/').pop() ?? '';
  if (!lastSegment.includes(':') && !image.includes('@sha256:')) {
    throw new Error(`${at} 'runtimeImage' (${image}) has no tag or digest: pin a version, e.g. docker.io/library/node:24-alpine, or a digest`);
  }
  return image;
}

/** BuildConfigs made before the System emitted their Tasks without its mirror: refused, not silently unmirrored. */
function refuseEarlierBuilds(system: System): void {
  const shared = registered(system, 'SharedBuildObjects', (c): c is IConstruct => SHARED_BUILD_OBJECTS_BRAND in c)[0];
  if (shared) {
    throw new Error(`[${system.node.path}] 'imageMirror' must be known before the first BuildConfig ('${shared.node.path}' was made first, its Tasks unmirrored): create the System before the BuildConfigs`);
  }
}

/** A second System is refused where it is made: one error, not one from every construct that looks for the System. */
function refuseSecondSystem(system: System): void {
  const first = system.node.root.node.findAll().find(System.isSystem);
  if (first) {
    throw new Error(`[${system.node.path}] the app already has a System ('${first.node.path}'): an app has exactly one, which serves all its namespaces; remove this one (to run the system elsewhere, set 'namespace' on the first)`);
  }
}

const PROPS = keysOf<SystemProps>({
  namespace: true, createNamespace: true, createAppNamespaces: true, externalNamespaces: true, runtimeImage: true, imageMirror: true, registry: true, controller: true,
});

/** The System's props by type and key, and its namespace as a namespace name. */
function checkSystemProps(system: System, props: SystemProps): void {
  const at = `[${system.node.path}]`;
  checkOptions(at, 'props', props, PROPS, "{ namespace: 'imagestreams-system', registry: StreamRegistry.inCluster() }");
  if (props.namespace !== undefined) checkNamespace(at, 'namespace', props.namespace);
  optionalBoolean(at, 'createNamespace', props.createNamespace);
  optionalBoolean(at, 'createAppNamespaces', props.createAppNamespaces);
  optionalStringList(at, 'externalNamespaces', props.externalNamespaces, "['shared']");
  optionalString(at, 'runtimeImage', props.runtimeImage, "'docker.io/library/node:24-alpine'");
  if (props.registry !== undefined) checkMadeBy(at, 'registry', props.registry, StreamRegistry.isStreamRegistry, "StreamRegistry.external({ host: 'registry.example.com' }) or StreamRegistry.inCluster()");
  if (props.controller !== undefined && props.controller !== false && (typeof props.controller !== 'object' || props.controller === null || Array.isArray(props.controller))) {
    wrongValue(at, 'controller', props.controller, 'false (no controller) or its options, e.g. { replicas: 2 }');
  }
}
