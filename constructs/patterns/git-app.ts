import { ApiObject, JsonPatch } from 'cdk8s';
import { namespaceOf } from '../_names';
import { checkOptions, keysOf } from '../_input';
import type * as kplusTypes from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BuildConfig } from '../buildconfig/build-config';
import { BuildOutput } from '../buildconfig/output';
import { BuildSource, type GitSourceOptions } from '../buildconfig/source';
import { BuildStrategy } from '../buildconfig/strategy';
import { BuildTrigger, type WebhookTriggerOptions } from '../buildconfig/trigger';
import { ImageStream } from '../imagestream/image-stream';
import { checkTagName, ImageStreamTag } from '../imagestream/tag';
import { isDnsLabel } from '../../lib/api/names';
import { AppBase } from './app-base';

const GIT_APP_BRAND = Symbol.for('cdk8s-imagestreams.GitApp');

/** How a GitApp is built: its Dockerfile, or source-to-image over a builder. */
export type GitAppStrategy = 'Docker' | 'Source';

export interface GitAppIngressOptions {
  /** The host name, e.g. 'foo.example.com'. */
  readonly host: string;
  /**
   * The URL path prefix.
   * @default '/'
   */
  readonly path?: string;
  /**
   * A kubernetes.io/tls Secret for the host.
   * @default - no TLS section
   */
  readonly tlsSecret?: string;
}

const PROPS = keysOf<GitAppProps>({
  name: true, namespace: true, git: true, strategy: true, base: true, dockerfilePath: true, buildEnv: true, tag: true, webhooks: true, ports: true,
  replicas: true, env: true, container: true, ingress: true,
});

export interface GitAppProps {
  /**
   * The name of the app's stream, BuildConfig, Deployment, Service and container (a DNS label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace of every object of the app.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The repository: `{ uri, ref, contextDir, sourceSecret }` as `BuildSource.git()` takes them. */
  readonly git: GitSourceOptions;
  /**
   * How the image is built: the repository's Dockerfile, or source-to-image.
   * @default 'Docker'
   */
  readonly strategy?: GitAppStrategy;
  /**
   * What the build starts from: the Dockerfile's first FROM (Docker) or the S2I builder (Source).
   * `AppBase.importImage(...)` and `AppBase.tag(...)` rebuild the app when the base moves.
   * @default - the Dockerfile's own FROM (Docker); the builder of the detected language (Source)
   */
  readonly base?: AppBase;
  /**
   * The Dockerfile, relative to the context directory (Docker strategy).
   * @default 'Dockerfile'
   */
  readonly dockerfilePath?: string;
  /**
   * Environment of the build (Docker: buildah --env; Source: assemble).
   * @default - none
   */
  readonly buildEnv?: Readonly<Record<string, string>>;
  /**
   * The stream tag builds push to and the Deployment follows.
   * @default 'latest'
   */
  readonly tag?: string;
  /**
   * Webhooks of git hosts that start builds on each push to `git.ref` (a branch).
   * @default - none
   */
  readonly webhooks?: readonly WebhookTriggerOptions[];
  /**
   * The container ports, exposed by a Service of the app's name. `[]`: no Service.
   * @default [8080] (what S2I images and most app servers listen on)
   */
  readonly ports?: readonly number[];
  /**
   * Pods of the Deployment.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Environment of the running container.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Further container settings (resources, probes, volume mounts …), merged over the defaults: the
   * restricted Pod Security settings (non-root, no privilege escalation, every capability dropped,
   * a writable root filesystem as OpenShift gives) and cdk8s-plus's resources.
   * @default - the defaults alone
   */
  readonly container?: Omit<kplusTypes.ContainerProps, 'image' | 'name'>;
  /**
   * An Ingress to the Service (OpenShift's Route).
   * @default - none
   */
  readonly ingress?: GitAppIngressOptions;
}

/**
 * An app built from git and deployed, as `oc new-app <git-url>` makes it: an ImageStream for its
 * image, a BuildConfig that builds it (on a tracked base: imported on a schedule, a new digest
 * rebuilds), a cdk8s-plus Deployment that follows the stream's tag by digest, and a Service.
 */
export class GitApp extends Construct {
  static isGitApp(x: unknown): x is GitApp {
    return typeof x === 'object' && x !== null && GIT_APP_BRAND in x;
  }

  readonly appName: string;
  readonly namespace: string;
  /** The stream builds push to. */
  readonly stream: ImageStream;
  /** The stream the base is imported into (`AppBase.importImage`). */
  readonly baseStream?: ImageStream;
  /** The tag builds push to, which the Deployment follows. */
  readonly outputTag: ImageStreamTag;
  readonly buildConfig: BuildConfig;
  readonly deployment: kplusTypes.Deployment;
  /** The Service, unless `ports` is empty. */
  readonly service?: kplusTypes.Service;
  readonly ingress?: kplusTypes.Ingress;

  constructor(scope: Construct, id: string, props: GitAppProps) {
    super(scope, id);
    Object.defineProperty(this, GIT_APP_BRAND, { value: true });
    const at = `[${this.node.path}]`;
    checkOptions(at, 'props', props, PROPS, "{ git: { uri: 'https://github.com/org/app.git' } }");
    this.appName = checkName(at, props.name === undefined ? 'id' : 'name', props.name ?? id);
    this.namespace = namespaceOf(this, props.namespace, 'a GitApp');
    const ports = checkPorts(at, props.ports ?? [8080]);
    if (props.base !== undefined && !AppBase.isAppBase(props.base)) throw new Error(`${at} 'base' must be AppBase.importImage(image), AppBase.tag(stream.tag(...)) or AppBase.image(ref)`);
    const bound = props.base?.bind(this, 'Base', this.namespace);
    this.baseStream = bound?.stream;
    this.stream = new ImageStream(this, 'Stream', { name: this.appName, namespace: this.namespace });
    this.outputTag = this.stream.tag(checkTagName(props.tag ?? 'latest', 'tag', at));
    this.buildConfig = new BuildConfig(this, 'Build', {
      name: this.appName,
      namespace: this.namespace,
      source: BuildSource.git(props.git),
      strategy: strategy(at, props, bound?.base),
      output: BuildOutput.imageStreamTag(this.outputTag),
      triggers: [
        ...(ImageStreamTag.isImageStreamTag(bound?.base) ? [BuildTrigger.imageChange()] : []),
        BuildTrigger.configChange(),
        ...(props.webhooks ?? []).map((w) => BuildTrigger.webhook(w)),
      ],
    });
    // Loaded here, not at the top: apps that use no GitApp don't pay for loading cdk8s-plus.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kplus: typeof kplusTypes = require('cdk8s-plus-27');
    this.deployment = this.createDeployment(kplus, props, ports);
    this.outputTag.deployTo(this.deployment, { container: this.appName });
    if (ports.length > 0) {
      this.service = new kplus.Service(this, 'Service', {
        metadata: { name: this.appName, namespace: this.namespace },
        selector: this.deployment,
        ports: ports.map((port) => ({ name: `${port}-tcp`, port, targetPort: port })),
      });
    }
    if (props.ingress) this.ingress = this.createIngress(kplus, at, props.ingress, ports);
  }

  private createDeployment(kplus: typeof kplusTypes, props: GitAppProps, ports: readonly number[]): kplusTypes.Deployment {
    const deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: this.appName, namespace: this.namespace, labels: { 'app.kubernetes.io/name': this.appName } },
      podMetadata: { labels: { 'app.kubernetes.io/name': this.appName } },
      replicas: props.replicas ?? 1,
      containers: [{
        // What the app says until the controller's first sync sets the tag's digest.
        image: this.outputTag.pullSpec() ?? this.outputTag.name,
        ports: ports.map((number) => ({ number })),
        envVariables: Object.fromEntries(Object.entries(props.env ?? {}).map(([name, value]) => [name, kplus.EnvValue.fromValue(value)])),
        securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL' as kplusTypes.Capability] } },
        ...props.container,
        name: this.appName,
      }],
    });
    // Pod Security "restricted" also wants the runtime's default seccomp profile, which cdk8s-plus has no prop for.
    ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
    return deployment;
  }

  private createIngress(kplus: typeof kplusTypes, at: string, options: GitAppIngressOptions, ports: readonly number[]): kplusTypes.Ingress {
    if (!this.service) throw new Error(`${at} 'ingress' needs a Service, and 'ports' is empty: give the port the Ingress forwards to`);
    const ingress = new kplus.Ingress(this, 'Ingress', { metadata: { name: this.appName, namespace: this.namespace } });
    ingress.addHostRule(options.host, options.path ?? '/', kplus.IngressBackend.fromService(this.service, { port: ports[0] }), kplus.HttpIngressPathType.PREFIX);
    if (options.tlsSecret) ingress.addTls([{ hosts: [options.host], secret: kplus.Secret.fromSecretName(this, 'TlsSecret', options.tlsSecret) }]);
    return ingress;
  }
}

function strategy(at: string, props: GitAppProps, base: ImageStreamTag | string | undefined): BuildStrategy {
  const type = props.strategy ?? 'Docker';
  if (type === 'Docker') return BuildStrategy.dockerfile({ from: base, dockerfilePath: props.dockerfilePath, env: props.buildEnv });
  if (type !== 'Source') throw new Error(`${at} 'strategy' (${String(type)}) must be 'Docker' or 'Source'`);
  if (props.dockerfilePath !== undefined) throw new Error(`${at} 'dockerfilePath' is for the Docker strategy: remove it, or set strategy: 'Docker'`);
  return BuildStrategy.sourceToImage({ builderImage: base, env: props.buildEnv });
}

function checkName(at: string, prop: string, name: string): string {
  if (!isDnsLabel(name)) throw new Error(`${at} '${prop}' (${name}) must be a DNS label (lower-case letters, digits and '-', at most 63), as it names the app's Service${prop === 'id' ? ": set the 'name' prop" : ''}`);
  return name;
}

function checkPorts(at: string, ports: readonly number[]): readonly number[] {
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${at} 'ports' has ${port}, which is not a port: use whole numbers from 1 to 65535`);
  }
  if (new Set(ports).size !== ports.length) throw new Error(`${at} 'ports' (${ports.join(', ')}) lists a port twice: list each once`);
  return ports;
}

