import { createHash } from 'node:crypto';
import { ApiObject, Chart } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { register, registered } from '../../_app-index';
import { TektonTask, type TaskSpec } from '../../tekton';
import { SYSTEM_LABELS } from '../../../lib/api/group';

const SHARED_BRAND = Symbol.for('cdk8s-imagestreams.SharedBuildObjects');
/** The ServiceAccount builds run as unless told otherwise: no RBAC, no token. */
export const DEFAULT_BUILDER_SERVICE_ACCOUNT = 'imagestreams-builder';

/** JSON with sorted keys: equal specs give equal text whatever order their keys were written in. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `git-fetch-1a2b3c4d`: the base name and a short hash of the spec, so different versions never clash. */
export function sharedTaskName(baseName: string, spec: TaskSpec): string {
  return `${baseName}-${createHash('sha256').update(stableJson(spec)).digest('hex').slice(0, 8)}`;
}

/**
 * The build objects of one namespace that all its BuildConfigs share: one Task per distinct spec,
 * and the default builder ServiceAccount. Found through the root (`SharedBuildObjects.in`), placed
 * in the chart of the first BuildConfig of the namespace.
 */
export class SharedBuildObjects extends Construct {
  /** The namespace's shared objects, created under `scope`'s chart on first use. */
  static in(scope: IConstruct, namespace: string): SharedBuildObjects {
    const existing = registered(scope, 'SharedBuildObjects', SharedBuildObjects.isSharedBuildObjects).find((c) => c.namespace === namespace);
    return existing ?? new SharedBuildObjects(Chart.of(scope), `imagestreams-builds-${namespace}`, namespace);
  }

  static isSharedBuildObjects(x: unknown): x is SharedBuildObjects {
    return typeof x === 'object' && x !== null && SHARED_BRAND in x;
  }

  private readonly tasks = new Map<string, TektonTask>();
  private serviceAccount?: ApiObject;

  private constructor(scope: Construct, id: string, readonly namespace: string) {
    super(scope, id);
    Object.defineProperty(this, SHARED_BRAND, { value: true });
    register(this, 'SharedBuildObjects');
  }

  /** The name of the namespace's Task with this spec, emitting it on first use. */
  taskName(baseName: string, spec: TaskSpec): string {
    const name = sharedTaskName(baseName, spec);
    if (!this.tasks.has(name)) {
      this.tasks.set(name, new TektonTask(this, name, { metadata: { name, namespace: this.namespace, labels: { ...SYSTEM_LABELS } }, spec }));
    }
    return name;
  }

  /** The default builder ServiceAccount's name, emitting it on first use. */
  builderServiceAccount(): string {
    this.serviceAccount ??= new ApiObject(this, 'builder', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: DEFAULT_BUILDER_SERVICE_ACCOUNT, namespace: this.namespace, labels: { ...SYSTEM_LABELS } },
      // Build pods have no business with the API server: no token, and no RoleBinding anywhere.
      automountServiceAccountToken: false,
    });
    return DEFAULT_BUILDER_SERVICE_ACCOUNT;
  }

  /** The Task specs emitted, by name. */
  get taskSpecs(): Record<string, TaskSpec> {
    return Object.fromEntries([...this.tasks].map(([name, task]) => [name, task.toJson().spec as TaskSpec]));
  }
}
