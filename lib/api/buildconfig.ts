/**
 * The BuildConfig custom resource, shaped after OpenShift's build.openshift.io/v1 BuildConfig where
 * it can be. The how-to-build lives in a Tekton Pipeline (`spec.pipelineRef`); the BuildConfig holds
 * what starts builds, how runs are admitted and their state. Plain data types shared by the
 * constructs (which write specs) and the runtime.
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
/**
 * `NAME=value` items one run adds to the build's env and build args (`start-build --env/--build-arg`),
 * after the BuildConfig's own, so that they win; percent-encoded as the Pipeline's ENV and BUILD_ARGS.
 */
export const RUN_ENV_PARAM = 'RUN_ENV';
export const RUN_BUILD_ARGS_PARAM = 'RUN_BUILD_ARGS';
/** The sources `start-build --from-dir/--from-file/--from-archive` uploaded: an image by digest (Binary sources). */
export const SOURCE_ARCHIVE_PARAM = 'SOURCE_ARCHIVE';

/** An env var or build arg name, as a shell and a Dockerfile's ARG read it. */
export function isVariableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** Serial: one build at a time, in order; Parallel: no limit; SerialLatestOnly: one at a time, queued ones replaced by the newest. */
export type RunPolicy = 'Serial' | 'Parallel' | 'SerialLatestOnly';

export type BuildStrategyType = 'Docker' | 'Source' | 'Buildpacks';

/** An image or a stream tag, as OpenShift's ObjectReference for builds. */
export interface BuildImageReference {
  readonly kind: 'ImageStreamTag' | 'DockerImage';
  /** `stream:tag` or an image reference. */
  readonly name: string;
  /** For ImageStreamTag: the stream's namespace. @default - the BuildConfig's */
  readonly namespace?: string;
}

export interface SecretReference {
  readonly name: string;
}

export interface GitBuildSource {
  readonly uri: string;
  /** @default - the remote's default branch */
  readonly ref?: string;
}

/** What is built: a git repository, an inline Dockerfile, or sources each build's starter uploads. */
export interface BuildSourceSpec {
  readonly type: 'Git' | 'Dockerfile' | 'Binary';
  /** Binary: `asFile` names an uploaded single file. */
  readonly binary?: { readonly asFile?: string };
  readonly git?: GitBuildSource;
  /** The inline Dockerfile (type Dockerfile). */
  readonly dockerfile?: string;
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

/**
 * A summary of how the Pipeline builds: `from` is the base that BASE_IMAGE replaces (the last FROM
 * of a Dockerfile), `stages` the images of named stages (STAGE_IMAGES).
 */
export interface BuildStrategySpec {
  readonly type: BuildStrategyType;
  readonly from?: BuildImageReference;
  readonly stages?: readonly BuildStageSpec[];
}

export interface BuildOutputSpec {
  readonly to: BuildImageReference;
  /** kubernetes.io/dockerconfigjson Secret the push step uses. */
  readonly pushSecret?: SecretReference;
  readonly imageLabels?: readonly { readonly name: string; readonly value: string }[];
}

export interface ImageChangeTrigger {
  /** @default - the strategy's `from` */
  readonly from?: BuildImageReference;
}

export interface ConfigChangeTrigger {
  /** Beyond OpenShift (which builds once, at creation): also build when the spec changes. */
  readonly onSpecChange?: boolean;
}

export type WebhookType = 'GitHub' | 'GitLab' | 'Bitbucket' | 'Generic';

export interface WebhookTrigger {
  /** A Secret whose key `WebHookSecretKey` holds the shared secret. */
  readonly secretReference: SecretReference;
}

/** Beyond OpenShift: a CronJob polls the branch with `git ls-remote` (for clusters git hosts can't reach). */
export interface GitPollTrigger {
  /** Go duration, e.g. '5m0s'. */
  readonly interval: string;
}

/** One trigger: `type` names the one field that is set. */
export interface BuildTriggerPolicy {
  readonly type: 'ImageChange' | 'ConfigChange' | 'GitPoll' | WebhookType;
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

export interface BuildConfigSpec {
  /** The Tekton Pipeline (same namespace) each build runs. */
  readonly pipelineRef: { readonly name: string };
  /** Params for every PipelineRun beyond BASE_IMAGE and REVISION; the Pipeline's defaults cover the rest. */
  readonly params?: readonly { readonly name: string; readonly value: string | readonly string[] }[];
  readonly source: BuildSourceSpec;
  readonly strategy: BuildStrategySpec;
  readonly output: BuildOutputSpec;
  readonly triggers?: readonly BuildTriggerPolicy[];
  /** @default 'Serial' */
  readonly runPolicy?: RunPolicy;
  /** @default 5 */
  readonly successfulBuildsHistoryLimit?: number;
  /** @default 5 */
  readonly failedBuildsHistoryLimit?: number;
  /** Go duration, e.g. '1h0m0s': the PipelineRun's `timeouts.pipeline`. */
  readonly timeout?: string;
  readonly serviceAccountName: string;
  readonly workspaces: readonly BuildWorkspaceBinding[];
  readonly podTemplate?: BuildPodTemplate;
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
