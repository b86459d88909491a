/**
 * The round trip of `imagestreams convert`: each OpenShift input object, mapped to the objects the
 * converted app synthesizes, must carry the same information. Written apart from the converter: it
 * knows OpenShift's shapes and ours, not how the converter reads them.
 *
 * For every leaf of every input object, one of:
 *  - it is state or a default the API server wrote (status, uid, cluster IPs …): nothing to carry;
 *  - the converter reported its path (a TODO(convert) and a line of the summary);
 *  - the mapped output object holds the same value at the mapped place.
 * A leaf that is none of these was dropped silently, and fails the test.
 */
import { formatReference, parseReference } from '../../../lib/api/image-reference';
import { placeholderFor } from '../../../lib/cli/convert/program';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;
type Seg = string | number;

export interface Finding {
  readonly object: string;
  readonly field: string;
}

export interface InputObject {
  /** `Kind/name` as the summary names it (Templates: with `${PARAM}` in names). */
  readonly ref: string;
  readonly object: Obj;
  readonly namespace: string;
}

/** Parses the summary lines `  file: Kind/name: field: why`. */
export function parseFindings(stderr: string): Finding[] {
  return stderr.split('\n').flatMap((line) => {
    const m = /^ {2}[^:]+: ([A-Za-z]+\/\S+): (\S+): /.exec(line);
    return m ? [{ object: m[1], field: m[2] }] : [];
  });
}

/** Lists flattened and Templates processed with their defaults (and main.ts's placeholders), as `oc process` would. */
export function expandInputs(docs: readonly Obj[], defaultNamespace = 'default'): InputObject[] {
  return docs.flatMap((doc): InputObject[] => {
    if (!doc) return [];
    if (doc.kind?.endsWith('List') && Array.isArray(doc.items)) return expandInputs(doc.items, defaultNamespace);
    if (doc.kind === 'Template') return processTemplate(doc, defaultNamespace);
    return [{ ref: `${doc.kind}/${doc.metadata?.name}`, object: doc, namespace: doc.metadata?.namespace ?? defaultNamespace }];
  });
}

function processTemplate(template: Obj, namespace: string): InputObject[] {
  const values = new Map<string, string>();
  for (const p of template.parameters ?? []) values.set(p.name, p.value ?? (p.generate || p.required ? placeholderFor(template, p.name) : ''));
  const substitute = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^\$\{\{(\w+)\}\}$/.exec(value);
      if (whole && values.has(whole[1])) return JSON.parse(values.get(whole[1])!);
      return value.replace(/\$\{(\w+)\}/g, (all, name: string) => values.get(name) ?? all);
    }
    if (Array.isArray(value)) return value.map(substitute);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k) as string, substitute(v)]));
    return value;
  };
  return (template.objects ?? []).map((raw: Obj) => {
    const object = substitute(raw) as Obj;
    if (template.labels) object.metadata = { ...object.metadata, labels: { ...object.metadata?.labels, ...template.labels } };
    return { ref: `${raw.kind}/${raw.metadata?.name}`, object, namespace: object.metadata?.namespace ?? namespace };
  });
}

/** Every problem of the round trip: dropped leaves, different values, missing objects. */
export function compareRoundTrip(inputs: readonly InputObject[], outputs: readonly Obj[], findings: readonly Finding[]): string[] {
  const problems: string[] = [];
  for (const input of inputs) {
    const reported = findings.filter((f) => f.object === input.ref);
    if (reported.some((f) => f.field === '(object)')) continue;
    const mapping = MAPPINGS[input.object.kind] ?? identity;
    const output = findOutput(outputs, input);
    if (!output) {
      problems.push(`${input.ref}: no ${OUTPUT_KIND[input.object.kind] ?? input.object.kind} ${input.object.metadata.name} in namespace ${input.namespace} was synthesized`);
      continue;
    }
    for (const [path, value] of leaves(input.object)) {
      const text = formatPath(path);
      if (isServerSet(input.object.kind, path, value)) continue;
      if (reported.some((f) => text === f.field || text.startsWith(`${f.field}.`) || text.startsWith(`${f.field}[`))) continue;
      const why = mapping(path, value, { input: input.object, namespace: input.namespace, output, outputs, inputs });
      if (why) problems.push(`${input.ref}: ${text} (${JSON.stringify(value)}): ${why}`);
    }
  }
  return problems;
}

const OUTPUT_KIND: Record<string, string> = { DeploymentConfig: 'Deployment', Route: 'Ingress' };
const OUR_GROUP = 'imagestreams.dev/v1alpha1';

function findOutput(outputs: readonly Obj[], input: InputObject): Obj | undefined {
  const kind = OUTPUT_KIND[input.object.kind] ?? input.object.kind;
  return outputs.find((o) => o.kind === kind && o.metadata?.name === input.object.metadata.name
    && (o.metadata?.namespace ?? input.namespace) === input.namespace
    && (['ImageStream', 'BuildConfig'].includes(kind) ? o.apiVersion === OUR_GROUP : true));
}

function leaves(value: unknown, path: Seg[] = []): [Seg[], unknown][] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (typeof value === 'object') {
    if (Object.keys(value).length === 0) return [];
    return Object.entries(value).flatMap(([k, v]) => (path.length === 0 && (k === 'apiVersion' || k === 'kind') ? [] : leaves(v, [...path, k])));
  }
  return [[path, value]];
}

/** `spec.tags[0].name`, with keys that aren't identifiers as `['key']` (as the converter names fields). */
function formatPath(path: readonly Seg[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) && !s.includes('-') ? `${i ? '.' : ''}${s}` : `['${s}']`)).join('')
    .replace(/^\['/, "['");
}

function get(value: Obj, path: readonly Seg[]): Obj {
  return path.reduce((v, s) => (v === null || v === undefined ? undefined : v[s]), value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// ---- what the API server writes -------------------------------------------------------------

const SERVER_SET = [/^status(\.|$)/, /^metadata\.(uid|resourceVersion|creationTimestamp|generation|managedFields|selfLink)/, /\.metadata\.creationTimestamp$/];
const DEFAULTS: Record<string, unknown> = {
  'spec.template.spec.restartPolicy': 'Always', 'spec.template.spec.dnsPolicy': 'ClusterFirst', 'spec.template.spec.schedulerName': 'default-scheduler',
  'spec.template.spec.terminationGracePeriodSeconds': 30, 'spec.template.spec.containers.terminationMessagePath': '/dev/termination-log',
  'spec.template.spec.containers.terminationMessagePolicy': 'File', 'spec.template.spec.containers.ports.protocol': 'TCP',
  'spec.tags.referencePolicy.type': 'Source', 'spec.tags.importPolicy.importMode': 'Legacy', 'spec.lookupPolicy.local': false,
  'spec.sessionAffinity': 'None', 'spec.ipFamilyPolicy': 'SingleStack', 'spec.internalTrafficPolicy': 'Cluster', 'spec.ports.protocol': 'TCP', 'spec.type': 'ClusterIP',
  'spec.test': false, 'spec.strategy.activeDeadlineSeconds': 21600, 'spec.strategy.rollingParams.intervalSeconds': 1, 'spec.strategy.rollingParams.updatePeriodSeconds': 1,
  'spec.revisionHistoryLimit': 10, 'spec.wildcardPolicy': 'None', 'spec.to.weight': 100, 'spec.runPolicy': 'Serial',
  'spec.template.spec.containers.readinessProbe.timeoutSeconds': 1, 'spec.template.spec.containers.livenessProbe.timeoutSeconds': 1,
  'spec.template.spec.containers.readinessProbe.periodSeconds': 10, 'spec.template.spec.containers.livenessProbe.periodSeconds': 10,
  'spec.template.spec.containers.readinessProbe.successThreshold': 1, 'spec.template.spec.containers.livenessProbe.successThreshold': 1,
  'spec.template.spec.containers.readinessProbe.failureThreshold': 3, 'spec.template.spec.containers.livenessProbe.failureThreshold': 3,
  'spec.successfulBuildsHistoryLimit': 5, 'spec.failedBuildsHistoryLimit': 5, 'spec.strategy.dockerStrategy.forcePull': false, 'spec.strategy.sourceStrategy.incremental': false,
};

function isServerSet(kind: string, path: readonly Seg[], value: unknown): boolean {
  const text = path.filter((s) => typeof s === 'string').join('.');
  if (SERVER_SET.some((re) => re.test(formatPath(path)))) return true;
  if (kind === 'ImageStream' && /^spec\.tags\.generation$/.test(text)) return true;
  if (kind === 'Service' && (text === 'spec.clusterIPs' || text === 'spec.ipFamilies' || (text === 'spec.clusterIP' && value !== 'None'))) return true;
  if (kind === 'DeploymentConfig' && /imageChangeParams\.lastTriggeredImage$/.test(text)) return true;
  if (kind === 'BuildConfig' && /imageChange\.lastTriggeredImageID$/.test(text)) return true;
  if (text.startsWith('metadata.annotations') && ['openshift.io/generated-by', 'openshift.io/image.dockerRepositoryCheck', 'kubectl.kubernetes.io/last-applied-configuration'].includes(String(path[2]))) return true;
  return text in DEFAULTS && same(DEFAULTS[text], value);
}

// ---- where each leaf goes --------------------------------------------------------------------

interface Ctx {
  readonly input: Obj;
  /** The input object's namespace (a Template's objects: the one it is instantiated in). */
  readonly namespace: string;
  readonly output: Obj;
  readonly outputs: readonly Obj[];
  readonly inputs: readonly InputObject[];
}
/** undefined when the leaf is carried, else why not. */
type Mapping = (path: Seg[], value: unknown, ctx: Ctx) => string | undefined;

const expect = (actual: unknown, wanted: unknown, where: string): string | undefined => (same(normal(actual), normal(wanted)) ? undefined : `${where} is ${JSON.stringify(actual)}`);

/** Quantities and image references compare by meaning. */
function normal(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const quantity = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (quantity) return Number(quantity[1]) * ({ m: 0.001, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 }[quantity[2] ?? ''] ?? 1);
  return value;
}

function image(name: string): string {
  try {
    return formatReference(parseReference(name));
  } catch {
    return name;
  }
}

/** Kubernetes objects: the same value at the same path. */
const identity: Mapping = (path, value, { output }) => expect(get(output, path), value, formatPath(path));

/** Labels and annotations: the same key and value. */
function metadata(path: Seg[], value: unknown, output: Obj): string | undefined | false {
  if (path[0] !== 'metadata') return false;
  if (path[1] === 'name' || path[1] === 'namespace') return undefined;
  return expect(get(output, path), value, formatPath(path));
}

const imageStream: Mapping = (path, value, { input, output }) => {
  const m = metadata(path, value, output);
  if (m !== false) return m;
  if (formatPath(path) === 'spec.lookupPolicy.local') return expect(output.spec.lookupPolicy?.local ?? false, value, 'spec.lookupPolicy.local');
  if (path[1] !== 'tags') return 'not mapped';
  const tag = input.spec.tags[path[2] as number];
  const out = (output.spec.tags ?? []).find((t: Obj) => t.name === String(tag.name));
  if (!out) return `the output stream has no tag ${tag.name}`;
  const field = path.slice(3).join('.');
  switch (field) {
    case 'name': return undefined;
    case 'from.kind': return expect(out.from?.kind, value, 'from.kind');
    case 'from.name':
      if (tag.from.kind === 'DockerImage') return expect(out.from?.name, image(String(value)), 'from.name');
      return expect(out.from?.name, String(value).includes(':') ? value : `${input.metadata.name}:${value}`, 'from.name');
    case 'from.namespace': return expect(out.from?.namespace ?? input.metadata.namespace, value, 'from.namespace');
    case 'importPolicy.scheduled': return expect(out.importPolicy?.scheduled ?? false, value, 'importPolicy.scheduled');
    case 'importPolicy.insecure': return expect(out.importPolicy?.insecure ?? false, value, 'importPolicy.insecure');
    case 'importPolicy.importMode': return expect(out.importPolicy?.importMode ?? 'Legacy', value, 'importPolicy.importMode');
    case 'reference': return expect(out.reference ?? false, value, 'reference');
    default: return 'not mapped';
  }
};

const buildConfig: Mapping = (path, value, { input, output, outputs }) => {
  const m = metadata(path, value, output);
  if (m !== false) return m;
  const text = formatPath(path);
  const spec = output.spec;
  const pipeline = outputs.find((o) => o.kind === 'Pipeline' && o.metadata.name === output.metadata.name && o.metadata.namespace === output.metadata.namespace);
  const param = (name: string) => pipeline?.spec.params.find((p: Obj) => p.name === name)?.default;
  const strategy = /^spec\.strategy\.(docker|source)Strategy\.(.*)$/.exec(text);
  if (strategy) {
    const [, , rest] = strategy;
    const from = /^from\.(kind|name|namespace)$/.exec(rest);
    if (from) {
      const wanted = from[1] === 'name' ? (input.spec.strategy[`${strategy[1]}Strategy`].from.kind === 'DockerImage' ? image(String(value)) : String(value).includes(':') ? value : `${value}:latest`) : value;
      const written = spec.strategy[`${strategy[1]}Strategy`]?.from;
      return expect(from[1] === 'namespace' ? written?.namespace ?? input.metadata.namespace : written?.[from[1]], wanted, `spec.strategy.${strategy[1]}Strategy.from.${from[1]}`);
    }
    const list = /^(env|buildArgs)\[(\d+)\]\.(name|value)$/.exec(rest);
    if (list) {
      const item = input.spec.strategy[`${strategy[1]}Strategy`][list[1]][Number(list[2])];
      const values: string[] = param(list[1] === 'env' ? 'ENV' : 'BUILD_ARGS') ?? [];
      return values.includes(`${item.name}=${item.value ?? ''}`) ? undefined : `the Pipeline's ${list[1]} are ${JSON.stringify(values)}`;
    }
    if (rest === 'dockerfilePath') return expect(param('DOCKERFILE'), value, 'param DOCKERFILE');
    if (rest === 'noCache') return expect(param('NO_CACHE'), String(value), 'param NO_CACHE');
    if (rest === 'pullSecret.name') return spec.workspaces.some((w: Obj) => w.name === 'pull-dockerconfig' && w.secret?.secretName === value) ? undefined : 'no pull-dockerconfig workspace with that Secret';
    return 'not mapped';
  }
  const trigger = /^spec\.triggers\[(\d+)\]\.(.*)$/.exec(text);
  if (trigger) {
    const t = input.spec.triggers[Number(trigger[1])];
    const candidates = (spec.triggers ?? []).filter((o: Obj) => o.type === t.type);
    if (candidates.length === 0) return `no ${t.type} trigger`;
    if (trigger[2] === 'type') return undefined;
    const from = /^imageChange\.from\.(kind|name|namespace)$/.exec(trigger[2]);
    if (from) return candidates.some((c: Obj) => same(from[1] === 'namespace' ? c.imageChange?.from?.namespace ?? input.metadata.namespace : c.imageChange?.from?.[from[1]], value)) ? undefined : 'no such imageChange.from';
    const hook = /^(github|gitlab|bitbucket|generic)\.secretReference\.name$/.exec(trigger[2]);
    if (hook) return candidates.some((c: Obj) => c[hook[1]]?.secretReference?.name === value) ? undefined : 'no webhook with that Secret';
    return 'not mapped';
  }
  const imageSource = /^spec\.source\.images\[(\d+)\]\.(.*)$/.exec(text);
  if (imageSource) {
    const [, n, rest] = imageSource;
    const written = spec.source.images?.[Number(n)];
    if (rest === 'from.name') return expect(written?.from.name, input.spec.source.images[Number(n)].from.kind === 'DockerImage' ? image(String(value)) : value, `spec.source.images[${n}].from.name`);
    if (rest === 'from.namespace') return expect(written?.from.namespace ?? input.metadata.namespace, value, `spec.source.images[${n}].from.namespace`);
    return expect(get(written, path.slice(4)), value, `spec.source.images[${n}].${rest}`);
  }
  // Written into the BuildConfig's spec as OpenShift has them.
  if (/^spec\.(postCommit\.|source\.(secrets|configMaps)\[\d+\]\.|source\.binary\.)/.test(text)) {
    const wanted = typeof value === 'string' && text.endsWith('destinationDir') ? value.replace(/^\/+|\/+$/g, '') : value;
    return expect(get(output, path), wanted, text);
  }
  const direct: Record<string, string> = {
    'spec.source.type': 'spec.source.type', 'spec.source.git.uri': 'spec.source.git.uri', 'spec.source.git.ref': 'spec.source.git.ref',
    'spec.source.sourceSecret.name': 'spec.source.sourceSecret.name', 'spec.source.dockerfile': 'spec.source.dockerfile', 'spec.strategy.type': 'spec.strategy.type',
    'spec.output.to.kind': 'spec.output.to.kind', 'spec.output.pushSecret.name': 'spec.output.pushSecret.name', 'spec.runPolicy': 'spec.runPolicy',
    'spec.successfulBuildsHistoryLimit': 'spec.successfulBuildsHistoryLimit', 'spec.failedBuildsHistoryLimit': 'spec.failedBuildsHistoryLimit', 'spec.serviceAccount': 'spec.serviceAccountName',
  };
  if (direct[text]) return expect(get(output, direct[text].split('.')), value, direct[text]);
  if (text === 'spec.source.contextDir') return expect(spec.source.contextDir ?? '', String(value).replace(/^\/+|\/+$/g, ''), 'spec.source.contextDir');
  if (text === 'spec.output.to.name') return expect(spec.output.to.name, input.spec.output.to.kind === 'DockerImage' ? image(String(value)) : value, 'spec.output.to.name');
  if (text === 'spec.output.to.namespace') return expect(spec.output.to.namespace ?? input.metadata.namespace, value, 'spec.output.to.namespace');
  const label = /^spec\.output\.imageLabels\[(\d+)\]\.(name|value)$/.exec(text);
  if (label) {
    const l = input.spec.output.imageLabels[Number(label[1])];
    return (spec.output.imageLabels ?? []).some((o: Obj) => o.name === l.name && o.value === l.value) ? undefined : 'no such image label';
  }
  if (path[1] === 'nodeSelector') return expect(spec.podTemplate?.nodeSelector?.[path[2]], value, 'spec.podTemplate.nodeSelector');
  if (text === 'spec.completionDeadlineSeconds') return expect(goDurationSeconds(spec.timeout), value, 'spec.timeout');
  if (path[1] === 'resources') {
    const build = pipeline?.spec.tasks.find((t: Obj) => t.name === 'build');
    const task = outputs.find((o) => o.kind === 'Task' && o.metadata.name === build?.taskRef?.name);
    const step = task?.spec.steps.find((s: Obj) => s.computeResources);
    return expect(get(step?.computeResources, path.slice(2)), value, 'the build step\'s computeResources');
  }
  return 'not mapped';
};

function goDurationSeconds(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  return m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : undefined;
}

interface Trigger { from: { name: string; namespace: string }; fieldPath: string; paused: boolean }
const triggersOf = (o: Obj): Trigger[] => JSON.parse(o.metadata.annotations?.['imagestreams.dev/triggers'] ?? '[]');
const follows = (o: Obj, container: string) => triggersOf(o).some((t) => t.fieldPath.includes(`[?(@.name=="${container}")]`));

/** A pod template leaf: the container matched by name, env by name, ports by number; the rest at the same path. */
function podLeaf(path: Seg[], value: unknown, input: Obj, output: Obj, at: Seg[]): string | undefined {
  const rel = path.slice(at.length);
  const list = rel[0] === 'spec' && (rel[1] === 'containers' || rel[1] === 'initContainers') ? rel[1] : undefined;
  if (!list) return expect(get(output, path), value, formatPath(path));
  const container = get(input, [...at, 'spec', list, rel[2]]);
  const out = (get(output, [...at, 'spec', list]) ?? []).find((c: Obj) => c.name === container.name);
  if (!out) return `no ${list} ${container.name}`;
  const field = rel.slice(3);
  if (field[0] === 'image' && follows(output, container.name)) return undefined; // the controller sets it
  if (field[0] === 'image') return expect(image(out.image), image(String(value)), 'image');
  if (field[0] === 'env') {
    const item = container.env[field[1] as number];
    const found = (out.env ?? []).find((e: Obj) => e.name === item.name);
    return found ? expect(get(found, field.slice(2)), value, `env ${item.name}`) : `no env ${item.name}`;
  }
  if (field[0] === 'ports') {
    const item = container.ports[field[1] as number];
    const found = (out.ports ?? []).find((p: Obj) => p.containerPort === item.containerPort);
    return found ? expect(get(found, field.slice(2)), value, `port ${item.containerPort}`) : `no port ${item.containerPort}`;
  }
  return expect(get(out, field), value, formatPath(field));
}

const deploymentConfig: Mapping = (path, value, { input, output, namespace }) => {
  const m = metadata(path, value, output);
  if (m !== false) return m;
  const text = formatPath(path);
  if (path[1] === 'template') return podLeaf(path, value, input, output, ['spec', 'template']);
  if (path[1] === 'selector') return expect(output.spec.selector.matchLabels?.[path[2]], value, 'spec.selector.matchLabels');
  const trigger = /^spec\.triggers\[(\d+)\]\.(.*)$/.exec(text);
  if (trigger) {
    const t = input.spec.triggers[Number(trigger[1])];
    if (trigger[2] === 'type') return undefined; // ConfigChange: a Deployment rolls out on every change; ImageChange: below
    const params = t.imageChangeParams;
    const wanted = (params.containerNames ?? []).map((c: string) => ({ c, name: params.from.name, namespace: params.from.namespace ?? namespace, paused: params.automatic === false }));
    const found = triggersOf(output);
    const missing = wanted.filter((w: Obj) => !found.some((f) => f.fieldPath.includes(`[?(@.name=="${w.c}")]`) && f.from.name === (w.name.includes(':') ? w.name : `${w.name}:latest`) && f.from.namespace === w.namespace && f.paused === w.paused));
    return missing.length ? `the Deployment's triggers ${JSON.stringify(found)} miss ${JSON.stringify(missing)}` : undefined;
  }
  const direct: Record<string, (o: Obj) => unknown> = {
    'spec.replicas': (o) => o.spec.replicas,
    'spec.minReadySeconds': (o) => o.spec.minReadySeconds,
    'spec.revisionHistoryLimit': (o) => o.spec.revisionHistoryLimit,
    'spec.paused': (o) => o.spec.paused,
    'spec.strategy.type': (o) => ({ RollingUpdate: 'Rolling', Recreate: 'Recreate' } as Record<string, string>)[o.spec.strategy.type],
    'spec.strategy.rollingParams.maxSurge': (o) => o.spec.strategy.rollingUpdate?.maxSurge,
    'spec.strategy.rollingParams.maxUnavailable': (o) => o.spec.strategy.rollingUpdate?.maxUnavailable,
    'spec.strategy.rollingParams.timeoutSeconds': (o) => o.spec.progressDeadlineSeconds,
  };
  return direct[text] ? expect(direct[text](output), value, text) : 'not mapped';
};

const workload: Mapping = (path, value, ctx) => {
  if (formatPath(path) === "metadata.annotations['image.openshift.io/triggers']") {
    const wanted = JSON.parse(String(value)) as { from: { name: string; namespace?: string }; fieldPath: string; paused?: unknown }[];
    const found = triggersOf(ctx.output);
    const missing = wanted.filter((w) => !found.some((f) => f.fieldPath === w.fieldPath && f.from.name === w.from.name && f.from.namespace === (w.from.namespace ?? ctx.namespace) && f.paused === (w.paused === true || w.paused === 'true')));
    return missing.length ? `imagestreams.dev/triggers ${JSON.stringify(found)} misses ${JSON.stringify(missing)}` : undefined;
  }
  return identity(path, value, ctx);
};

const service: Mapping = (path, value, ctx) => {
  const m = metadata(path, value, ctx.output);
  if (m !== false) return m;
  return identity(path, value, ctx);
};

const route: Mapping = (path, value, { input, output, inputs }) => {
  const m = metadata(path, value, output);
  if (m !== false) return m;
  const text = formatPath(path);
  const rule = output.spec.rules?.[0];
  const pathRule = rule?.http?.paths?.[0];
  switch (text) {
    case 'spec.host': return expect(rule?.host, value, 'spec.rules[0].host');
    case 'spec.path': return expect(pathRule?.path, value, 'spec.rules[0].http.paths[0].path');
    case 'spec.to.kind': return expect('Service', value, 'the backend kind');
    case 'spec.to.name': return expect(pathRule?.backend?.service?.name, value, 'the backend Service');
    case 'spec.port.targetPort': {
      const svc = inputs.find((i) => i.object.kind === 'Service' && i.object.metadata.name === input.spec.to.name)?.object;
      const port = svc?.spec.ports.find((p: Obj) => p.targetPort === value || p.name === value);
      const backend = pathRule?.backend?.service?.port;
      return port ? expect(backend?.number ?? backend?.name, port.port, 'the backend port') : expect(backend?.number ?? backend?.name, value, 'the backend port');
    }
    case 'spec.tls.termination': return value === 'edge' && output.spec.tls?.[0]?.hosts?.includes(input.spec.host) ? undefined : 'no tls section for the host';
    default: return 'not mapped';
  }
};

const MAPPINGS: Record<string, Mapping> = {
  ImageStream: imageStream, BuildConfig: buildConfig, DeploymentConfig: deploymentConfig, Route: route, Service: service,
  Deployment: workload, StatefulSet: workload, DaemonSet: workload, CronJob: workload,
};
