import { code, identifier, withParameterNames } from './code';
import { takeMetadata } from './metadata';
import { CDK8S, type ObjectCtx } from './model';
import { podProps, type Patch } from './pod';
import { splitStreamTag, streamTagExpr, type ImageRef } from './references';

interface Follow {
  readonly tag: string;
  readonly container: string;
  readonly paused: boolean;
}

/** Registries of OpenShift's image registry: references into it don't resolve on another cluster. */
const INTERNAL_REGISTRY = /^(image-registry\.openshift-image-registry\.svc|docker-registry\.default\.svc|172\.30\.\d+\.\d+)(:\d+)?\//;

/**
 * A DeploymentConfig (apps.openshift.io/v1) → a cdk8s-plus Deployment: replicas, selector, rolling or
 * recreate strategy, the pod template (see pod.ts), and each ImageChange trigger as `deployTo`.
 * Lifecycle hooks, custom strategies and `test` have no Kubernetes equivalent and are reported.
 */
export function convertDeploymentConfig(ctx: ObjectCtx): void {
  const unit = ctx.unit;
  const name = ctx.name;
  const meta = takeMetadata(ctx);
  const follows = dcTriggers(ctx);
  const images = new Map<string, string>();
  for (const f of follows) if (!images.has(f.container)) images.set(f.container, imageFor(ctx, f));
  const pod = podProps(ctx, 'spec.template', images);
  const props: string[] = [`metadata: ${ctx.lit({ name: code(ctx.str(name)), ...meta }, '  ')}`];
  props.push(`replicas: ${ctx.num(ctx.take('spec.replicas') ?? 1)}`);
  const selector = ctx.take<Record<string, string>>('spec.selector') ?? ctx.peek<Record<string, string>>('spec.template.metadata.labels');
  if (selector && Object.keys(selector).length > 0) props.push('select: false');
  const strategy = strategyProps(ctx);
  props.push(...strategy);
  const minReady = ctx.take('spec.minReadySeconds');
  if (minReady !== undefined) {
    unit.imports.add(CDK8S, 'Duration');
    props.push(`minReady: Duration.seconds(${ctx.num(minReady)})`);
  }
  props.push(...pod.props);
  const patches: Patch[] = [...pod.patches];
  for (const field of ['revisionHistoryLimit', 'paused'] as const) {
    const path = `spec.${field}`;
    if (ctx.peek(path) !== undefined && !ctx.isHandled(path)) patches.push({ path: `/${path.replace('.', '/')}`, value: ctx.take(path) });
  }
  if (ctx.peek('spec.test') === true) ctx.todo('spec.test', 'test deployments (scaled down after a rollout) have no equivalent in Kubernetes');
  const variable = unit.vars.take(identifier(name, 'Deployment'));
  const id = unit.ids.take(`${withParameterNames(name)}-deployment`);
  const lines = [`const ${variable} = new ${unit.imports.plus('Deployment')}(${unit.scope}, ${ctx.str(id)}, {\n${props.map((p) => `  ${p},`).join('\n')}\n});`];
  if (selector && Object.keys(selector).length > 0) lines.push(`${variable}.select(${unit.imports.plus('LabelSelector')}.of({ labels: ${ctx.lit(selector)} }));`);
  if (patches.length) lines.push(patchStatement(ctx, `ApiObject.of(${variable})`, patches));
  for (const f of follows) {
    const options = [`container: ${ctx.str(f.container)}`];
    if (pod.initContainers.includes(f.container) && !pod.containers.includes(f.container)) options.push('init: true');
    if (f.paused) options.push('paused: true');
    lines.push(`${f.tag}.deployTo(${variable}, { ${options.join(', ')} });`);
  }
  unit.add(...lines);
}

/** `ApiObject.of(x).addJsonPatch(JsonPatch.add(path, value), …)` for fields cdk8s-plus has no prop for. */
export function patchStatement(ctx: ObjectCtx, target: string, patches: readonly Patch[]): string {
  ctx.unit.imports.add(CDK8S, 'ApiObject', 'JsonPatch');
  const ops = patches.map((p) => `  JsonPatch.add(${ctx.str(p.path)}, ${ctx.lit(kubeTyped(ctx, p.value, p.path.split('/')), '  ')}),`);
  return `// Fields that cdk8s-plus has no prop for.\n${target}.addJsonPatch(\n${ops.join('\n')}\n);`;
}

/** The image a following container is written with until the controller sets the tag's digest. */
function imageFor(ctx: ObjectCtx, f: Follow): string {
  const containers = [...(ctx.peek<{ name: string; image?: string }[]>('spec.template.spec.containers') ?? []), ...(ctx.peek<{ name: string; image?: string }[]>('spec.template.spec.initContainers') ?? [])];
  const written = containers.find((c) => c.name === f.container)?.image?.trim();
  // A full reference (registry/repository) is kept; a short name (foo:latest) was OpenShift's lookup of the tag.
  if (written && !INTERNAL_REGISTRY.test(written) && written.includes('/')) return ctx.str(written);
  // A blank image or one of OpenShift's registry: the tag's pull spec (a stream of the app), else its name.
  const own = !f.tag.startsWith('ImageStreamTag.external(');
  return own ? `${f.tag}.pullSpec() ?? ${f.tag}.name` : `${f.tag}.name`;
}

function dcTriggers(ctx: ObjectCtx): Follow[] {
  const triggers = ctx.peek<Record<string, unknown>[]>('spec.triggers') ?? [];
  const follows: Follow[] = [];
  let configChange = false;
  triggers.forEach((_, i) => {
    const at = `spec.triggers[${i}]`;
    const type = ctx.take<string>(`${at}.type`);
    if (type === 'ConfigChange') {
      configChange = true;
      return;
    }
    if (type !== 'ImageChange') {
      ctx.todo(at, `${type ?? 'a trigger without type'} has no equivalent (ImageChange and ConfigChange convert)`);
      return;
    }
    const from = ctx.take<ImageRef>(`${at}.imageChangeParams.from`);
    const names = ctx.take<string[]>(`${at}.imageChangeParams.containerNames`) ?? [];
    const automatic = ctx.take<boolean>(`${at}.imageChangeParams.automatic`);
    ctx.take(`${at}.imageChangeParams.lastTriggeredImage`);
    if (from?.kind !== 'ImageStreamTag' || !from.name) {
      ctx.todo(`${at}.imageChangeParams.from`, `${from?.kind ?? 'a from without kind'} can't be followed: triggers follow ImageStreamTags`);
      return;
    }
    const tag = streamTagExpr(ctx, { ...splitStreamTag(from.name), namespace: from.namespace }, `${at}.imageChangeParams.from`);
    if (names.length === 0) ctx.todo(`${at}.imageChangeParams.containerNames`, 'a trigger without containerNames sets no image: name the containers that follow the tag');
    for (const container of names) follows.push({ tag, container, paused: automatic === false });
  });
  if (!configChange && triggers.length > 0) {
    ctx.todo('spec.triggers', 'without a ConfigChange trigger OpenShift rolled out only on image changes or by hand: a Deployment rolls out on every change of its pod template');
  }
  return follows;
}

function strategyProps(ctx: ObjectCtx): string[] {
  const plus = (n: string) => ctx.unit.imports.plus(n);
  const type = ctx.take<string>('spec.strategy.type') ?? 'Rolling';
  const props: string[] = [];
  for (const hook of ['pre', 'mid', 'post']) {
    for (const params of ['rollingParams', 'recreateParams']) {
      if (ctx.peek(`spec.strategy.${params}.${hook}`) !== undefined) {
        ctx.todo(`spec.strategy.${params}.${hook}`, `the ${hook} lifecycle hook has no equivalent in a Deployment: run it as a Job (an Argo CD or Helm hook), or an init container for per-pod work`);
      }
    }
  }
  for (const field of ['labels', 'annotations']) {
    if (ctx.peek(`spec.strategy.${field}`) !== undefined) ctx.todo(`spec.strategy.${field}`, 'the deployer pod has no equivalent: a Deployment rolls out without one');
  }
  if (!ctx.isHandled('spec.strategy.activeDeadlineSeconds') && ctx.peek('spec.strategy.activeDeadlineSeconds') !== undefined) {
    ctx.todo('spec.strategy.activeDeadlineSeconds', 'the deployer pod has no equivalent: progressDeadline bounds a rollout');
  }
  if (!ctx.isHandled('spec.strategy.resources') && ctx.peek('spec.strategy.resources') !== undefined) {
    ctx.todo('spec.strategy.resources', 'the deployer pod has no equivalent: a Deployment rolls out without one');
  }
  if (type === 'Recreate') {
    props.push(`strategy: ${plus('DeploymentStrategy')}.recreate()`);
    const timeout = ctx.peek('spec.strategy.recreateParams.timeoutSeconds');
    if (timeout !== undefined && !ctx.isHandled('spec.strategy.recreateParams.timeoutSeconds')) ctx.todo('spec.strategy.recreateParams.timeoutSeconds', 'a Recreate Deployment has no timeout for its pods to come up');
    return props;
  }
  if (type !== 'Rolling') {
    ctx.todo('spec.strategy', `the ${type} strategy has no equivalent: the Deployment rolls out with RollingUpdate`);
    return props;
  }
  const options: string[] = [];
  for (const field of ['maxSurge', 'maxUnavailable'] as const) {
    const value = ctx.take(`spec.strategy.rollingParams.${field}`);
    if (value === undefined) continue;
    const percent = /^(\d+)%$/.exec(String(value));
    options.push(`${field}: ${plus('PercentOrAbsolute')}.${percent ? `percent(${percent[1]})` : `absolute(${ctx.num(value)})`}`);
  }
  props.push(`strategy: ${plus('DeploymentStrategy')}.rollingUpdate(${options.length ? `{ ${options.join(', ')} }` : ''})`);
  const timeout = ctx.take('spec.strategy.rollingParams.timeoutSeconds');
  if (timeout !== undefined) {
    ctx.unit.imports.add(CDK8S, 'Duration');
    props.push(`progressDeadline: Duration.seconds(${ctx.num(timeout)})`);
  }
  for (const field of ['updatePeriodSeconds', 'intervalSeconds']) {
    const path = `spec.strategy.rollingParams.${field}`;
    if (ctx.peek(path) !== undefined && !ctx.isHandled(path)) ctx.todo(path, `${field} (how the deployer paces and polls) has no equivalent: a Deployment paces itself with maxSurge and maxUnavailable`);
  }
  return props;
}


/**
 * cdk8s-plus's objects pass their JSON, patches included, through the typed converters of the
 * Kubernetes API, which read IntOrString and Quantity fields as objects: those values are written with
 * kplus.k8s.IntOrString and kplus.k8s.Quantity, or they would be dropped.
 */
function kubeTyped(ctx: ObjectCtx, value: unknown, path: readonly string[]): unknown {
  const key = path[path.length - 1];
  const parent = path[path.length - 2];
  const k8s = (type: string, v: unknown) => code(`${ctx.unit.imports.plus('k8s')}.${type}.${typeof v === 'number' ? 'fromNumber' : 'fromString'}(${typeof v === 'number' ? v : ctx.str(String(v))})`);
  if ((typeof value === 'string' || typeof value === 'number') && key === 'port' && ['httpGet', 'tcpSocket'].includes(parent)) return k8s('IntOrString', value);
  if ((typeof value === 'string' || typeof value === 'number') && (['limits', 'requests', 'overhead'].includes(parent) || key === 'sizeLimit')) return k8s('Quantity', value);
  if (Array.isArray(value)) return value.map((v, i) => kubeTyped(ctx, v, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, kubeTyped(ctx, v, [...path, k])]));
  return value;
}
