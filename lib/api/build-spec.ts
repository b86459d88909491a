/**
 * One reading of a BuildConfig spec, whichever of OpenShift's forms it was written in: the strategy
 * and source types OpenShift infers from the sub-object present, the legacy trigger spellings its v1
 * API converts, and the strategy's options under their strategy's key. The constructs, the
 * controller and the CLI read specs only through these functions.
 */
import type {
  BuildConfigSpec, BuildEnvVar, BuildImageReference, BuildSourceSpec, BuildSourceType, BuildStageSpec, BuildStrategySpec, BuildStrategyType,
  BuildTriggerPolicy, BuildTriggerType, WebhookTrigger, WebhookType,
} from './buildconfig';

/** The trigger types OpenShift's v1 API still accepts under an older spelling, and what it converts them to. */
const LEGACY_TRIGGER_TYPES: Readonly<Record<string, BuildTriggerType>> = { github: 'GitHub', generic: 'Generic', imageChange: 'ImageChange' };
const TRIGGER_TYPES: readonly BuildTriggerType[] = ['ImageChange', 'ConfigChange', 'GitPoll', 'GitHub', 'GitLab', 'Bitbucket', 'Generic'];

/** A trigger type as OpenShift's v1 API converts it (`imageChange` → ImageChange); undefined for an unknown one. */
export function canonicalTriggerType(type: string): BuildTriggerType | undefined {
  return (TRIGGER_TYPES as readonly string[]).includes(type) ? (type as BuildTriggerType) : LEGACY_TRIGGER_TYPES[type];
}

/** Every accepted spelling of a trigger type, for the CRD's enum. */
export const TRIGGER_TYPE_SPELLINGS: readonly string[] = [...TRIGGER_TYPES, ...Object.keys(LEGACY_TRIGGER_TYPES)];

/** The field of a trigger that holds a webhook's settings, by type. */
export const WEBHOOK_FIELDS: Readonly<Record<WebhookType, 'github' | 'gitlab' | 'bitbucket' | 'generic'>> = { GitHub: 'github', GitLab: 'gitlab', Bitbucket: 'bitbucket', Generic: 'generic' };

/** A trigger, its type canonical. */
export type CanonicalTrigger = BuildTriggerPolicy & { readonly type: BuildTriggerType };

/** The spec's triggers with canonical types; one of an unknown type is left out (the CRD refuses it). */
export function triggersOf(spec: Pick<BuildConfigSpec, 'triggers'>): CanonicalTrigger[] {
  return (spec.triggers ?? []).flatMap((t) => {
    const type = canonicalTriggerType(t.type);
    return type ? [{ ...t, type }] : [];
  });
}

/** A webhook trigger's settings, or undefined for other types. */
export function webhookOf(trigger: CanonicalTrigger): (WebhookTrigger & { readonly type: WebhookType }) | undefined {
  const field = (WEBHOOK_FIELDS as Record<string, 'github' | 'gitlab' | 'bitbucket' | 'generic' | undefined>)[trigger.type];
  return field ? { ...(trigger[field] ?? {}), type: trigger.type as WebhookType } : undefined;
}

/** The strategy type: `type`, else the one strategy sub-object present (as OpenShift infers it). */
export function strategyTypeOf(strategy: BuildStrategySpec): BuildStrategyType | undefined {
  if (strategy.type) return strategy.type;
  const present: BuildStrategyType[] = [];
  if (strategy.dockerStrategy) present.push('Docker');
  if (strategy.sourceStrategy) present.push('Source');
  if (strategy.buildpacksStrategy) present.push('Buildpacks');
  return present.length === 1 ? present[0] : undefined;
}

/** The source type: `type`, else inferred from what is present (git, then dockerfile, binary, images), as OpenShift does. */
export function sourceTypeOf(source: BuildSourceSpec): BuildSourceType {
  if (source.type) return source.type;
  if (source.git) return 'Git';
  if (source.dockerfile !== undefined) return 'Dockerfile';
  if (source.binary) return 'Binary';
  if (source.images?.length) return 'Image';
  return 'None';
}

/** A strategy's options, read the same way for every strategy. */
export interface StrategyOptions {
  readonly type: BuildStrategyType;
  /** The base (Docker: the last FROM's image; Source: the builder); undefined: the Dockerfile's own, or detection. */
  readonly from?: BuildImageReference;
  readonly stages: readonly BuildStageSpec[];
  readonly env: Readonly<Record<string, string>>;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly pullSecret?: string;
  readonly noCache: boolean;
  readonly forcePull: boolean;
  readonly dockerfilePath?: string;
  /** SkipLayers: the layers the build adds are squashed into one. */
  readonly squash: boolean;
  readonly scripts?: string;
  readonly incremental: boolean;
  /** S2I builders by language, when `from` is not set. */
  readonly builders?: Readonly<Record<string, string>>;
  readonly buildpacks?: { readonly builder: string; readonly userId?: number; readonly groupId?: number };
}

/** The options of the spec's strategy; undefined when its type can't be told (the CRD refuses such a spec). */
export function strategyOf(strategy: BuildStrategySpec): StrategyOptions | undefined {
  const type = strategyTypeOf(strategy);
  if (!type) return undefined;
  const common = { type, stages: [] as BuildStageSpec[], env: {}, buildArgs: {}, noCache: false, forcePull: false, squash: false, incremental: false };
  if (type === 'Docker') {
    const d = strategy.dockerStrategy ?? {};
    return {
      ...common,
      ...(d.from ? { from: d.from } : {}),
      stages: [...(d.stages ?? [])],
      env: envRecord(d.env),
      buildArgs: envRecord(d.buildArgs),
      ...(d.pullSecret ? { pullSecret: d.pullSecret.name } : {}),
      noCache: d.noCache ?? false,
      forcePull: d.forcePull ?? false,
      ...(d.dockerfilePath ? { dockerfilePath: d.dockerfilePath } : {}),
      squash: d.imageOptimizationPolicy === 'SkipLayers' || d.imageOptimizationPolicy === 'SkipLayersAndWarn',
    };
  }
  if (type === 'Source') {
    const s = strategy.sourceStrategy ?? {};
    return {
      ...common,
      ...(s.from ? { from: s.from } : {}),
      env: envRecord(s.env),
      ...(s.pullSecret ? { pullSecret: s.pullSecret.name } : {}),
      noCache: s.noCache ?? false,
      forcePull: s.forcePull ?? false,
      ...(s.scripts ? { scripts: s.scripts } : {}),
      incremental: s.incremental ?? false,
      ...(s.builders?.length ? { builders: Object.fromEntries(s.builders.map((b) => [b.language, b.image])) } : {}),
    };
  }
  const b = strategy.buildpacksStrategy;
  return {
    ...common,
    env: envRecord(b?.env),
    // The builder is the image the build starts from: BASE_IMAGE's default.
    ...(b ? { from: { kind: 'DockerImage' as const, name: b.builder } } : {}),
    ...(b ? { buildpacks: { builder: b.builder, ...(b.userId !== undefined ? { userId: b.userId } : {}), ...(b.groupId !== undefined ? { groupId: b.groupId } : {}) } } : {}),
  };
}

/** OpenShift's EnvVar list as a record; a later item of a name wins, as in a container's env. */
export function envRecord(vars: readonly BuildEnvVar[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const v of vars ?? []) record[v.name] = v.value ?? '';
  return record;
}

/** A record as OpenShift's EnvVar list, sorted by name (deterministic output). */
export function envList(record: Readonly<Record<string, string>>): BuildEnvVar[] {
  return Object.keys(record).sort().map((name) => ({ name, value: record[name] }));
}

/** The key under `strategy` that holds a strategy type's options. */
export const STRATEGY_FIELDS: Readonly<Record<BuildStrategyType, 'dockerStrategy' | 'sourceStrategy' | 'buildpacksStrategy'>> = {
  Docker: 'dockerStrategy', Source: 'sourceStrategy', Buildpacks: 'buildpacksStrategy',
};
