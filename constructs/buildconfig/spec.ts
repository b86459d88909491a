import {
  DEFAULT_FAILED_BUILDS_HISTORY_LIMIT, DEFAULT_SUCCESSFUL_BUILDS_HISTORY_LIMIT,
  type BuildConfigSpec, type BuildImageReference, type BuildOutputSpec, type BuildPodTemplate, type BuildRegistrySpec, type BuildSourceSpec, type BuildStageSpec,
  type BuildStrategySpec, type BuildWorkspaceBinding,
} from '../../lib/api/buildconfig';
import { envList } from '../../lib/api/build-spec';
import { resourceRequirements } from '../system/registry/quantities';
import { formatGoDuration } from '../../lib/api/duration';
import type { ImageStreamTag } from '../imagestream/tag';
import type { BuildConfigProps } from './build-config';
import type { ResolvedOutput } from './output';
import type { BuildSource } from './source';
import type { BuildStrategy } from './strategy';
import type { RegistryAccess } from './registry-access';
import { pipelinePlan } from '../../lib/api/build-pipeline/plan';
import { runWorkspaces } from '../../lib/api/build-pipeline/workspaces';
import type { BuildTrigger } from './trigger';

/** What a BuildConfig's spec is made from, resolved by the construct. */
export interface SpecInput {
  readonly name: string;
  readonly namespace: string;
  readonly props: BuildConfigProps;
  readonly output: ResolvedOutput;
  readonly triggers: readonly BuildTrigger[];
  readonly serviceAccountName: string;
  /** The Secret the build step pulls bases with. @default - the strategy's pullSecret */
  readonly pullSecret?: string;
  /** Registries' TLS settings: their CAs are bound as a workspace. @default - none */
  readonly registries?: RegistryAccess;
}

/** The BuildConfig custom resource's spec, as OpenShift writes one (plus our additions). */
export function renderSpec(input: SpecInput): BuildConfigSpec {
  const p = input.props;
  const spec: BuildConfigSpec = {
    pipelineRef: { name: input.name },
    source: sourceSpec(p.source, input.namespace),
    strategy: strategySpec(p.strategy, input.namespace, input.pullSecret),
    output: outputSpec(input.output, p.output.imageLabels),
    triggers: input.triggers.map((t) => t.toSpec(input.namespace)),
    runPolicy: p.runPolicy ?? 'Serial',
    successfulBuildsHistoryLimit: p.successfulBuildsHistoryLimit ?? DEFAULT_SUCCESSFUL_BUILDS_HISTORY_LIMIT,
    failedBuildsHistoryLimit: p.failedBuildsHistoryLimit ?? DEFAULT_FAILED_BUILDS_HISTORY_LIMIT,
    ...(p.timeout ? { timeout: formatGoDuration(p.timeout.toMilliseconds()) } : {}),
    serviceAccountName: input.serviceAccountName,
    ...(p.resources ? { resources: resourceRequirements(p.resources) } : {}),
    ...registriesSpec(input.registries),
    podTemplate: podTemplate(p),
    ...(p.postCommit ? { postCommit: { ...p.postCommit } } : {}),
  };
  // Listed in the spec, as the Pipeline declares them: what a run binds is in plain sight.
  return { ...spec, workspaces: runWorkspaces(pipelinePlan(spec, { image: input.output.image })) };
}

/** The strategy's options under its own key, as OpenShift nests them; `pullSecret` is the one the build pulls with. */
function strategySpec(strategy: BuildStrategy, namespace: string, pullSecret: string | undefined): BuildStrategySpec {
  const s = strategy.settings;
  const env = Object.keys(s.env).length > 0 ? { env: envList(s.env) } : {};
  const base = strategy.base;
  const from = base !== undefined ? { from: imageReference(base, namespace) } : {};
  const pull = pullSecret ?? s.pullSecret;
  const secret = pull ? { pullSecret: { name: pull } } : {};
  if (strategy.type === 'Docker') {
    return {
      type: 'Docker',
      dockerStrategy: {
        ...from, ...stagesSpec(strategy, namespace), ...secret, ...env,
        ...(s.noCache ? { noCache: true } : {}),
        ...(s.dockerfilePath ? { dockerfilePath: s.dockerfilePath } : {}),
        ...(s.buildArgs && Object.keys(s.buildArgs).length > 0 ? { buildArgs: envList(s.buildArgs) } : {}),
      },
    };
  }
  if (strategy.type === 'Source') {
    return {
      type: 'Source',
      sourceStrategy: {
        ...from, ...secret, ...env,
        ...(s.builders ? { builders: Object.keys(s.builders).sort().map((language) => ({ language, image: s.builders![language] })) } : {}),
        ...(s.noCache ? { noCache: true } : {}),
        ...(s.scripts ? { scripts: s.scripts } : {}),
        ...(s.incremental ? { incremental: true } : {}),
      },
    };
  }
  return {
    type: 'Buildpacks',
    buildpacksStrategy: { builder: base as string, ...env, ...(s.userId !== undefined ? { userId: s.userId } : {}), ...(s.groupId !== undefined ? { groupId: s.groupId } : {}) },
  };
}

/** The hosts reached insecurely or with a private CA. */
function registriesSpec(access: RegistryAccess | undefined): { registries?: BuildRegistrySpec[] } {
  if (!access) return {};
  const hosts = [...new Set([...access.insecure, ...access.cas.map((c) => c.host)])].sort();
  if (hosts.length === 0) return {};
  return {
    registries: hosts.map((host) => {
      const ca = access.cas.find((c) => c.host === host)?.ca;
      return { host, ...(access.insecure.includes(host) ? { insecure: true } : {}), ...(ca ? { ca: { [ca.kind]: { name: ca.name, key: ca.key } } } : {}) };
    }),
  };
}

/** A base as the spec records it; a stream of the BuildConfig's own namespace is written without one. */
export function imageReference(base: string | ImageStreamTag, namespace: string): BuildImageReference {
  if (typeof base === 'string') return { kind: 'DockerImage', name: base };
  return { kind: 'ImageStreamTag', name: base.name, ...(base.namespace !== namespace ? { namespace: base.namespace } : {}) };
}

function stagesSpec(strategy: BuildStrategy, namespace: string): { stages?: BuildStageSpec[] } {
  const stages = Object.entries(strategy.stages).map(([name, from]) => ({ name, from: imageReference(from, namespace) }));
  return stages.length > 0 ? { stages } : {};
}

function sourceSpec(s: BuildSource, namespace: string): BuildSourceSpec {
  const images = s.images.map((i) => ({
    from: imageReference(i.from, namespace),
    paths: i.paths.map((p) => ({ sourcePath: p.sourcePath, destinationDir: p.destinationDir })),
    ...(i.pullSecret ? { pullSecret: { name: i.pullSecret } } : {}),
  }));
  return {
    type: s.type,
    ...(s.type === 'Git' ? { git: { uri: s.uri!, ...(s.ref ? { ref: s.ref } : {}), ...(s.insecureIgnoreHostKey ? { insecureIgnoreHostKey: true } : {}) } } : {}),
    ...(s.type === 'Dockerfile' ? { dockerfile: s.dockerfile } : {}),
    ...(s.type === 'Binary' ? { binary: { ...(s.asFile ? { asFile: s.asFile } : {}) } } : {}),
    ...(s.contextDir !== '.' ? { contextDir: s.contextDir } : {}),
    ...(s.sourceSecret ? { sourceSecret: { name: s.sourceSecret } } : {}),
    ...(images.length > 0 ? { images } : {}),
    ...inputsSpec(s),
  };
}

/** OpenShift's source.secrets and source.configMaps. */
function inputsSpec(s: BuildSource): Pick<BuildSourceSpec, 'secrets' | 'configMaps'> {
  const secrets = s.inputs.filter((i) => i.kind === 'secret').map((i) => ({ secret: { name: i.name }, destinationDir: i.destinationDir }));
  const configMaps = s.inputs.filter((i) => i.kind === 'configMap').map((i) => ({ configMap: { name: i.name }, destinationDir: i.destinationDir }));
  return { ...(secrets.length > 0 ? { secrets } : {}), ...(configMaps.length > 0 ? { configMaps } : {}) };
}

function outputSpec(output: ResolvedOutput, labels: Readonly<Record<string, string>>): BuildOutputSpec {
  const names = Object.keys(labels).sort();
  return {
    to: output.to,
    ...(output.pushSecret ? { pushSecret: { name: output.pushSecret } } : {}),
    ...(names.length > 0 ? { imageLabels: names.map((name) => ({ name, value: labels[name] })) } : {}),
  };
}

function podTemplate(p: BuildConfigProps): BuildPodTemplate {
  return {
    ...(p.nodeSelector && Object.keys(p.nodeSelector).length > 0 ? { nodeSelector: { ...p.nodeSelector } } : {}),
    ...(p.userNamespace ? { hostUsers: false } : {}),
    // Our steps never call the API server.
    automountServiceAccountToken: false,
  };
}
