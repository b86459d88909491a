import { CDK8S, type ObjectCtx } from './model';
import { resourcesExpr } from './quantity';

/** A JSON patch the generated code adds to the workload's ApiObject: a Kubernetes field cdk8s-plus has no prop for. */
export interface Patch {
  readonly path: string;
  readonly value: unknown;
}

/** The pod template as cdk8s-plus workload props, and the patches for the rest. */
export interface PodProps {
  readonly props: string[];
  readonly patches: Patch[];
  /** Container names, init containers apart (for triggers). */
  readonly containers: readonly string[];
  readonly initContainers: readonly string[];
}

/** The name of the module-level constant holding OpenShift's restricted-v2 container settings. */
export const RESTRICTED = 'openshiftRestricted';

const PULL_POLICIES: Record<string, string> = { Always: 'ALWAYS', IfNotPresent: 'IF_NOT_PRESENT', Never: 'NEVER' };
const PROBES: Record<string, string> = { readinessProbe: 'readiness', livenessProbe: 'liveness', startupProbe: 'startup' };
const SECURITY: Record<string, string> = {
  runAsNonRoot: 'ensureNonRoot', runAsUser: 'user', runAsGroup: 'group', privileged: 'privileged',
  readOnlyRootFilesystem: 'readOnlyRootFilesystem', allowPrivilegeEscalation: 'allowPrivilegeEscalation',
};

type Container = Record<string, unknown> & { name?: string; image?: string };

/**
 * `spec.template` (at `at`) → cdk8s-plus props: containers (name, image, pull policy, ports,
 * command, args, workingDir, literal env, cpu/memory resources, probes, security context) and the
 * pod's labels, security context and grace period. Every other Kubernetes field of the pod and its
 * containers is kept as written, by a JSON patch at its path in the Deployment.
 */
export function podProps(ctx: ObjectCtx, at: string, images: ReadonlyMap<string, string>): PodProps {
  const spec = ctx.peek<Record<string, unknown>>(`${at}.spec`) ?? {};
  const props: string[] = [];
  const patches: Patch[] = [];
  const labels = ctx.take<Record<string, string>>(`${at}.metadata.labels`);
  const annotations = ctx.take<Record<string, string>>(`${at}.metadata.annotations`);
  const podMetadata = { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) };
  if (Object.keys(podMetadata).length > 0) props.push(`podMetadata: ${ctx.lit(podMetadata, '  ')}`);
  const lists: Record<string, string[]> = { containers: [], initContainers: [] };
  for (const list of ['containers', 'initContainers'] as const) {
    const items = (spec[list] as Container[] | undefined) ?? [];
    if (items.length === 0) continue;
    const rendered = items.map((c, i) => {
      lists[list].push(String(c.name ?? 'main'));
      return containerProps(ctx, `${at}.spec.${list}[${i}]`, `/spec/template/spec/${list}/${i}`, c, images, patches);
    });
    props.push(`${list}: [\n${rendered.map((r) => `    ${r},`).join('\n')}\n  ]`);
  }
  podSecurity(ctx, at, spec, props, patches);
  const grace = ctx.take(`${at}.spec.terminationGracePeriodSeconds`);
  if (grace !== undefined && grace !== 30) {
    ctx.unit.imports.add(CDK8S, 'Duration');
    props.push(`terminationGracePeriod: Duration.seconds(${ctx.num(grace)})`);
  }
  const automount = ctx.take<boolean>(`${at}.spec.automountServiceAccountToken`);
  const serviceAccount = spec.serviceAccountName ?? spec.serviceAccount;
  // OpenShift mounts the token; cdk8s-plus doesn't. Keep it for pods that name a ServiceAccount (they call the API).
  if (automount !== undefined || serviceAccount !== undefined) props.push(`automountServiceAccountToken: ${ctx.bool(automount ?? true)}`);
  if (spec.serviceAccount !== undefined && spec.serviceAccountName !== undefined) ctx.take(`${at}.spec.serviceAccount`);
  else if (spec.serviceAccount !== undefined) {
    ctx.take(`${at}.spec.serviceAccount`);
    patches.push({ path: '/spec/template/spec/serviceAccountName', value: spec.serviceAccount });
  }
  const hostNetwork = ctx.take(`${at}.spec.hostNetwork`);
  if (hostNetwork !== undefined) props.push(`hostNetwork: ${ctx.bool(hostNetwork)}`);
  for (const key of Object.keys(spec)) {
    const path = `${at}.spec.${key}`;
    if (['containers', 'initContainers', 'securityContext'].includes(key)) continue;
    if (ctx.peek(path) === undefined || ctx.isHandled(path)) continue;
    patches.push({ path: `/spec/template/spec/${key}`, value: ctx.take(path) });
  }
  return { props, patches, containers: lists.containers, initContainers: lists.initContainers };
}

function containerProps(ctx: ObjectCtx, at: string, patchAt: string, c: Container, images: ReadonlyMap<string, string>, patches: Patch[]): string {
  const plus = (name: string) => ctx.unit.imports.plus(name);
  const name = String(c.name ?? 'main');
  const props: string[] = [`name: ${ctx.str(name)}`];
  ctx.take(`${at}.name`);
  const image = images.get(name) ?? ctx.str(String(c.image ?? ''));
  ctx.take(`${at}.image`);
  props.push(`image: ${image}`);
  const policy = ctx.take<string>(`${at}.imagePullPolicy`) ?? defaultPullPolicy(String(c.image ?? ''), images.has(name));
  if (PULL_POLICIES[policy]) props.push(`imagePullPolicy: ${plus('ImagePullPolicy')}.${PULL_POLICIES[policy]}`);
  const ports = ctx.take<Record<string, unknown>[]>(`${at}.ports`) ?? [];
  if (ports.length) {
    props.push(`ports: [${ports.map((p) => {
      const parts = [`number: ${ctx.num(p.containerPort)}`];
      if (p.name !== undefined) parts.push(`name: ${ctx.str(String(p.name))}`);
      if (p.protocol !== undefined && p.protocol !== 'TCP') parts.push(`protocol: ${plus('Protocol')}.${String(p.protocol)}`);
      if (p.hostPort !== undefined) parts.push(`hostPort: ${ctx.num(p.hostPort)}`);
      if (p.hostIP !== undefined) parts.push(`hostIp: ${ctx.str(String(p.hostIP))}`);
      return `{ ${parts.join(', ')} }`;
    }).join(', ')}]`);
  }
  for (const key of ['command', 'args'] as const) {
    const value = ctx.take(`${at}.${key}`);
    if (value !== undefined) props.push(`${key}: ${ctx.lit(value, '      ')}`);
  }
  const workingDir = ctx.take<string>(`${at}.workingDir`);
  if (workingDir !== undefined) props.push(`workingDir: ${ctx.str(workingDir)}`);
  const env = c.env as { name: string; value?: string; valueFrom?: unknown }[] | undefined;
  if (env?.length && env.every((e) => e.valueFrom === undefined)) {
    ctx.take(`${at}.env`);
    props.push(`envVariables: {\n${env.map((e) => `        ${propKey(ctx, e.name)}: ${plus('EnvValue')}.fromValue(${ctx.str(e.value ?? '')}),`).join('\n')}\n      }`);
  }
  const resources = c.resources as { limits?: Record<string, unknown>; requests?: Record<string, unknown> } | undefined;
  const hasResources = resources && (Object.keys(resources.limits ?? {}).length > 0 || Object.keys(resources.requests ?? {}).length > 0);
  const resourcesCode = hasResources ? resourcesExpr(resources, ctx.unit.imports) : undefined;
  if (resourcesCode) ctx.take(`${at}.resources`);
  // Without resources in the input, none: cdk8s-plus would add its own defaults.
  props.push(`resources: ${resourcesCode ?? '{}'}`);
  for (const [field, prop] of Object.entries(PROBES)) {
    const probe = probeExpr(ctx, c[field] as Record<string, unknown> | undefined);
    if (probe) {
      ctx.take(`${at}.${field}`);
      props.push(`${prop}: ${probe}`);
    }
  }
  props.push(`securityContext: ${securityExpr(ctx, at, patchAt, c.securityContext as Record<string, unknown> | undefined, patches)}`);
  for (const key of Object.keys(c)) {
    const path = `${at}.${key}`;
    if (key === 'securityContext' || ctx.isHandled(path)) continue;
    patches.push({ path: `${patchAt}/${key}`, value: ctx.take(path) });
  }
  return `{\n${props.map((p) => `      ${p},`).join('\n')}\n    }`;
}

/** Kubernetes' default: Always for :latest or no tag, else IfNotPresent (a digest set by a trigger: IfNotPresent). */
function defaultPullPolicy(image: string, followsTag: boolean): string {
  if (followsTag) return 'IfNotPresent';
  const last = image.split('/').pop() ?? '';
  return image.includes('@') || (last.includes(':') && !last.endsWith(':latest')) ? 'IfNotPresent' : 'Always';
}

function propKey(ctx: ObjectCtx, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : ctx.str(key);
}

/** A cdk8s-plus Probe for an httpGet, tcpSocket or exec probe with numeric ports and plain options. */
function probeExpr(ctx: ObjectCtx, probe: Record<string, unknown> | undefined): string | undefined {
  if (!probe) return undefined;
  const plus = (name: string) => ctx.unit.imports.plus(name);
  const known = ['httpGet', 'tcpSocket', 'exec', 'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'];
  if (Object.keys(probe).some((k) => !known.includes(k))) return undefined;
  const options: string[] = [];
  const defaults: Record<string, unknown> = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 };
  for (const key of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds'] as const) {
    if (probe[key] === undefined || probe[key] === defaults[key]) continue;
    ctx.unit.imports.add(CDK8S, 'Duration');
    options.push(`${key}: Duration.seconds(${ctx.num(probe[key])})`);
  }
  for (const key of ['failureThreshold', 'successThreshold'] as const) if (probe[key] !== undefined && probe[key] !== defaults[key]) options.push(`${key}: ${ctx.num(probe[key])}`);
  const http = probe.httpGet as Record<string, unknown> | undefined;
  const tcp = probe.tcpSocket as Record<string, unknown> | undefined;
  const exec = probe.exec as { command?: string[] } | undefined;
  const port = (http ?? tcp)?.port;
  if (port !== undefined && typeof port !== 'number') return undefined;
  if (http) {
    if (Object.keys(http).some((k) => !['path', 'port', 'scheme'].includes(k))) return undefined;
    if (port !== undefined) options.unshift(`port: ${port}`);
    if (http.scheme === 'HTTPS') options.push(`scheme: ${plus('ConnectionScheme')}.HTTPS`);
    return `${plus('Probe')}.fromHttpGet(${ctx.str(String(http.path ?? '/'))}${options.length ? `, { ${options.join(', ')} }` : ''})`;
  }
  if (tcp) {
    if (Object.keys(tcp).some((k) => k !== 'port')) return undefined;
    if (port !== undefined) options.unshift(`port: ${port}`);
    return `${plus('Probe')}.fromTcpSocket(${options.length ? `{ ${options.join(', ')} }` : ''})`;
  }
  if (exec?.command) return `${plus('Probe')}.fromCommand(${ctx.lit(exec.command)}${options.length ? `, { ${options.join(', ')} }` : ''})`;
  return undefined;
}

/**
 * The container's security context over OpenShift's restricted-v2 settings (which OpenShift applied
 * to every pod it admitted): the fields cdk8s-plus has props for; the others by patch.
 */
function securityExpr(ctx: ObjectCtx, at: string, patchAt: string, context: Record<string, unknown> | undefined, patches: Patch[]): string {
  ctx.unit.imports.restricted = true;
  ctx.unit.imports.kplus = true;
  const overrides: string[] = [];
  for (const [key, value] of Object.entries(context ?? {})) {
    const path = `${at}.securityContext.${key}`;
    if (SECURITY[key]) {
      ctx.take(path);
      overrides.push(`${SECURITY[key]}: ${typeof value === 'boolean' ? String(value) : ctx.lit(value)}`);
    } else if (key === 'capabilities') {
      ctx.take(path);
      const caps = value as { add?: string[]; drop?: string[] };
      const parts = (['add', 'drop'] as const).filter((k) => caps[k]).map((k) => `${k}: [${caps[k]!.map((c) => `${ctx.str(c)} as ${ctx.unit.imports.plus('Capability')}`).join(', ')}]`);
      overrides.push(`capabilities: { ${parts.join(', ')} }`);
    } else {
      patches.push({ path: `${patchAt}/securityContext/${key}`, value: ctx.take(path) });
    }
  }
  return overrides.length ? `{ ...${RESTRICTED}, ${overrides.join(', ')} }` : RESTRICTED;
}

function podSecurity(ctx: ObjectCtx, at: string, spec: Record<string, unknown>, props: string[], patches: Patch[]): void {
  const context = (spec.securityContext as Record<string, unknown> | undefined) ?? {};
  const mapped: Record<string, string> = { runAsNonRoot: 'ensureNonRoot', runAsUser: 'user', runAsGroup: 'group', fsGroup: 'fsGroup' };
  const parts: string[] = [];
  for (const [key, value] of Object.entries(context)) {
    const path = `${at}.spec.securityContext.${key}`;
    if (mapped[key]) {
      ctx.take(path);
      parts.push(`${mapped[key]}: ${ctx.lit(value)}`);
    } else {
      patches.push({ path: `/spec/template/spec/securityContext/${key}`, value: ctx.take(path) });
    }
  }
  if (parts.length) props.push(`securityContext: { ${parts.join(', ')} }`);
  // restricted-v2 gives pods the runtime's default seccomp profile.
  if (context.seccompProfile === undefined) patches.push({ path: '/spec/template/spec/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } });
}
