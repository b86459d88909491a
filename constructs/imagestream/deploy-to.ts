import { ApiObject, JsonPatch, Lazy, type ApiObjectMetadataDefinition } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { markUsesController } from '../system/managed-namespaces';
import { System } from '../system/system';
import { containerImageFieldPath } from '../../lib/api/field-path';
import { formatTriggerAnnotation, TRIGGERS_ANNOTATION } from '../../lib/api/trigger-annotation';
import { workloadKind, WORKLOAD_KINDS, type WorkloadKind } from '../../lib/api/workload-kinds';
import type { ImageStreamTag } from './tag';
import { checkOptions, shown } from '../_input';

export interface DeployToOptions {
  /**
   * The container whose image follows the tag.
   * @default 'main' (the name cdk8s-plus gives a container that has none)
   */
  readonly container?: string;
  /**
   * The container is one of the pod's init containers.
   * @default false
   */
  readonly init?: boolean;
  /**
   * Keep the trigger but stop acting on it (OpenShift's `paused`): the image stays where it is.
   * @default false
   */
  readonly paused?: boolean;
}

/** A cdk8s-plus-27 workload (Deployment, StatefulSet, DaemonSet, CronJob), by shape: no import of cdk8s-plus. */
export interface PlusWorkload extends IConstruct {
  readonly kind: string;
  readonly metadata: ApiObjectMetadataDefinition;
  readonly containers: readonly { readonly name: string }[];
  readonly initContainers: readonly { readonly name: string }[];
}

/** What `deployTo` accepts: a plain cdk8s ApiObject or a cdk8s-plus workload, of a kind the controller sets images of. */
export type TriggerableWorkload = ApiObject | PlusWorkload;

interface WorkloadTrigger {
  readonly tag: ImageStreamTag;
  readonly container: string;
  readonly init: boolean;
  readonly paused: boolean;
}

const HOLDER_ID = 'ImageStreamTriggers';
const TRIGGERS_BRAND = Symbol.for('cdk8s-imagestreams.WorkloadImageTriggers');
const KIND_NAMES = `a ${WORKLOAD_KINDS.map((k) => k.kind).join(', ').replace(/, (\w+)$/, ' or $1')}`;

/**
 * Makes `options.container` of `workload` follow `tag`: adds an entry to the workload's
 * `imagestreams.dev/triggers` annotation (OpenShift's `image.openshift.io/triggers` format). The
 * container keeps the image written in the app; the controller sets it to the tag's digest on its
 * first sync and on every change of the tag. Checked at synth time.
 */
export function deployTo(tag: ImageStreamTag, workload: TriggerableWorkload, options: DeployToOptions = {}): void {
  if (!Construct.isConstruct(workload) || typeof (workload as { metadata?: unknown }).metadata !== 'object') {
    throw new Error(`deployTo(${tag}): 'workload' (${shown(workload)}) must be a cdk8s ApiObject or a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job, CronJob)`);
  }
  checkOptions(`[${workload.node.path}] deployTo(${tag}):`, 'the options', options, ['container', 'init', 'paused'], "{ container: 'web' }");
  WorkloadImageTriggers.of(workload, tag).add({ tag, container: options.container ?? 'main', init: options.init ?? false, paused: options.paused ?? false });
}

/** The triggers of one workload: a child of it that renders the annotation and checks each entry. */
export class WorkloadImageTriggers extends Construct {
  /** The workload's triggers, created on the first `deployTo`. */
  static of(workload: TriggerableWorkload, tag: ImageStreamTag): WorkloadImageTriggers {
    const existing = workload.node.tryFindChild(HOLDER_ID);
    if (WorkloadImageTriggers.isWorkloadImageTriggers(existing)) return existing;
    // Checked before the child is made, so that a rejected workload is left as it was.
    return new WorkloadImageTriggers(workload, supportedKind(workload, tag));
  }

  static isWorkloadImageTriggers(x: unknown): x is WorkloadImageTriggers {
    return typeof x === 'object' && x !== null && TRIGGERS_BRAND in x;
  }

  private readonly triggers: WorkloadTrigger[] = [];
  /** The registry's pull Secrets the pod must list in imagePullSecrets. */
  private readonly pullSecrets = new Set<string>();
  private pullSecretsAdded = false;

  private constructor(private readonly workload: TriggerableWorkload, private readonly kind: WorkloadKind) {
    super(workload, HOLDER_ID);
    Object.defineProperty(this, TRIGGERS_BRAND, { value: true });
    markUsesController(this);
    // Lazy, so that later deployTo calls still count, in the order they were made.
    workload.metadata.addAnnotation(TRIGGERS_ANNOTATION, Lazy.any({ produce: () => this.render() }));
    workload.node.addValidation({ validate: () => (this.addPullSecrets(), this.problems()) });
  }

  add(trigger: WorkloadTrigger): void {
    this.triggers.push(trigger);
    // The image moves to the registry behind streams: the pod pulls it with the registry's Secret,
    // which the in-cluster registry's Job then makes in the workload's namespace.
    const namespace = this.workload.metadata.namespace;
    const systems = System.allOf(this);
    const secret = namespace && systems.length === 1 ? systems[0].registry?.pullSecretIn(namespace) : undefined;
    if (secret) this.pullSecrets.add(secret);
  }

  /**
   * Lists the registry's pull Secrets in the pod template's imagePullSecrets, after those the app
   * wrote, in the manifest: whatever applies it (kubectl, Argo CD, Flux) owns the field, and the
   * controller, which sets only images, never writes it.
   */
  private addPullSecrets(): void {
    if (this.pullSecretsAdded || this.pullSecrets.size === 0) return;
    this.pullSecretsAdded = true;
    const target = ApiObject.isApiObject(this.workload) ? this.workload : ApiObject.of(this.workload);
    let podSpec: unknown = target.toJson();
    for (const key of this.kind.podSpecPath) podSpec = (podSpec as Record<string, unknown> | undefined)?.[key];
    const listed = (podSpec as { imagePullSecrets?: { name?: string }[] } | undefined)?.imagePullSecrets;
    const missing = [...this.pullSecrets].filter((name) => !listed?.some((s) => s.name === name));
    const path = `/${this.kind.podSpecPath.join('/')}/imagePullSecrets`;
    if (!listed) target.addJsonPatch(JsonPatch.add(path, missing.map((name) => ({ name }))));
    else for (const name of missing) target.addJsonPatch(JsonPatch.add(`${path}/-`, { name }));
  }

  /** The workload's namespace and those of the streams it follows. */
  controllerNamespaces(): string[] {
    const own = this.workload.metadata.namespace;
    return [...(own ? [own] : []), ...this.triggers.map((t) => t.tag.namespace)];
  }

  /** The image field a trigger sets, as the controller parses it. */
  fieldPath(trigger: Pick<WorkloadTrigger, 'container' | 'init'>): string {
    return containerImageFieldPath(this.kind, trigger.container, trigger.init);
  }

  private render(): string {
    // The namespace is always written: the trigger reads the same wherever the workload is applied.
    return formatTriggerAnnotation(this.triggers.map((t) => ({
      stream: t.tag.streamName, tag: t.tag.tag, namespace: t.tag.namespace, fieldPath: this.fieldPath(t), paused: t.paused,
    })));
  }

  private problems(): string[] {
    const problems: string[] = [];
    if (!this.workload.metadata.namespace) {
      problems.push(`follows ${this.triggers.map((t) => `${t.tag}`).join(', ')} but has no namespace: set metadata.namespace or the chart's namespace, so that the controller can watch it`);
    }
    const followed = new Map<string, ImageStreamTag>();
    for (const trigger of this.triggers) {
      problems.push(...this.triggerProblems(trigger, followed));
      followed.set(this.fieldPath(trigger), trigger.tag);
    }
    return problems;
  }

  private triggerProblems(trigger: WorkloadTrigger, followed: ReadonlyMap<string, ImageStreamTag>): string[] {
    const { tag } = trigger;
    const problems: string[] = [];
    if (!tag.isDefined) {
      problems.push(`deployTo(${tag}): the stream ${tag.namespace}/${tag.streamName} defines no tag '${tag.tag}': define it (importTag, aliasTag, pinTag, referenceTag or a BuildConfig output), or use ImageStreamTag.external('${tag}') for a tag managed elsewhere`);
    }
    const namespace = this.workload.metadata.namespace;
    const denied = namespace ? tag.accessProblem(namespace, 'Pull') : undefined;
    if (denied) problems.push(`deployTo(${tag}): ${denied}`);
    const missing = this.missingContainer(trigger);
    if (missing) problems.push(`deployTo(${tag}): ${missing}`);
    const previous = followed.get(this.fieldPath(trigger));
    if (previous) {
      problems.push(`deployTo(${tag}): ${this.fieldPath(trigger)} already follows ${previous}: an image field follows one tag; drop one of the deployTo calls`);
    }
    return problems;
  }

  private missingContainer({ container, init }: WorkloadTrigger): string | undefined {
    const names = containerNames(this.workload, this.kind, init);
    if (names.includes(container)) return undefined;
    const what = init ? 'init container' : 'container';
    if (names.length === 0) return `this ${this.kind.kind} has no ${what} '${container}' (it has no ${what}s): add it${init ? ", or drop 'init: true'" : ''}`;
    return `this ${this.kind.kind} has no ${what} '${container}' (its ${what}s: ${names.join(', ')}): set 'container' to one of them`;
  }
}

function supportedKind(workload: TriggerableWorkload, tag: ImageStreamTag): WorkloadKind {
  const kind = workloadKind(workload.kind);
  if (!kind) {
    throw new Error(`deployTo(${tag}): 'workload' (${workload.kind} at ${workload.node.path}) is not ${KIND_NAMES}, the kinds whose images the controller sets`);
  }
  return kind;
}

/** The names of the pod's containers (or init containers): cdk8s-plus knows them; a plain object is rendered. */
function containerNames(workload: TriggerableWorkload, kind: WorkloadKind, init: boolean): string[] {
  if (!ApiObject.isApiObject(workload)) return (init ? workload.initContainers : workload.containers).map((c) => c.name);
  let podSpec: unknown = workload.toJson();
  for (const key of kind.podSpecPath) podSpec = (podSpec as Record<string, unknown> | undefined)?.[key];
  const list = (podSpec as Record<string, unknown> | undefined)?.[init ? 'initContainers' : 'containers'];
  return Array.isArray(list) ? list.map((c: { name?: unknown }) => String(c?.name)) : [];
}
