import {
  DEFAULT_FAILED_BUILDS_HISTORY_LIMIT, DEFAULT_SUCCESSFUL_BUILDS_HISTORY_LIMIT,
  type BuildConfigSpec, type BuildImageReference, type BuildOutputSpec, type BuildPodTemplate, type BuildSourceSpec, type BuildStageSpec, type BuildWorkspaceBinding,
} from '../../lib/api/buildconfig';
import { formatGoDuration } from '../../lib/api/duration';
import type { ImageStreamTag } from '../imagestream/tag';
import type { BuildConfigProps } from './build-config';
import type { ResolvedOutput } from './output';
import type { BuildSource } from './source';
import type { BuildStrategy } from './strategy';
import { registryCasBinding, type RegistryAccess } from './registry-access';
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

/** The BuildConfig custom resource's spec. */
export function renderSpec(input: SpecInput): BuildConfigSpec {
  const p = input.props;
  const base = p.strategy.base;
  return {
    pipelineRef: { name: input.name },
    source: sourceSpec(p.source),
    strategy: { type: p.strategy.type, ...(base !== undefined ? { from: imageReference(base, input.namespace) } : {}), ...stagesSpec(p.strategy, input.namespace) },
    output: outputSpec(input.output, p.output.imageLabels),
    triggers: input.triggers.map((t) => t.toSpec(input.namespace)),
    runPolicy: p.runPolicy ?? 'Serial',
    successfulBuildsHistoryLimit: p.successfulBuildsHistoryLimit ?? DEFAULT_SUCCESSFUL_BUILDS_HISTORY_LIMIT,
    failedBuildsHistoryLimit: p.failedBuildsHistoryLimit ?? DEFAULT_FAILED_BUILDS_HISTORY_LIMIT,
    ...(p.timeout ? { timeout: formatGoDuration(p.timeout.toMilliseconds()) } : {}),
    serviceAccountName: input.serviceAccountName,
    workspaces: buildWorkspaces({ source: p.source, strategy: p.strategy, pushSecret: input.output.pushSecret, pullSecret: input.pullSecret, registries: input.registries }),
    podTemplate: podTemplate(p),
    ...(p.postCommit ? { postCommit: { ...p.postCommit } } : {}),
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

function sourceSpec(s: BuildSource): BuildSourceSpec {
  return {
    type: s.type,
    ...(s.type === 'Git' ? { git: { uri: s.uri!, ...(s.ref ? { ref: s.ref } : {}) } } : {}),
    ...(s.type === 'Dockerfile' ? { dockerfile: s.dockerfile } : {}),
    ...(s.type === 'Binary' ? { binary: { ...(s.asFile ? { asFile: s.asFile } : {}) } } : {}),
    ...(s.contextDir !== '.' ? { contextDir: s.contextDir } : {}),
    ...(s.sourceSecret ? { sourceSecret: { name: s.sourceSecret } } : {}),
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

/** The volume that carries the sources from the clone to the build (they run in separate pods). */
export const SOURCE_VOLUME_SIZE = '1Gi';

/**
 * The workspaces each PipelineRun binds: a fresh volume for the sources, and each Secret, by name,
 * to the one workspace whose Task step needs it (git credentials → clone, push → push step, pull →
 * build step, the source's Secrets and ConfigMaps → build step).
 */
export function buildWorkspaces(options: { source: BuildSource; strategy: BuildStrategy; pushSecret?: string; pullSecret?: string; registries?: RegistryAccess }): BuildWorkspaceBinding[] {
  const cas = options.registries ? registryCasBinding(options.registries) : undefined;
  const secret = (name: string, secretName: string | undefined): BuildWorkspaceBinding[] => (secretName ? [{ name, secret: { secretName } }] : []);
  return [
    { name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: SOURCE_VOLUME_SIZE } } } } },
    ...secret('git-credentials', options.source.sourceSecret),
    ...secret('dockerconfig', options.pushSecret),
    ...secret('pull-dockerconfig', options.pullSecret ?? options.strategy.settings.pullSecret),
    ...(cas ? [cas] : []),
    ...options.source.inputs.map((i): BuildWorkspaceBinding => (i.kind === 'secret' ? { name: i.workspace, secret: { secretName: i.name } } : { name: i.workspace, configMap: { name: i.name } })),
  ];
}
