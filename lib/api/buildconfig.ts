/**
 * The BuildConfig custom resource: OpenShift's build.openshift.io/v1 BuildConfig spec, plus our
 * additions (pipelineRef, params, stages, Buildpacks, GitPoll, workspaces, podTemplate). A build runs
 * the Tekton Pipeline made from the spec (buildPipelineSpec): synthesized with the BuildConfig and
 * named by `spec.pipelineRef`, or embedded in each run by the controller when the BuildConfig names
 * none (one applied as OpenShift YAML). Plain data types shared by the constructs and the runtime.
 */
import type { BUILDCONFIG_KIND } from './group';

/** OpenShift's defaults for the builds kept per BuildConfig. */
export const DEFAULT_SUCCESSFUL_BUILDS_HISTORY_LIMIT = 5;
export const DEFAULT_FAILED_BUILDS_HISTORY_LIMIT = 5;

/**
 * The Pipeline params every build run sets from its BuildConfig's spec at the time of the run
 * (pipelineRunFor), so that editing the BuildConfig in the cluster changes the next build; the
 * Pipeline's defaults (from synthesis) cover the rest.
 */
export const BASE_IMAGE_PARAM = 'BASE_IMAGE';
export const REVISION_PARAM = 'REVISION';
export const URL_PARAM = 'URL';
export const CONTEXT_DIR_PARAM = 'CONTEXT_DIR';
export const DOCKERFILE_TEXT_PARAM = 'DOCKERFILE_TEXT';
/** `stage=image` items: each replaces the image of a named stage's FROM (Docker strategy). */
export const STAGE_IMAGES_PARAM = 'STAGE_IMAGES';
/** `index=image` items: the image of each of `source.images` (stream tags by digest, set per run). */
export const IMAGE_SOURCES_PARAM = 'IMAGE_SOURCES';
/**
 * `NAME=value` items one run adds to the build's env and build args (`start-build --env/--build-arg`),
 * after the BuildConfig's own, so that they win; percent-encoded as the Pipeline's ENV and BUILD_ARGS.
 */
export const RUN_ENV_PARAM = 'RUN_ENV';
export const RUN_BUILD_ARGS_PARAM = 'RUN_BUILD_ARGS';
/** The sources `start-build --from-dir/--from-file/--from-archive` uploaded: an image by digest (Binary sources). */
export const SOURCE_ARCHIVE_PARAM = 'SOURCE_ARCHIVE';

/**
 * Where a build's RUN instructions see a source Secret's or ConfigMap's files: a relative directory
 * from the root, whose segments are names (`.m2` too) with no `..` in them. RE2 and JavaScript both
 * read it (the CRD's pattern, the constructs' check).
 */
export const BUILD_INPUT_DIR_PATTERN = '^\\.?[A-Za-z0-9_][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*\\.?(?:/\\.?[A-Za-z0-9_][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*\\.?)*$';

/** An env var or build arg name, as a shell and a Dockerfile's ARG read it. */
export function isVariableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** Serial: one build at a time, in order; Parallel: no limit; SerialLatestOnly: one at a time, queued ones replaced by the newest. */
export type RunPolicy = 'Serial' | 'Parallel' | 'SerialLatestOnly';

export type BuildStrategyType = 'Docker' | 'Source' | 'Buildpacks';

/** An image or a stream tag, as OpenShift's ObjectReference for builds. */
export interface BuildImageReference {
  /** ImageStreamImage (`stream@sha256:…`) is OpenShift's name for one image of a stream's history. */
  readonly kind: 'ImageStreamTag' | 'DockerImage' | 'ImageStreamImage';
  /** `stream:tag`, `stream@sha256:…` or an image reference. */
  readonly name: string;
  /** For ImageStreamTag and ImageStreamImage: the stream's namespace. @default - the BuildConfig's */
  readonly namespace?: string;
}

export interface SecretReference {
  readonly name: string;
}

/** A `NAME=value` of a build's env or build args (OpenShift's EnvVar; `valueFrom` is refused by the CRD). */
export interface BuildEnvVar {
  readonly name: string;
  /** @default '' */
  readonly value?: string;
}

export interface GitBuildSource {
  readonly uri: string;
  /** @default - the remote's default branch */
  readonly ref?: string;
  /** ssh sources: connect without checking the host key when the source secret has no known_hosts (beyond OpenShift). */
  readonly insecureIgnoreHostKey?: boolean;
}

/** Files copied out of an image into the build context before the build (OpenShift's ImageSource). */
export interface ImageBuildSource {
  readonly from: BuildImageReference;
  /** Paths to copy: `sourcePath` in the image (a directory copies its content with `/.` at its end), `destinationDir` relative to the context. */
  readonly paths: readonly { readonly sourcePath: string; readonly destinationDir: string }[];
  /** kubernetes.io/dockerconfigjson Secret to pull the image with. */
  readonly pullSecret?: SecretReference;
}

export type BuildSourceType = 'Git' | 'Dockerfile' | 'Binary' | 'Image' | 'None';

/**
 * What is built: a git repository, an inline Dockerfile, sources each build's starter uploads, or
 * only files from images. `type` may be left out: it is the one of git/dockerfile/binary/images
 * present, as OpenShift infers it.
 */
export interface BuildSourceSpec {
  readonly type?: BuildSourceType;
  /** Binary: `asFile` names an uploaded single file. */
  readonly binary?: { readonly asFile?: string };
  readonly git?: GitBuildSource;
  /** The inline Dockerfile (type Dockerfile). */
  readonly dockerfile?: string;
  /** Files from images, copied into the context before the build. */
  readonly images?: readonly ImageBuildSource[];
  /** Sub-directory of the repository to build. */
  readonly contextDir?: string;
  /** kubernetes.io/basic-auth or kubernetes.io/ssh-auth Secret for the clone. */
  readonly sourceSecret?: SecretReference;
  /** Secrets whose files the build's RUN instructions see in /<destinationDir>, never in the image. */
  readonly secrets?: readonly { readonly secret: SecretReference; readonly destinationDir: string }[];
  /** ConfigMaps whose files the build's RUN instructions see in /<destinationDir>, never in the image. */
  readonly configMaps?: readonly { readonly configMap: { readonly name: string }; readonly destinationDir: string }[];
}

/** The image of one named stage of a multi-stage Dockerfile (beyond OpenShift). */
export interface BuildStageSpec {
  /** The stage's name (`FROM image AS name`), lowercase. */
  readonly name: string;
  readonly from: BuildImageReference;
}

/** OpenShift's DockerBuildStrategy, plus `stages`. */
export interface DockerBuildStrategy {
  /** Replaces the image of the Dockerfile's last FROM (the stage that becomes the image). */
  readonly from?: BuildImageReference;
  /** Images of named stages (beyond OpenShift). */
  readonly stages?: readonly BuildStageSpec[];
  readonly pullSecret?: SecretReference;
  readonly env?: readonly BuildEnvVar[];
  /** Reuse no cached layer, and push none to the layer cache. */
  readonly noCache?: boolean;
  /** Pull the base even when a copy is at hand (every build pod starts empty here, so it always does). */
  readonly forcePull?: boolean;
  /** Relative to the context directory. @default 'Dockerfile' */
  readonly dockerfilePath?: string;
  readonly buildArgs?: readonly BuildEnvVar[];
  /** None (a layer per instruction), SkipLayers (squash the new layers into one), SkipLayersAndWarn (as SkipLayers). */
  readonly imageOptimizationPolicy?: 'None' | 'SkipLayers' | 'SkipLayersAndWarn';
}

/** OpenShift's SourceBuildStrategy (S2I), plus `builders` and `noCache`. */
export interface SourceBuildStrategy {
  /** The S2I builder image. @default - the detected language's builder (`builders`) */
  readonly from?: BuildImageReference;
  /** Builder image per language, when `from` is not set (beyond OpenShift). */
  readonly builders?: readonly { readonly language: string; readonly image: string }[];
  readonly pullSecret?: SecretReference;
  readonly env?: readonly BuildEnvVar[];
  /** Where the builder keeps assemble and run, `image:///path`. */
  readonly scripts?: string;
  readonly incremental?: boolean;
  readonly forcePull?: boolean;
  readonly noCache?: boolean;
}

/** Cloud Native Buildpacks (beyond OpenShift). */
export interface BuildpacksBuildStrategy {
  /** The builder image, pinned. */
  readonly builder: string;
  readonly env?: readonly BuildEnvVar[];
  /** @default 1000 */
  readonly userId?: number;
  /** @default 1000 */
  readonly groupId?: number;
}

/**
 * How the image is built, as OpenShift writes it: the options of the strategy under its own key.
 * `type` may be left out: it is the one of dockerStrategy/sourceStrategy/buildpacksStrategy present.
 * OpenShift's Custom and JenkinsPipeline strategies are refused by the CRD, with the alternative.
 */
export interface BuildStrategySpec {
  readonly type?: BuildStrategyType;
  readonly dockerStrategy?: DockerBuildStrategy;
  readonly sourceStrategy?: SourceBuildStrategy;
  readonly buildpacksStrategy?: BuildpacksBuildStrategy;
}

export interface BuildOutputSpec {
  /** @default - none: the image is built and not pushed (OpenShift's build without output) */
  readonly to?: BuildImageReference;
  /** kubernetes.io/dockerconfigjson Secret the push step uses. */
  readonly pushSecret?: SecretReference;
  readonly imageLabels?: readonly { readonly name: string; readonly value: string }[];
}

export interface ImageChangeTrigger {
  /** @default - the strategy's `from` */
  readonly from?: BuildImageReference;
  /** Starts no builds while true. */
  readonly paused?: boolean;
}

export interface ConfigChangeTrigger {
  /** Beyond OpenShift (which builds once, at creation): also build when the spec changes. */
  readonly onSpecChange?: boolean;
}

export type WebhookType = 'GitHub' | 'GitLab' | 'Bitbucket' | 'Generic';

export interface WebhookTrigger {
  /** A Secret whose key `WebHookSecretKey` holds the shared secret. */
  readonly secretReference?: SecretReference;
  /** The shared secret inline (deprecated in OpenShift; accepted with a warning in status). */
  readonly secret?: string;
  /** Generic: let the payload's `env` add to the build's env. */
  readonly allowEnv?: boolean;
}

/** Beyond OpenShift: a CronJob polls the branch with `git ls-remote` (for clusters git hosts can't reach). */
export interface GitPollTrigger {
  /** Go duration, e.g. '5m0s'. */
  readonly interval: string;
}

/** The trigger types OpenShift's v1 API accepts, with the spellings it converts (lower case, older names). */
export type BuildTriggerType = 'ImageChange' | 'ConfigChange' | 'GitPoll' | WebhookType;

/** One trigger: `type` names the one field that is set. */
export interface BuildTriggerPolicy {
  /** Also the legacy spellings OpenShift's v1 API converts: imageChange, github, generic, … (see canonicalTriggerType). */
  readonly type: BuildTriggerType | string;
  readonly imageChange?: ImageChangeTrigger;
  readonly configChange?: ConfigChangeTrigger;
  readonly github?: WebhookTrigger;
  readonly gitlab?: WebhookTrigger;
  readonly bitbucket?: WebhookTrigger;
  readonly generic?: WebhookTrigger;
  readonly gitPoll?: GitPollTrigger;
}

/** A PipelineRun workspace binding, copied verbatim by the controller into each run. */
export interface BuildWorkspaceBinding {
  readonly name: string;
  readonly secret?: { readonly secretName: string };
  readonly configMap?: { readonly name: string };
  readonly emptyDir?: Record<string, never>;
  /** Files from ConfigMaps and Secrets in one volume, e.g. registry CAs as `<host>/ca.crt`. */
  readonly projected?: {
    readonly sources: readonly {
      readonly configMap?: { readonly name: string; readonly items: readonly { readonly key: string; readonly path: string }[] };
      readonly secret?: { readonly name: string; readonly items: readonly { readonly key: string; readonly path: string }[] };
    }[];
  };
  readonly volumeClaimTemplate?: {
    readonly spec: {
      readonly accessModes: readonly string[];
      readonly resources: { readonly requests: { readonly storage: string } };
    };
  };
}

/** Pod settings for every TaskRun of a build (PipelineRun `taskRunTemplate.podTemplate`). */
export interface BuildPodTemplate {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** false: the build pods run in a user namespace (Kubernetes >= 1.33). */
  readonly hostUsers?: boolean;
  readonly automountServiceAccountToken?: boolean;
}

/** How builds reach one registry (beyond OpenShift, whose cluster-wide image config does this). */
export interface BuildRegistrySpec {
  /** host[:port], as image references name it. */
  readonly host: string;
  /** Plain http, or https without certificate verification: for this host only. */
  readonly insecure?: boolean;
  /** A private CA bundle (PEM) the host's certificate chains to, from a ConfigMap or a Secret of the namespace. */
  readonly ca?: { readonly configMap?: { readonly name: string; readonly key: string }; readonly secret?: { readonly name: string; readonly key: string } };
}

/** Compute resources of the build step (OpenShift's `resources`). */
export interface BuildResources {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

export interface BuildConfigSpec {
  /**
   * The Tekton Pipeline (same namespace) each build runs. @default - none: each run embeds the
   * Pipeline made from this spec (buildPipelineSpec), as a synthesized BuildConfig's Pipeline is
   */
  readonly pipelineRef?: { readonly name: string };
  /** Params for every PipelineRun beyond BASE_IMAGE and REVISION; the Pipeline's defaults cover the rest. */
  readonly params?: readonly { readonly name: string; readonly value: string | readonly string[] }[];
  readonly source: BuildSourceSpec;
  readonly strategy: BuildStrategySpec;
  /** @default - none: built, not pushed */
  readonly output?: BuildOutputSpec;
  readonly triggers?: readonly BuildTriggerPolicy[];
  /** @default 'Serial' */
  readonly runPolicy?: RunPolicy;
  /** @default 5 */
  readonly successfulBuildsHistoryLimit?: number;
  /** @default 5 */
  readonly failedBuildsHistoryLimit?: number;
  /** Go duration, e.g. '1h0m0s': the PipelineRun's `timeouts.pipeline`. */
  readonly timeout?: string;
  /** OpenShift's build time limit, in seconds (the PipelineRun's timeout when `timeout` is not set). */
  readonly completionDeadlineSeconds?: number;
  /** @default - the namespace's `default` ServiceAccount (build pods get no API token either way) */
  readonly serviceAccountName?: string;
  /** OpenShift's name for serviceAccountName. */
  readonly serviceAccount?: string;
  /** @default - those the spec implies (buildWorkspaces) */
  readonly workspaces?: readonly BuildWorkspaceBinding[];
  readonly podTemplate?: BuildPodTemplate;
  /** OpenShift's: the build pods' nodeSelector (podTemplate.nodeSelector wins). */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** OpenShift's: the build step's compute resources. */
  readonly resources?: BuildResources;
  /** Registries reached insecurely or with a private CA. @default - none: verified https with the system's CAs */
  readonly registries?: readonly BuildRegistrySpec[];
  /** Run in the built image before the push; its failure fails the build (OpenShift's postCommit). */
  readonly postCommit?: { readonly script?: string; readonly command?: readonly string[]; readonly args?: readonly string[] };
}

export interface BuildConfigCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
}

/** What an ImageChange trigger last built from. */
export interface ImageChangeTriggerStatus {
  /** The trigger's image (the strategy's `from` when the trigger names none). */
  readonly from: BuildImageReference;
  /** The digest reference of the last build this trigger started. */
  readonly lastTriggeredImage?: string;
  readonly lastTriggerTime?: string;
}

export interface BuildConfigStatus {
  /** The number of the newest build started. */
  readonly lastVersion?: number;
  readonly imageChangeTriggers?: readonly ImageChangeTriggerStatus[];
  readonly conditions?: readonly BuildConfigCondition[];
  readonly observedGeneration?: number;
  /**
   * A BuildConfig without a Pipeline: where its builds push (OpenShift's Build records it as
   * status.outputDockerImageReference), worked out by the controller; start-build uploads sources next to it.
   */
  readonly outputDockerImageReference?: string;
}

/** Why a build started, as recorded on its PipelineRun. */
export type BuildCause =
  | { readonly type: 'ImageChange'; readonly from: BuildImageReference; readonly image: string }
  | { readonly type: 'ConfigChange'; readonly generation: number }
  | { readonly type: WebhookType; readonly revision?: string }
  | { readonly type: 'GitPoll'; readonly revision: string }
  | { readonly type: 'Manual'; readonly user?: string; readonly revision?: string };

export interface BuildConfigObject {
  readonly apiVersion: string;
  readonly kind: typeof BUILDCONFIG_KIND;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly resourceVersion?: string; readonly generation?: number; readonly [key: string]: unknown };
  readonly spec: BuildConfigSpec;
  readonly status?: BuildConfigStatus;
}
