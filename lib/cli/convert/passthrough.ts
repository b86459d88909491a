import { identifier, plain, withParameterNames } from './code';
import { takeMetadata } from './metadata';
import { CDK8S, type ObjectCtx } from './model';
import { splitStreamTag, streamTagExpr } from './references';

/** Kinds without a namespace: the chart's namespace is removed from them. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass']);

/** Objects that record what happened in a cluster, not what should be: skipped. */
const RUNTIME_KINDS = new Set(['Pod', 'ReplicationController', 'ReplicaSet', 'Build', 'Event', 'Endpoints', 'EndpointSlice', 'ImageStreamTag', 'ImageStreamImage', 'ImageTag', 'Image', 'ControllerRevision']);

/** Workload kinds whose `image.openshift.io/triggers` annotation becomes deployTo calls. */
const TRIGGERABLE: Record<string, string> = { Deployment: 'spec.template.spec', StatefulSet: 'spec.template.spec', DaemonSet: 'spec.template.spec', CronJob: 'spec.jobTemplate.spec.template.spec' };

/** Whether the object is runtime state (`oc get all` lists pods, builds, replication controllers). */
export function isRuntimeObject(kind: string): boolean {
  return RUNTIME_KINDS.has(kind);
}

export function skipRuntimeObject(ctx: ObjectCtx): void {
  ctx.todo('(object)', `${ctx.kind} objects are state the cluster made (from a ${ctx.kind === 'Build' ? 'BuildConfig' : 'workload or build'}), not configuration: not converted`);
  for (const key of Object.keys(ctx.object)) ctx.take(key);
}

/** An OpenShift kind with no equivalent (Project, SecurityContextConstraints …): reported, not converted. */
export function skipOpenShiftObject(ctx: ObjectCtx): void {
  ctx.todo('(object)', `${ctx.object.apiVersion} ${ctx.kind} is OpenShift's alone and has no equivalent on Kubernetes: not converted`);
  for (const key of Object.keys(ctx.object)) ctx.take(key);
}

/**
 * Any other Kubernetes object → `new ApiObject(...)` with its fields as written; a workload's
 * `image.openshift.io/triggers` annotation → `deployTo` calls (the controller honours OpenShift's
 * annotation too, but deployTo is checked at synth time).
 */
export function convertPassthrough(ctx: ObjectCtx): void {
  const unit = ctx.unit;
  unit.imports.add(CDK8S, 'ApiObject');
  const name = ctx.name;
  const triggers = ctx.object.metadata?.annotations?.['image.openshift.io/triggers'];
  const meta = takeMetadata(ctx);
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(ctx.object)) {
    if (['apiVersion', 'kind', 'metadata'].includes(key)) continue;
    const value = stripServerSet(ctx, key);
    if (value !== undefined) body[key] = value;
  }
  const metadata = { name, ...(ctx.object.metadata?.namespace !== undefined && unit.namespace === undefined ? { namespace: ctx.object.metadata.namespace } : {}), ...meta };
  const suffix = ctx.kind.toLowerCase();
  const id = unit.ids.take(`${withParameterNames(name)}-${suffix}`);
  const needsVariable = triggers !== undefined || CLUSTER_SCOPED.has(ctx.kind);
  const variable = needsVariable ? unit.vars.take(identifier(name, ctx.kind)) : undefined;
  const make = `new ApiObject(${unit.scope}, ${ctx.str(id)}, ${ctx.lit({ apiVersion: ctx.object.apiVersion, kind: ctx.kind, metadata, ...body })})`;
  const lines = [variable ? `const ${variable} = ${make};` : `${make};`];
  if (ctx.kind === 'Secret' && (body.data || body.stringData)) ctx.note(`NOTE: this Secret's values are now in this file: keep them out of git (create the Secret in the cluster, or use sealed-secrets / external-secrets).`);
  if (CLUSTER_SCOPED.has(ctx.kind)) {
    unit.imports.add(CDK8S, 'JsonPatch');
    lines.push(`${variable}.addJsonPatch(JsonPatch.remove('/metadata/namespace')); // a ${ctx.kind} has no namespace`);
  }
  if (triggers !== undefined) lines.push(...triggerCalls(ctx, variable!, triggers));
  unit.add(...lines);
}

/** The value of a top-level field without its server-set parts (cluster IPs, status, defaults). */
function stripServerSet(ctx: ObjectCtx, key: string): unknown {
  const strip = (value: unknown, path: string): unknown => {
    if (ctx.isHandled(path) && path !== key) return undefined;
    if (Array.isArray(value)) return value.map((v, i) => strip(v, `${path}[${i}]`));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const child = strip(v, `${path}.${k}`);
        if (child !== undefined) out[k] = child;
      }
      return out;
    }
    return value;
  };
  if (ctx.isHandled(key)) return undefined;
  const value = strip(ctx.peek(key), key);
  ctx.take(key);
  return value;
}

function triggerCalls(ctx: ObjectCtx, variable: string, text: string): string[] {
  const field = "metadata.annotations['image.openshift.io/triggers']";
  const podPath = TRIGGERABLE[ctx.kind];
  if (!podPath) {
    ctx.todo(field, `a ${ctx.kind} has no image fields that triggers set (Deployments, StatefulSets, DaemonSets and CronJobs do)`);
    return [];
  }
  let entries: { from?: { kind?: string; name?: string; namespace?: string }; fieldPath?: string; paused?: unknown }[];
  try {
    entries = JSON.parse(text);
  } catch {
    ctx.todo(field, 'the annotation is not JSON: no trigger converted');
    return [];
  }
  const lines: string[] = [];
  entries.forEach((entry, i) => {
    const match = /^(.*)\.(containers|initContainers)\[\?\(@\.name=="([^"]+)"\)\]\.image$/.exec(entry.fieldPath ?? '');
    if (entry.from?.kind !== 'ImageStreamTag' || !entry.from.name || !match || match[1] !== podPath) {
      ctx.todo(`${field}[${i}]`, `${plain(JSON.stringify(entry))} is not a trigger on a container image of this ${ctx.kind}: not converted`);
      return;
    }
    const tag = streamTagExpr(ctx, { ...splitStreamTag(entry.from.name), namespace: entry.from.namespace }, `${field}[${i}]`);
    const options = [`container: ${ctx.str(match[3])}`];
    if (match[2] === 'initContainers') options.push('init: true');
    if (entry.paused === true || entry.paused === 'true') options.push('paused: true');
    lines.push(`${tag}.deployTo(${variable}, { ${options.join(', ')} });`);
  });
  return lines;
}
