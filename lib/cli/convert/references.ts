import { hasParameters, parametersIn, plain } from './code';
import { OURS, type ObjectCtx } from './model';

/** An OpenShift object reference to an image: `{ kind: ImageStreamTag | DockerImage | ImageStreamImage, name, namespace? }`. */
export interface ImageRef {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}

/** `stream:tag` split; a bare name is the `latest` tag, as OpenShift reads it. */
export function splitStreamTag(name: string): { stream: string; tag: string } {
  const colon = name.lastIndexOf(':');
  return colon < 0 ? { stream: name, tag: 'latest' } : { stream: name.slice(0, colon), tag: name.slice(colon + 1) };
}

/**
 * A stream tag as an expression: `fooStream.tag('latest')` for a stream of the app,
 * `ImageStreamTag.external('ns/stream:tag')` for one managed elsewhere (reported when it is one of
 * OpenShift's shared `openshift` streams, which a plain cluster doesn't have).
 */
export function streamTagExpr(ctx: ObjectCtx, ref: { stream: string; tag: string; namespace?: string }, field: string): string {
  const unit = ctx.unit;
  const key = `${unit.namespaceKey(ref.namespace ?? ctx.object.metadata?.namespace)}/${ref.stream}`;
  const own = unit.streams.get(key);
  if (own) return `${own.variable}.tag(${ctx.str(ref.tag)})`;
  unit.imports.add(OURS, 'ImageStreamTag');
  const namespace = ref.namespace ?? ctx.object.metadata?.namespace;
  if (namespace !== undefined && withDefaults(ctx, namespace) === 'openshift') {
    ctx.todo(field, `${plain(ref.stream)}:${plain(ref.tag)} is a stream of OpenShift's shared 'openshift' namespace, which a plain cluster doesn't have: define it (e.g. new ImageStream(chart, '${plain(ref.stream)}', { namespace: 'openshift' }).importTag(...)) or build from an image`);
  }
  const tail = `${ref.stream}:${ref.tag}`;
  if (namespace === undefined && unit.namespace === undefined) {
    unit.usesNamespace = true;
    return `ImageStreamTag.external(\`\${ns}/${templatePart(ctx, tail)}\`)`;
  }
  return `ImageStreamTag.external(${ctx.str(`${namespace ?? unit.namespace}/${tail}`)})`;
}

/** The inside of a template literal for `text` (its parameters as `${p.x}`). */
function templatePart(ctx: ObjectCtx, text: string): string {
  const printed = ctx.str(text);
  if (printed.startsWith('`')) return printed.slice(1, -1);
  if (printed.startsWith("'")) return printed.slice(1, -1).replace(/\\'/g, "'").replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  return `\${${printed}}`;
}

/** An image reference with a tag: OpenShift reads a bare repository as `:latest`, our constructs want it written. */
export function withTag(ctx: ObjectCtx, image: string, field: string): string {
  const last = image.split('/').pop() ?? '';
  if (last.includes(':') || image.includes('@') || hasParameters(last)) return image;
  ctx.todo(field, `${plain(image)} has no tag, which OpenShift reads as :latest: written as ${plain(image)}:latest; pin a version`);
  return `${image}:latest`;
}

/** `text` with each parameter replaced by its default value (as `oc process` without arguments would). */
function withDefaults(ctx: ObjectCtx, text: string): string {
  let out = text;
  for (const name of parametersIn(text)) out = out.replace(/[\uE000\uE002][A-Za-z0-9_]+[\uE001\uE003]/, ctx.params?.value?.(name) ?? '');
  return out;
}
