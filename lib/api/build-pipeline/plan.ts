/**
 * What a build's Pipeline is made of, read from the BuildConfig's spec alone, plus the few things
 * the spec does not say (where the image goes, and which Secrets the System's registry lends).
 * The constructs call it at synth time, the controller at run time for a BuildConfig that names no
 * Pipeline: both get the same Pipeline from the same spec.
 */
import type { BuildConfigSpec, BuildImageReference, BuildSourceType, ImageBuildSource } from '../buildconfig';
import { sourceTypeOf, strategyOf, type StrategyOptions } from '../build-spec';
import type { ResourceRequirements } from '../tekton/k8s-types';
import type { ImageMirror } from '../image-mirror';

/** A Secret or ConfigMap mounted into the build's RUN instructions, in the order the source lists them (secrets first). */
export interface BuildInput {
  readonly kind: 'secret' | 'configMap';
  readonly name: string;
  readonly destinationDir: string;
  /** The PipelineRun workspace that carries it. */
  readonly workspace: string;
}

/** A registry CA bundle, `<host>/ca.crt` in the build step. */
export interface RegistryCaSource {
  readonly host: string;
  readonly kind: 'configMap' | 'secret';
  readonly name: string;
  readonly key: string;
}

/** The registries of one build, by host. */
export interface RegistryAccess {
  /** Hosts to reach over plain http or unverified https, sorted. */
  readonly insecure: readonly string[];
  /** CA bundle per host, sorted by host. */
  readonly cas: readonly RegistryCaSource[];
}

/** The workspace that carries the CA bundles, one `<host>/ca.crt` each (the layout of containers-certs.d(5)). */
export const REGISTRY_CAS_WORKSPACE = 'registry-cas';

/** The workspace of the image sources' own pull Secret (`source.images[].pullSecret`), when it is not the build's. */
export const IMAGES_PULL_WORKSPACE = 'images-pull-dockerconfig';

/** What the spec does not say about a build. */
export interface BuildTarget {
  /** Where the image is pushed, with its tag. @default - nowhere: the image is built and not pushed (a BuildConfig without output.to) */
  readonly image?: string;
  /** Hosts reached insecurely besides those of spec.registries (the output's registry, when insecure). @default - none */
  readonly insecureHosts?: readonly string[];
  /** The push Secret when spec.output names none (the stream registry's). @default - none */
  readonly pushSecret?: string;
  /** The Secret bases are pulled with when the strategy names none (the stream registry's). @default - none */
  readonly pullSecret?: string;
  /** `namespace/name` of the BuildConfig, for the image's provenance label. @default - no such label */
  readonly buildConfig?: string;
  /** The System's mirror of our default images (embedded Pipelines' step images). @default - none */
  readonly imageMirror?: ImageMirror;
}

export interface PipelineSource {
  readonly type: BuildSourceType;
  readonly uri?: string;
  readonly ref?: string;
  readonly dockerfile?: string;
  /** The build context, relative to the source workspace ('.' for the root). */
  readonly contextDir: string;
  readonly sourceSecret?: string;
  readonly insecureIgnoreHostKey: boolean;
  readonly inputs: readonly BuildInput[];
  readonly images: readonly ImageBuildSource[];
  /** The Secret the image sources that name one are pulled with (one for all: the CRD refuses two), when it is not the build's pull Secret. */
  readonly imagesPullSecret?: string;
  readonly asFile?: string;
}

/** Everything a BuildConfig's Pipeline is made of, resolved. */
export interface PipelinePlan {
  readonly source: PipelineSource;
  readonly strategy: StrategyOptions;
  /** Where to push, with its tag; '' = build only. */
  readonly image: string;
  readonly registries: RegistryAccess;
  readonly imageLabels: Readonly<Record<string, string>>;
  /** BASE_IMAGE's default: a fixed base, or '' (the Dockerfile's FROM, or detection for S2I). */
  readonly baseImage: string;
  readonly resources?: ResourceRequirements;
  /** The postCommit hook's argv, run in the built image before the push. */
  readonly postCommit?: readonly string[];
  readonly pushSecret?: string;
  readonly pullSecret?: string;
  readonly buildConfig?: string;
}

/** The plan of a spec; throws when the spec's strategy type can't be told (the CRD refuses such specs). */
export function pipelinePlan(spec: BuildConfigSpec, target: BuildTarget): PipelinePlan {
  const strategy = strategyOf(spec.strategy);
  if (!strategy) throw new Error("the BuildConfig's strategy has no type: set strategy.type, or one of dockerStrategy, sourceStrategy, buildpacksStrategy");
  if (strategy.type === 'Buildpacks' && spec.source.images?.length) {
    throw new Error('source.images is for the Docker and Source strategies: a Buildpacks build reads only its sources; copy the files in with a Docker build, or remove source.images');
  }
  const labels = Object.fromEntries((spec.output?.imageLabels ?? []).map((l) => [l.name, l.value]));
  const pullSecret = strategy.type !== 'Buildpacks' ? strategy.pullSecret ?? target.pullSecret : undefined;
  const source = pipelineSource(spec);
  const own = source.images.find((i) => i.pullSecret)?.pullSecret?.name;
  return {
    source: own && own !== pullSecret ? { ...source, imagesPullSecret: own } : source,
    strategy,
    image: spec.output?.to ? target.image ?? '' : '',
    registries: registryAccess(spec, target.insecureHosts ?? []),
    imageLabels: labels,
    baseImage: fixedImage(strategy.from) ?? '',
    ...(spec.resources && (spec.resources.requests || spec.resources.limits) ? { resources: { ...spec.resources } } : {}),
    ...(spec.postCommit && (spec.postCommit.script !== undefined || spec.postCommit.command?.length) ? { postCommit: postCommitArgv(spec.postCommit) } : {}),
    ...(spec.output?.to && (spec.output.pushSecret?.name ?? target.pushSecret) ? { pushSecret: spec.output.pushSecret?.name ?? target.pushSecret } : {}),
    ...(pullSecret ? { pullSecret } : {}),
    ...(target.buildConfig ? { buildConfig: target.buildConfig } : {}),
  };
}

/** What the build step runs in the image: the script under /bin/sh -c (its $0 'post-commit'), or the command, then the args. */
export function postCommitArgv(hook: NonNullable<BuildConfigSpec['postCommit']>): string[] {
  const args = hook.args ?? [];
  return hook.script !== undefined ? ['/bin/sh', '-c', hook.script, 'post-commit', ...args] : [...(hook.command ?? []), ...args];
}

function fixedImage(from: BuildImageReference | undefined): string | undefined {
  return from?.kind === 'DockerImage' ? from.name : undefined;
}

function pipelineSource(spec: BuildConfigSpec): PipelineSource {
  const s = spec.source;
  return {
    type: sourceTypeOf(s),
    ...(s.git ? { uri: s.git.uri, ...(s.git.ref ? { ref: s.git.ref } : {}) } : {}),
    ...(s.dockerfile !== undefined ? { dockerfile: s.dockerfile } : {}),
    contextDir: s.contextDir || '.',
    ...(s.sourceSecret ? { sourceSecret: s.sourceSecret.name } : {}),
    insecureIgnoreHostKey: s.git?.insecureIgnoreHostKey ?? false,
    inputs: buildInputs(spec),
    images: [...(s.images ?? [])],
    ...(s.binary?.asFile ? { asFile: s.binary.asFile } : {}),
  };
}

/** The source's Secrets, then its ConfigMaps, each on its own workspace `build-input-<n>`. */
export function buildInputs(spec: Pick<BuildConfigSpec, 'source'>): BuildInput[] {
  const items = [
    ...(spec.source.secrets ?? []).map((i) => ({ kind: 'secret' as const, name: i.secret.name, destinationDir: i.destinationDir })),
    ...(spec.source.configMaps ?? []).map((i) => ({ kind: 'configMap' as const, name: i.configMap.name, destinationDir: i.destinationDir })),
  ];
  return items.map((i, n) => ({ ...i, destinationDir: i.destinationDir.replace(/^\/+|\/+$/g, ''), workspace: `build-input-${n}` }));
}

/** spec.registries and the target's insecure hosts, merged. */
export function registryAccess(spec: Pick<BuildConfigSpec, 'registries'>, insecureHosts: readonly string[]): RegistryAccess {
  const insecure = new Set(insecureHosts);
  const cas: RegistryCaSource[] = [];
  for (const r of spec.registries ?? []) {
    if (r.insecure) insecure.add(r.host);
    const ca = r.ca?.configMap ? { kind: 'configMap' as const, ...r.ca.configMap } : r.ca?.secret ? { kind: 'secret' as const, ...r.ca.secret } : undefined;
    if (ca) cas.push({ host: r.host, ...ca });
  }
  return { insecure: [...insecure].sort(), cas: cas.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)) };
}

/** `index=image` of the image sources whose image is fixed; stream tags' digests come with each run (IMAGE_SOURCES). */
export function fixedImageSources(images: readonly ImageBuildSource[]): string[] {
  return images.flatMap(({ from }, n) => (from.kind === 'DockerImage' ? [`${n}=${from.name}`] : []));
}

/** The strategy's stages whose image is fixed, `stage=image`; stream tags' digests come with each run. */
export function fixedStageImages(strategy: StrategyOptions): string[] {
  return strategy.stages.flatMap(({ name, from }) => (from.kind === 'DockerImage' ? [`${name}=${from.name}`] : []));
}
