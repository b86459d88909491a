import { code, identifier, plain, withParameterNames } from './code';
import { takeMetadata } from './metadata';
import { CDK8S, type ObjectCtx } from './model';

/** Router annotations of OpenShift's HAProxy router: each is reported with the Ingress it needs. */
const ROUTER_ANNOTATION = /^(haproxy\.)?router\.openshift\.io\//;

/**
 * A Route (route.openshift.io/v1) → an Ingress: host, path and the Service backend (the Route's
 * target port resolved to the Service's port); edge TLS → a tls section with a Secret. Passthrough
 * and re-encrypt TLS, weighted backends and router annotations are reported.
 */
export function convertRoute(ctx: ObjectCtx): void {
  const unit = ctx.unit;
  const name = ctx.name;
  const meta = takeMetadata(ctx);
  for (const key of Object.keys(meta.annotations ?? {})) {
    if (!ROUTER_ANNOTATION.test(key)) continue;
    ctx.todo(`metadata.annotations['${key}']`, "an annotation of OpenShift's router: set your ingress controller's equivalent (ingress-nginx: nginx.ingress.kubernetes.io/…)");
    delete meta.annotations![key];
  }
  if (meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
  const host = ctx.take<string>('spec.host');
  const path = ctx.take<string>('spec.path') ?? '/';
  const toKind = ctx.take<string>('spec.to.kind');
  const service = ctx.take<string>('spec.to.name') ?? '';
  if (toKind !== undefined && toKind !== 'Service') ctx.todo('spec.to.kind', `a Route to a ${toKind} has no equivalent: an Ingress forwards to Services`);
  const weight = ctx.peek('spec.to.weight');
  if (weight !== undefined && !ctx.isHandled('spec.to.weight')) ctx.todo('spec.to.weight', 'weights have no equivalent in an Ingress: the Service gets all requests');
  if (Array.isArray(ctx.peek('spec.alternateBackends')) && ctx.peek<unknown[]>('spec.alternateBackends')!.length > 0) {
    ctx.todo('spec.alternateBackends', 'weighted backends (A/B) have no equivalent in an Ingress: use a Gateway API HTTPRoute with weights, or your ingress controller\'s canary annotations');
  }
  const wildcard = ctx.peek('spec.wildcardPolicy');
  if (wildcard !== undefined && !ctx.isHandled('spec.wildcardPolicy')) ctx.todo('spec.wildcardPolicy', 'write the host as *.domain in the Ingress for a wildcard');
  const target = ctx.take<number | string>('spec.port.targetPort');
  const known = unit.services.get(`${unit.namespaceKey(ctx.object.metadata?.namespace)}/${service}`);
  const port = servicePort(target, known?.ports);
  const tls = tlsSection(ctx, name, host);
  const variable = unit.vars.take(identifier(name, 'Ingress'));
  const id = unit.ids.take(`${withParameterNames(name)}-route`);
  if (!host) ctx.note(`NOTE: the Route had no host (OpenShift generated one): the Ingress answers on every host; set one.`);
  if (known?.variable && typeof port !== 'string') {
    const plus = (n: string) => unit.imports.plus(n);
    const backend = `${plus('IngressBackend')}.fromService(${known.variable}${port !== undefined ? `, { port: ${port} }` : ''})`;
    const rule = [host ? `host: ${ctx.str(host)}` : undefined, `path: ${ctx.str(path)}`, `pathType: ${plus('HttpIngressPathType')}.PREFIX`, `backend: ${backend}`].filter(Boolean).join(', ');
    const props = [`metadata: ${ctx.lit({ name: code(ctx.str(name)), ...meta }, '  ')}`, `rules: [{ ${rule} }]`];
    if (tls) props.push(`tls: [{ hosts: [${ctx.str(host!)}], secret: ${plus('Secret')}.fromSecretName(${unit.scope}, ${ctx.str(`${withParameterNames(name)}-tls-secret`)}, ${ctx.str(tls)}) }]`);
    unit.add(`const ${variable} = new ${plus('Ingress')}(${unit.scope}, ${ctx.str(id)}, {\n${props.map((p) => `  ${p},`).join('\n')}\n});`);
    return;
  }
  unit.imports.add(CDK8S, 'ApiObject');
  const backendPort = typeof port === 'string' ? { name: port } : { number: port ?? 80 };
  if (port === undefined) ctx.todo('spec.port', `the Service ${plain(service)} is not in the input, so its port is unknown: port 80 is written; set the Service's port`);
  const spec = {
    rules: [{ ...(host ? { host } : {}), http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: service, port: backendPort } } }] } }],
    ...(tls ? { tls: [{ hosts: [host], secretName: tls }] } : {}),
  };
  unit.add(`const ${variable} = new ApiObject(${unit.scope}, ${ctx.str(id)}, ${ctx.lit({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, ...meta }, spec })});`);
}

/** The Service port a Route's target port names: the port whose targetPort (or name) it is. */
function servicePort(target: number | string | undefined, ports: readonly { port: number; name?: string; targetPort?: number | string }[] | undefined): number | string | undefined {
  if (!ports) return target;
  if (target === undefined) return ports.length === 1 ? ports[0].port : undefined;
  const found = ports.find((p) => p.targetPort === target || p.name === target || (p.targetPort === undefined && p.port === target));
  return found ? found.port : target;
}

/** The TLS Secret's name for edge termination, reporting what an Ingress can't do. */
function tlsSection(ctx: ObjectCtx, name: string, host: string | undefined): string | undefined {
  const termination = ctx.take<string>('spec.tls.termination');
  if (termination === undefined) return undefined;
  if (ctx.peek('spec.tls.insecureEdgeTerminationPolicy') !== undefined) {
    ctx.todo('spec.tls.insecureEdgeTerminationPolicy', `${String(ctx.peek('spec.tls.insecureEdgeTerminationPolicy'))} for http is your ingress controller's setting (ingress-nginx redirects to https when the Ingress has tls; nginx.ingress.kubernetes.io/ssl-redirect turns it off)`);
  }
  if (termination !== 'edge') {
    ctx.todo('spec.tls.termination', `${termination} TLS has no equivalent in an Ingress: ingress-nginx does it with the annotations nginx.ingress.kubernetes.io/ssl-passthrough (passthrough) or backend-protocol: HTTPS (re-encrypt)`);
    for (const key of ['certificate', 'key', 'caCertificate', 'destinationCACertificate']) {
      if (ctx.peek(`spec.tls.${key}`) !== undefined) ctx.todo(`spec.tls.${key}`, `goes with ${termination} TLS, which is not converted`);
    }
    return undefined;
  }
  const secret = `${name}-tls`;
  const inline = ['certificate', 'key', 'caCertificate', 'destinationCACertificate'].filter((k) => ctx.peek(`spec.tls.${k}`) !== undefined);
  for (const key of inline) ctx.todo(`spec.tls.${key}`, `the Route holds its ${key}: put it into the kubernetes.io/tls Secret ${plain(secret)} (tls.crt, tls.key, ca.crt), which is not in these manifests`);
  if (inline.length === 0) ctx.note(`NOTE: the Route used the router's default certificate: create the kubernetes.io/tls Secret ${plain(secret)} (or let cert-manager do it).`);
  if (!host) {
    ctx.todo('spec.tls', 'TLS needs the Route\'s host, which it has not: no tls section');
    return undefined;
  }
  return secret;
}
