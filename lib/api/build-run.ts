import { causeAnnotations, type RunCause } from './build-cause';
import { BUILD_NUMBER_LABEL, BUILDCONFIG_LABEL, runName } from './labels';
import {
  BASE_IMAGE_PARAM, CONTEXT_DIR_PARAM, DOCKERFILE_TEXT_PARAM, IMAGE_SOURCES_PARAM, REVISION_PARAM, RUN_BUILD_ARGS_PARAM, RUN_ENV_PARAM, SOURCE_ARCHIVE_PARAM, STAGE_IMAGES_PARAM, URL_PARAM,
  type BuildConfigSpec,
} from './buildconfig';
import { TEKTON_API_VERSION } from './group';
import { encodeLiteral } from './literal-params';
import { PENDING, type PipelineRun, type RunParam } from './pipeline-run';
import { sourceTypeOf, strategyOf } from './build-spec';
import { embeddedPipelineSpec } from './build-pipeline/pipeline';
import { pipelinePlan, type BuildTarget } from './build-pipeline/plan';
import { runWorkspaces } from './build-pipeline/workspaces';

/** A BuildConfig as the three run makers hold it: from the cluster (with a uid) or from synthesis. */
export interface BuildConfigLike {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly uid?: string };
  readonly spec: BuildConfigSpec;
}

/** What differs between the runs of one BuildConfig besides their cause. */
export interface RunOverrides {
  /**
   * `{ number }`: build n, named `<bc>-<n>` and labelled with its number (the controller's own runs);
   * `{ name }` or `{ generateName }`: runs others create, which the controller numbers when it sees them.
   */
  readonly naming: { readonly number: number } | { readonly name: string } | { readonly generateName: string };
  /** BASE_IMAGE by digest. @default - none: the Pipeline's default (the controller sets it while the run is pending) */
  readonly baseImage?: string;
  /**
   * The images of the spec's stream-tag stages by digest, by stage name: STAGE_IMAGES is then set
   * with every stage of the spec (fixed images as written). @default - none: the Pipeline's default
   */
  readonly stageImages?: Readonly<Record<string, string>>;
  /**
   * The images of the spec's stream-tag image sources (`source.images`) by digest, by index: IMAGE_SOURCES
   * is then set with every image source (fixed images as written). @default - none: the Pipeline's default
   */
  readonly imageSources?: Readonly<Record<string, string>>;
  /** The commit to build. @default - the cause's revision, else the source's ref ('' = the remote's default branch) */
  readonly revision?: string;
  /** Created waiting for the controller's admission (`spec.status: PipelineRunPending`). @default true */
  readonly pending?: boolean;
  /** Annotations beyond the cause's, e.g. a webhook's ref and pusher. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Env of this run only, over the BuildConfig's (RUN_ENV). @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** Build args of this run only, over the BuildConfig's (RUN_BUILD_ARGS; Docker strategy). @default - none */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Binary sources: the uploaded sources, an image reference by digest (SOURCE_ARCHIVE). @default - none: the build fails, saying how to upload */
  readonly sourceArchive?: string;
  /**
   * For a BuildConfig that names no Pipeline: what its spec does not say (where the image goes, the
   * registry's Secrets), for the Pipeline embedded in the run. @default - the image is built and not pushed
   */
  readonly target?: BuildTarget;
}

/** The params a run sets from the spec; a user's `spec.params` of the same names give way to them. */
const SPEC_PARAMS = new Set([
  BASE_IMAGE_PARAM, REVISION_PARAM, URL_PARAM, CONTEXT_DIR_PARAM, DOCKERFILE_TEXT_PARAM, STAGE_IMAGES_PARAM, IMAGE_SOURCES_PARAM, RUN_ENV_PARAM, RUN_BUILD_ARGS_PARAM, SOURCE_ARCHIVE_PARAM,
]);

/**
 * The PipelineRun of one build: the one function behind every way a build starts — the controller
 * (image and config changes), `imagestreams start-build`, and the webhook's and git poller's
 * templates (synthesized with placeholders for what the push delivers). It runs the BuildConfig's
 * Pipeline with the source, revision and context of its spec at the time of the run, the spec's own
 * params, service account, pod template, workspaces and timeout; it is owned by the BuildConfig
 * when its uid is known (garbage-collected with it) and labelled for the controller.
 */
export function pipelineRunFor(bc: BuildConfigLike, cause: RunCause, overrides: RunOverrides): PipelineRun {
  const { name, namespace = 'default', uid } = bc.metadata;
  const spec = bc.spec;
  const numberedRun = 'number' in overrides.naming ? overrides.naming.number : undefined;
  const podTemplate = podTemplateOf(spec);
  const serviceAccountName = spec.serviceAccountName ?? spec.serviceAccount;
  const timeout = spec.timeout ?? (spec.completionDeadlineSeconds ? `${spec.completionDeadlineSeconds}s` : undefined);
  // A BuildConfig that names no Pipeline (one applied as OpenShift YAML) gets, in each run, the
  // Pipeline a synthesized one would have: the same function, over the spec as it is now.
  const target = overrides.target ?? {};
  const pipeline = spec.pipelineRef ? { pipelineRef: { name: spec.pipelineRef.name } } : { pipelineSpec: embeddedPipelineSpec(spec, target) };
  const workspaces = spec.workspaces ?? (spec.pipelineRef ? [] : runWorkspaces(pipelinePlan(spec, target)));
  return {
    apiVersion: TEKTON_API_VERSION,
    kind: 'PipelineRun',
    metadata: {
      ...(numberedRun !== undefined ? { name: runName(name, numberedRun) } : overrides.naming),
      namespace,
      labels: { [BUILDCONFIG_LABEL]: name, ...(numberedRun !== undefined ? { [BUILD_NUMBER_LABEL]: String(numberedRun) } : {}) },
      annotations: { ...causeAnnotations(cause, namespace), ...overrides.annotations },
      ...(uid ? { ownerReferences: [{ apiVersion: bc.apiVersion, kind: bc.kind, name, uid, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: {
      ...pipeline,
      params: runParams(spec, cause, overrides),
      ...(overrides.pending ?? true ? { status: PENDING } : {}),
      ...(timeout ? { timeouts: { pipeline: timeout } } : {}),
      taskRunTemplate: { ...(serviceAccountName ? { serviceAccountName } : {}), ...(podTemplate ? { podTemplate } : {}) },
      ...(workspaces.length ? { workspaces: workspaces.map((w) => ({ ...w })) } : {}),
    },
  };
}

/** The spec's podTemplate, with OpenShift's nodeSelector when the podTemplate has none. */
function podTemplateOf(spec: BuildConfigSpec): BuildConfigSpec['podTemplate'] | undefined {
  const template = { ...(spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0 ? { nodeSelector: { ...spec.nodeSelector } } : {}), ...spec.podTemplate };
  return Object.keys(template).length > 0 ? template : undefined;
}

/**
 * The spec's params, then the source (URL and REVISION, or the inline Dockerfile), the context and the base.
 * URL, the inline Dockerfile and the context travel percent-encoded in `%` and `$` (encodeLiteral), as
 * the Pipeline's defaults do, so that neither Tekton nor the kubelet rewrites a `$(…)` in them; REVISION
 * does not (a ref has no `$`, and the webhook and git poll templates put placeholders there).
 */
function runParams(spec: BuildConfigSpec, cause: RunCause, overrides: RunOverrides): RunParam[] {
  const params: RunParam[] = (spec.params ?? []).filter((p) => !SPEC_PARAMS.has(p.name)).map((p) => ({ name: p.name, value: p.value }));
  const source = spec.source;
  const type = sourceTypeOf(source);
  if (type === 'Git' && source.git) {
    const revision = overrides.revision ?? ('revision' in cause ? cause.revision : undefined) ?? source.git.ref ?? '';
    params.push({ name: URL_PARAM, value: encodeLiteral(source.git.uri) }, { name: REVISION_PARAM, value: revision });
  } else if (source.dockerfile !== undefined) {
    params.push({ name: DOCKERFILE_TEXT_PARAM, value: encodeLiteral(source.dockerfile) });
  } else if (type === 'Binary' && overrides.sourceArchive !== undefined) {
    params.push({ name: SOURCE_ARCHIVE_PARAM, value: overrides.sourceArchive });
  }
  params.push({ name: CONTEXT_DIR_PARAM, value: encodeLiteral(source.contextDir ?? '.') });
  if (overrides.baseImage !== undefined) params.push({ name: BASE_IMAGE_PARAM, value: overrides.baseImage });
  if (overrides.stageImages !== undefined) params.push({ name: STAGE_IMAGES_PARAM, value: stageItems(spec, overrides.stageImages) });
  if (overrides.imageSources !== undefined) params.push({ name: IMAGE_SOURCES_PARAM, value: imageSourceItems(spec, overrides.imageSources) });
  if (overrides.env && Object.keys(overrides.env).length > 0) params.push({ name: RUN_ENV_PARAM, value: runItems(overrides.env) });
  if (overrides.buildArgs && Object.keys(overrides.buildArgs).length > 0) params.push({ name: RUN_BUILD_ARGS_PARAM, value: runItems(overrides.buildArgs) });
  return params;
}

/** `NAME=value` items sorted by name, percent-encoded as the Pipeline's own (encodeLiteral). */
function runItems(values: Readonly<Record<string, string>>): string[] {
  return Object.keys(values).sort().map((name) => encodeLiteral(`${name}=${values[name]}`));
}

/** `index=image` for every image source of the spec: fixed images as written, stream tags by the digest given (left out when none is). */
function imageSourceItems(spec: BuildConfigSpec, resolved: Readonly<Record<string, string>>): string[] {
  return (spec.source.images ?? []).flatMap(({ from }, n) => {
    const image = from.kind === 'DockerImage' ? from.name : resolved[String(n)];
    return image ? [`${n}=${image}`] : [];
  });
}

/** `stage=image` for every stage of the spec: fixed images as written, stream tags by the digest given (left out when none is). */
function stageItems(spec: BuildConfigSpec, resolved: Readonly<Record<string, string>>): string[] {
  return (strategyOf(spec.strategy)?.stages ?? []).flatMap(({ name, from }) => {
    const image = from.kind === 'DockerImage' ? from.name : resolved[name];
    return image ? [`${name}=${image}`] : [];
  });
}
