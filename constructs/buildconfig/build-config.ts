import { ApiObject, type Duration, Lazy } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BUILDCONFIG_LABEL } from '../../lib/api/labels';
import type { BuildConfigLike } from '../../lib/api/build-run';
import type { BuildConfigSpec, RunPolicy, WebhookType } from '../../lib/api/buildconfig';
import { BUILDCONFIG_KIND, GROUP_VERSION } from '../../lib/api/group';
import { ImageStreamTag } from '../imagestream/tag';
import { markUsesController } from '../system/managed-namespaces';
import { System } from '../system/system';
import { TektonPipeline, type TaskSpec } from '../tekton';
import { checkSecretName, checkTektonName } from './checks';
import { lateStreamProblems, streamTagsForShortNames } from './short-names';
import { checkOptions, keysOf, optionalBoolean, optionalDuration, optionalList, optionalNumber, optionalString } from '../_input';
import { namespaceOf, optionalLabels } from '../_names';
import { parseReference } from '../../lib/api/image-reference';
import { BuildOutput, resolveOutput, type ResolvedOutput } from './output';
import { checkPostCommit, type BuildPostCommit } from './post-commit';
import { buildPipelineSpec } from '../../lib/api/build-pipeline/pipeline';
import { SharedBuildObjects } from './pipeline/shared-tasks';
import { withMirroredDefaults } from '../../lib/api/build-pipeline/tasks/images';
import { GitPollCronJob } from './poll/git-poll-cron-job';
import { enforcedLevel, podSecurityWarning } from './pod-security-warning';
import { registryAccess, type RegistryAccess, type RegistryTlsOptions } from './registry-access';
import { BuildSource } from './source';
import { renderSpec } from './spec';
import { BuildStrategy } from './strategy';
import { BuildTrigger } from './trigger';
import { triggerCycle } from './trigger-cycles';
import { triggerBranch } from './webhook/branch';
import { WebhookListener } from './webhook/webhook-listener';

const BUILDCONFIG_BRAND = Symbol.for('cdk8s-imagestreams.BuildConfig');

/**
 * A BuildConfig: builds an image from sources in a Tekton Pipeline and pushes it, started by image
 * changes, config changes, webhooks or by hand (OpenShift's build.openshift.io/v1 BuildConfig).
 * @see https://docs.openshift.com/container-platform/latest/cicd/builds/understanding-buildconfigs.html
 */
export class BuildConfig extends Construct {
  static isBuildConfig(x: unknown): x is BuildConfig {
    return typeof x === 'object' && x !== null && BUILDCONFIG_BRAND in x;
  }

  readonly buildConfigName: string;
  readonly namespace: string;
  /** The image reference builds push to (with its tag). */
  readonly pushImage: string;
  /** The BuildConfig custom resource. */
  readonly resource: ApiObject;
  /** The Tekton Pipeline each build runs. */
  readonly pipeline: TektonPipeline;
  /** The shared Tasks the Pipeline refers to, by name. */
  readonly taskSpecs: Readonly<Record<string, TaskSpec>>;
  private readonly props: BuildConfigProps;
  private readonly output: ResolvedOutput;
  /** The Secret the build step pulls bases with. */
  private readonly pullSecret?: string;
  /** Per-registry TLS: insecure hosts and CAs. */
  private readonly registries: RegistryAccess;
  private readonly triggerList: BuildTrigger[] = [];
  private readonly serviceAccountName: string;
  private webhookListener?: WebhookListener;
  private warned = false;

  constructor(scope: Construct, id: string, props: BuildConfigProps) {
    super(scope, id);
    Object.defineProperty(this, BUILDCONFIG_BRAND, { value: true });
    const at = `[${this.node.path}]`;
    checkProps(at, props);
    this.buildConfigName = checkTektonName(at, props.name === undefined ? 'id' : 'name', props.name ?? id);
    this.namespace = namespaceOf(this, props.namespace, 'a BuildConfig');
    props = { ...props, strategy: props.strategy.withStreamTags(streamTagsForShortNames(this, this.namespace, props.strategy)) };
    this.props = props;
    this.output = resolveOutput(this, props.output);
    this.pushImage = this.output.image;
    this.pullSecret = basePullSecret(this, props.strategy, props.output, props.source);
    this.registries = registryAccess(at, props.registries, { host: parseReference(this.output.image).registry, insecure: this.output.insecure });
    const shared = SharedBuildObjects.in(this, this.namespace);
    this.serviceAccountName = props.serviceAccount === undefined ? shared.builderServiceAccount() : checkSecretName(at, 'serviceAccount', props.serviceAccount, 'ServiceAccount');
    this.taskSpecs = {};
    this.pipeline = this.createPipeline(props, shared);
    // Uploaded sources come with a start-build only (OpenShift's Binary builds).
    for (const trigger of props.triggers ?? (props.source.type === 'Binary' ? [] : defaultTriggers(props.strategy))) this.addTrigger(trigger);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: GROUP_VERSION,
      kind: BUILDCONFIG_KIND,
      metadata: { name: this.buildConfigName, namespace: this.namespace },
      // Lazy, so that triggers added after construction still count.
      spec: Lazy.any({ produce: () => this.renderSpec(props, this.triggerList) }),
    });
    this.node.addValidation({ validate: () => this.validationErrors() });
    markUsesController(this);
  }

  /** The controller starts this BuildConfig's builds here and records them in the output stream's namespace. */
  controllerNamespaces(): readonly string[] {
    const output = this.props.output.tag;
    return output ? [this.namespace, output.namespace] : [this.namespace];
  }

  /** `ns/stream:tag` of each tag whose new image starts a build (image-change triggers). */
  imageTriggerTags(): readonly string[] {
    return this.triggerList
      .filter((t) => t.type === 'ImageChange')
      .map((t) => t.from ?? this.props.strategy.base)
      .filter(ImageStreamTag.isImageStreamTag)
      .map((tag) => tag.toString());
  }

  /** `ns/stream:tag` of the output, when builds push to a stream tag. */
  outputTag(): string | undefined {
    return this.props.output.tag?.toString();
  }

  /**
   * The Pipeline, with the namespace's shared Tasks it refers to (recorded in taskSpecs): made from
   * the BuildConfig's own spec by the function the controller uses for BuildConfigs without one.
   */
  private createPipeline(props: BuildConfigProps, shared: SharedBuildObjects): TektonPipeline {
    const mirror = System.mirrorFor(this);
    const spec = this.renderSpec(props, []);
    const target = { image: this.output.image, buildConfig: `${this.namespace}/${this.buildConfigName}` };
    const pipeline = buildPipelineSpec(spec, target, (baseName, unmirrored) => {
      const task = withMirroredDefaults(unmirrored, mirror);
      const name = shared.taskName(baseName, task);
      (this.taskSpecs as Record<string, TaskSpec>)[name] = task;
      return { taskRef: { name } };
    });
    const metadata = { name: this.buildConfigName, namespace: this.namespace, labels: { [BUILDCONFIG_LABEL]: this.buildConfigName } };
    return new TektonPipeline(this, 'Pipeline', { metadata, spec: pipeline });
  }

  private renderSpec(props: BuildConfigProps, triggers: readonly BuildTrigger[]): BuildConfigSpec {
    return renderSpec({
      name: this.buildConfigName, namespace: this.namespace, props, output: this.output, triggers, serviceAccountName: this.serviceAccountName,
      pullSecret: this.pullSecret, registries: this.registries,
    });
  }

  /** Adds a trigger; duplicates and image triggers without a stream tag are refused. */
  addTrigger(trigger: BuildTrigger): void {
    const at = `[${this.node.path}]`;
    if (!BuildTrigger.isBuildTrigger(trigger)) throw new Error(`${at} 'triggers' must hold BuildTrigger values: use BuildTrigger.imageChange(), .configChange() or .webhook({ type, secret })`);
    if (this.props.source.type === 'Binary') {
      throw new Error(`${at} 'triggers' has a ${describe(trigger)} trigger, but BuildSource.binary() builds what imagestreams start-build --from-dir/--from-file/--from-archive uploads, so nothing else can start it: remove the trigger (triggers: [])`);
    }
    if (trigger.type === 'ImageChange' && !trigger.from && !ImageStreamTag.isImageStreamTag(this.props.strategy.base)) {
      const base = this.props.strategy.base === undefined ? 'none' : String(this.props.strategy.base);
      throw new Error(`${at} an imageChange trigger without 'from' follows the strategy's base, which is not a stream tag (${base}): set the base to stream.tag('...') or give the trigger 'from: stream.tag(...)'`);
    }
    const duplicate = this.triggerList.find((t) => t.key === trigger.key);
    if (duplicate) throw new Error(`${at} 'triggers' has the ${describe(trigger)} trigger twice: keep one`);
    const sameHost = trigger.webhook && this.triggerList.find((t) => t.type === trigger.type);
    if (sameHost) throw new Error(`${at} 'triggers' has two ${trigger.type} webhooks (secrets ${sameHost.secret} and ${trigger.secret}): keep one per git host`);
    if (trigger.webhook || trigger.type === 'GitPoll') this.addPushObjects(at, trigger);
    this.triggerList.push(trigger);
  }

  /** The Tekton Triggers objects of a webhook, or the CronJob of a git poll. */
  private addPushObjects(at: string, trigger: BuildTrigger): void {
    const what = trigger.type === 'GitPoll' ? 'gitPoll' : `${trigger.type} webhook`;
    const branchRef = triggerBranch(at, what, this.props.source);
    const resource = () => this.resource.toJson() as BuildConfigLike;
    const common = { buildConfig: this.buildConfigName, namespace: this.namespace, branchRef, resource };
    if (trigger.type === 'GitPoll') {
      new GitPollCronJob(this, 'GitPoll', { ...common, uri: this.props.source.uri!, interval: trigger.interval!, sourceSecret: this.props.source.sourceSecret,
        insecureIgnoreHostKey: this.props.source.insecureIgnoreHostKey,
      });
      return;
    }
    this.webhookListener ??= new WebhookListener(this, 'Webhooks', common);
    this.webhookListener.addWebhook(trigger.type as WebhookType, trigger.secret!, trigger.webhook!);
  }

  /** The triggers, in the order added. */
  get triggers(): readonly BuildTrigger[] {
    return [...this.triggerList];
  }

  // Not named validate(): constructs 10.3.0 refuses a construct with a method of that name.
  private validationErrors(): string[] {
    const problems: string[] = [...lateStreamProblems(this, this.props.strategy)];
    const tags = [
      this.props.strategy.base, ...Object.values(this.props.strategy.stages), ...this.triggerList.map((t) => t.from), ...this.props.source.images.map((i) => i.from),
    ].filter(ImageStreamTag.isImageStreamTag);
    for (const tag of tags) {
      if (!tag.isDefined) problems.push(`'${tag}' is not a tag of its stream: define it (importTag, aliasTag …) or refer to it with ImageStreamTag.external('${tag}')`);
    }
    for (const tag of tags) {
      const denied = tag.accessProblem(this.namespace, 'Pull');
      if (denied) problems.push(`builds from ${tag}: ${denied}`);
    }
    const output = this.props.output.tag?.accessProblem(this.namespace, 'Push');
    if (output) problems.push(`'output' pushes to ${this.props.output.tag}: ${output}`);
    const cycle = triggerCycle(this);
    if (cycle) problems.push(`this build triggers itself through its output: ${cycle}. Remove an image-change trigger or an alias of the chain`);
    const warning = podSecurityWarning(this.node.path, this.namespace, enforcedLevel(this, this.namespace), this.taskSpecs);
    if (warning && !this.warned) {
      this.warned = true;
      this.node.addMetadata('imagestreams:warning', warning);
      console.warn(`warning: ${warning}`);
    }
    return problems;
  }
}

/**
 * The Secret buildah pulls the base with: the strategy's own, else for a base that is a stream tag
 * the registry's pull Secret (a chained build's base is another build's output, in that registry),
 * and so for a stream output with the layer cache (which lives in that registry).
 * Buildpacks builders are step images, which the node pulls.
 */
function basePullSecret(bc: BuildConfig, strategy: BuildStrategy, output: BuildOutput, source: BuildSource): string | undefined {
  if (strategy.type === 'Buildpacks') return undefined;
  if (strategy.settings.pullSecret) return strategy.settings.pullSecret;
  // Uploaded sources, like the layer cache, live next to a stream output, in the registry.
  const cached = output.tag !== undefined && (!strategy.settings.noCache || source.type === 'Binary');
  if (!cached && ![strategy.base, ...Object.values(strategy.stages), ...source.images.map((i) => i.from)].some(ImageStreamTag.isImageStreamTag)) return undefined;
  const systems = System.allOf(bc);
  return systems.length === 1 ? systems[0].registry?.pullSecretIn(bc.namespace) : undefined;
}

/** As `oc new-build`: the base's image changes (and, beyond it, each stream-tag stage's), and a config change. */
function defaultTriggers(strategy: BuildStrategy): BuildTrigger[] {
  const base = ImageStreamTag.isImageStreamTag(strategy.base) ? strategy.base : undefined;
  const stageTags = Object.values(strategy.stages).filter(ImageStreamTag.isImageStreamTag).filter((tag) => tag.toString() !== base?.toString());
  const unique = [...new Map(stageTags.map((tag) => [tag.toString(), tag])).values()];
  return [...(base ? [BuildTrigger.imageChange()] : []), ...unique.map((from) => BuildTrigger.imageChange({ from })), BuildTrigger.configChange()];
}

function describe(trigger: BuildTrigger): string {
  if (trigger.type === 'ImageChange') return `imageChange (${trigger.from?.toString() ?? "the strategy's base"})`;
  if (trigger.type === 'ConfigChange') return 'configChange';
  if (trigger.type === 'GitPoll') return 'gitPoll';
  return `${trigger.type} webhook (secret ${trigger.secret})`;
}

export interface BuildConfigProps {
  /**
   * The BuildConfig's name, also its Pipeline's: at most 63 characters, as Tekton uses it in labels.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace the builds run in.
   * @default - the chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /** What is built: `BuildSource.git({ uri })` or `BuildSource.dockerfile(text)`. */
  readonly source: BuildSource;
  /** How: `BuildStrategy.dockerfile()`, `.sourceToImage()` or `.buildpacks({ builder })`. */
  readonly strategy: BuildStrategy;
  /** Where the image goes: `BuildOutput.imageStreamTag(stream.tag('latest'))` or `BuildOutput.image(ref)`. */
  readonly output: BuildOutput;
  /**
   * What starts builds. `[]` means only manual builds.
   * @default - imageChange on the strategy's base and its stages when they are stream tags, plus configChange (as `oc new-build`)
   */
  readonly triggers?: readonly BuildTrigger[];
  /**
   * How builds of this BuildConfig share time: one at a time, all at once, or one at a time skipping to the newest.
   * @default 'Serial'
   */
  readonly runPolicy?: RunPolicy;
  /**
   * Successful builds (PipelineRuns) kept.
   * @default 5
   */
  readonly successfulBuildsHistoryLimit?: number;
  /**
   * Failed builds (PipelineRuns) kept.
   * @default 5
   */
  readonly failedBuildsHistoryLimit?: number;
  /**
   * Compute resources of the build step (buildah, or the buildpacks lifecycle).
   * @default - none: the namespace's defaults
   */
  readonly resources?: ContainerResources;
  /**
   * Nodes the build pods may run on.
   * @default - any node
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * The longest a build may run (the PipelineRun timeout).
   * @default - Tekton's default (one hour)
   */
  readonly timeout?: Duration;
  /**
   * The ServiceAccount build pods run as, by name.
   * @default - 'imagestreams-builder', generated in the namespace with no RBAC at all and no token
   */
  readonly serviceAccount?: string;
  /**
   * How builds reach registries, by host (`host[:port]` as image references write it): `insecure`
   * (plain http or unverified https for that host alone) and `ca` (a private CA for that host,
   * `RegistryCa.fromConfigMap('internal-ca')`). Applies to every pull and push of the build: bases,
   * S2I builders, the output. The output registry of `BuildOutput.image(ref, { insecure: true })`
   * and of an insecure System registry is added here.
   * @default - every registry over https, verified with the system's CAs
   */
  readonly registries?: Readonly<Record<string, RegistryTlsOptions>>;
  /**
   * Run the build pods in a user namespace (`hostUsers: false`, Kubernetes >= 1.33): root in the
   * build is not root on the node.
   * @default false
   */
  readonly userNamespace?: boolean;
  /**
   * A command run in a container of the built image before it is pushed, e.g. the tests
   * (OpenShift's `postCommit`): its failure fails the build and nothing is pushed. Not for Buildpacks.
   * @default - none
   */
  readonly postCommit?: BuildPostCommit;
}

const RUN_POLICIES: readonly RunPolicy[] = ['Serial', 'Parallel', 'SerialLatestOnly'];

/** The checks of BuildConfig props that need no other construct; `at` is `[construct/path]`. */
const PROPS = keysOf<BuildConfigProps>({
  name: true, namespace: true, source: true, strategy: true, output: true, triggers: true, runPolicy: true, successfulBuildsHistoryLimit: true,
  failedBuildsHistoryLimit: true, resources: true, nodeSelector: true, timeout: true, serviceAccount: true, registries: true, userNamespace: true, postCommit: true,
});

function checkProps(at: string, props: BuildConfigProps): void {
  checkOptions(at, 'props', props, PROPS, "{ source: BuildSource.git({ uri }), strategy: BuildStrategy.dockerfile(), output: BuildOutput.imageStreamTag(stream.tag('latest')) }");
  optionalString(at, 'name', props.name, "'web'");
  optionalList(at, 'triggers', props.triggers, '[BuildTrigger.configChange()]', (t, i) => {
    if (!BuildTrigger.isBuildTrigger(t)) throw new Error(`${at} 'triggers[${i}]' must be made by BuildTrigger: .imageChange(), .configChange(), .gitPoll(), .github({ secret }) …`);
    return t;
  });
  for (const prop of ['successfulBuildsHistoryLimit', 'failedBuildsHistoryLimit'] as const) optionalNumber(at, prop, props[prop], '5');
  optionalLabels(at, 'nodeSelector', props.nodeSelector, "{ 'kubernetes.io/arch': 'amd64' }");
  optionalDuration(at, 'timeout', props.timeout, 'Duration.minutes(30)');
  optionalString(at, 'serviceAccount', props.serviceAccount, "'builder'");
  optionalBoolean(at, 'userNamespace', props.userNamespace);
  if (!BuildSource.isBuildSource(props.source)) throw new Error(`${at} 'source' must be BuildSource.git({ uri }) or BuildSource.dockerfile(text)`);
  if (!BuildStrategy.isBuildStrategy(props.strategy)) throw new Error(`${at} 'strategy' must be BuildStrategy.dockerfile(), .sourceToImage() or .buildpacks({ builder })`);
  if (!BuildOutput.isBuildOutput(props.output)) throw new Error(`${at} 'output' must be BuildOutput.imageStreamTag(stream.tag('latest')) or BuildOutput.image(ref)`);
  if (props.runPolicy !== undefined && !RUN_POLICIES.includes(props.runPolicy)) {
    throw new Error(`${at} 'runPolicy' (${props.runPolicy}) must be one of ${RUN_POLICIES.join(', ')}`);
  }
  for (const prop of ['successfulBuildsHistoryLimit', 'failedBuildsHistoryLimit'] as const) {
    const limit = props[prop];
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0 || limit > 1000)) throw new Error(`${at} '${prop}' (${limit}) must be a whole number from 0 to 1000`);
  }
  if (props.timeout !== undefined && props.timeout.toMilliseconds() <= 0) {
    throw new Error(`${at} 'timeout' (${props.timeout.toMilliseconds()}ms) must be positive, e.g. Duration.minutes(30); leave it out for Tekton's default`);
  }
  if (props.strategy.type === 'Buildpacks' && Object.keys(props.output.imageLabels).length > 0) {
    throw new Error(`${at} 'imageLabels' are not supported with BuildStrategy.buildpacks(): set BP_IMAGE_LABELS in the strategy's env (Paketo's image-labels buildpack)`);
  }
  if (props.strategy.type === 'Buildpacks' && props.source.type === 'Dockerfile') {
    throw new Error(`${at} 'source' is an inline Dockerfile, which BuildStrategy.buildpacks() cannot build: use BuildStrategy.dockerfile()`);
  }
  if (props.strategy.type === 'Buildpacks' && props.source.images.length > 0) {
    throw new Error(`${at} 'source' has images (${String(props.source.images[0].from)}), which BuildStrategy.buildpacks() cannot copy into its sources: use BuildStrategy.dockerfile() or .sourceToImage(), or leave them out`);
  }
  if (props.strategy.type === 'Buildpacks' && props.source.inputs.length > 0) {
    const input = props.source.inputs[0];
    throw new Error(`${at} 'source' has ${input.kind === 'secret' ? 'secrets' : 'configMaps'} (${input.name}), which BuildStrategy.buildpacks() cannot mount into its phases: use BuildStrategy.dockerfile() or .sourceToImage(), or leave them out`);
  }
  if (props.postCommit !== undefined) {
    checkPostCommit(at, props.postCommit);
    if (props.strategy.type === 'Buildpacks') throw new Error(`${at} 'postCommit' is not supported with BuildStrategy.buildpacks(): run the command in a later Pipeline task, or use BuildStrategy.dockerfile()`);
  }
  if (props.strategy.type === 'Source' && props.source.type === 'Dockerfile') {
    throw new Error(`${at} 'source' is an inline Dockerfile, which BuildStrategy.sourceToImage() cannot build: use BuildStrategy.dockerfile()`);
  }
}
