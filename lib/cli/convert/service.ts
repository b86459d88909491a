import { code, identifier, withParameterNames } from './code';
import { takeMetadata } from './metadata';
import type { ObjectCtx } from './model';
import { convertPassthrough } from './passthrough';

interface PortInput {
  readonly port: number;
  readonly name?: string;
  readonly protocol?: string;
  readonly targetPort?: number | string;
  readonly nodePort?: number;
}

const TYPES: Record<string, string> = { ClusterIP: 'CLUSTER_IP', NodePort: 'NODE_PORT', LoadBalancer: 'LOAD_BALANCER', ExternalName: 'EXTERNAL_NAME' };
/** Spec fields a cdk8s-plus Service has props for (besides the server-set ones). */
const PLUS_FIELDS = ['ports', 'selector', 'type', 'clusterIP', 'externalIPs', 'loadBalancerSourceRanges', 'externalName'];

/**
 * A Service → a cdk8s-plus Service (ports, selector labels, type) when it has props for every field,
 * else an ApiObject as written. Its ports are recorded for Routes.
 */
export function convertService(ctx: ObjectCtx): void {
  const unit = ctx.unit;
  const spec = ctx.peek<Record<string, unknown>>('spec') ?? {};
  const ports = (spec.ports as PortInput[] | undefined) ?? [];
  const key = `${unit.namespaceKey(ctx.object.metadata?.namespace)}/${ctx.name}`;
  const plusFits = Object.keys(spec).every((k) => PLUS_FIELDS.includes(k) || ctx.isHandled(`spec.${k}`))
    && ports.every((p, i) => (p.targetPort === undefined || typeof p.targetPort === 'number') && Object.keys(p).every((f) => ['port', 'name', 'protocol', 'targetPort', 'nodePort'].includes(f) || ctx.isHandled(`spec.ports[${i}].${f}`)))
    && (spec.type === undefined || TYPES[String(spec.type)] !== undefined)
    && (ctx.object.metadata?.namespace === undefined || unit.namespace !== undefined);
  if (!plusFits) {
    unit.services.set(key, { variable: '', ports });
    convertPassthrough(ctx);
    return;
  }
  const plus = (n: string) => unit.imports.plus(n);
  const name = ctx.name;
  const meta = takeMetadata(ctx);
  const props: string[] = [`metadata: ${ctx.lit({ name: code(ctx.str(name)), ...meta }, '  ')}`];
  const type = ctx.take<string>('spec.type');
  if (type !== undefined && type !== 'ClusterIP') props.push(`type: ${plus('ServiceType')}.${TYPES[type]}`);
  for (const field of ['clusterIP', 'externalName'] as const) {
    const value = ctx.take<string>(`spec.${field}`);
    if (value !== undefined && (field !== 'clusterIP' || value === 'None')) props.push(`${field}: ${ctx.str(value)}`);
  }
  for (const field of ['externalIPs', 'loadBalancerSourceRanges'] as const) {
    const value = ctx.take<string[]>(`spec.${field}`);
    if (value?.length) props.push(`${field}: ${ctx.lit(value)}`);
  }
  ctx.take('spec.ports');
  if (ports.length) {
    props.push(`ports: [\n${ports.map((p) => {
      const parts = [`port: ${ctx.num(p.port)}`];
      if (p.name !== undefined) parts.unshift(`name: ${ctx.str(p.name)}`);
      if (p.targetPort !== undefined) parts.push(`targetPort: ${ctx.num(p.targetPort)}`);
      if (p.protocol !== undefined && p.protocol !== 'TCP') parts.push(`protocol: ${plus('Protocol')}.${p.protocol}`);
      if (p.nodePort !== undefined) parts.push(`nodePort: ${ctx.num(p.nodePort)}`);
      return `    { ${parts.join(', ')} },`;
    }).join('\n')}\n  ]`);
  }
  const selector = ctx.take<Record<string, string>>('spec.selector') ?? {};
  const variable = unit.vars.take(identifier(name, 'Service'));
  const id = unit.ids.take(`${withParameterNames(name)}-service`);
  const lines = [`const ${variable} = new ${plus('Service')}(${unit.scope}, ${ctx.str(id)}, {\n${props.map((p) => `  ${p},`).join('\n')}\n});`];
  for (const [k, v] of Object.entries(selector)) lines.push(`${variable}.selectLabel(${ctx.str(k)}, ${ctx.str(v)});`);
  unit.services.set(key, { variable, ports });
  unit.add(...lines);
}
