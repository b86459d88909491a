import { identifier, plain, withParameterNames } from './code';
import { metadataStatements, takeMetadata } from './metadata';
import { OURS, type ObjectCtx, type Unit } from './model';
import { splitStreamTag, streamTagExpr, type ImageRef } from './references';

interface TagInput {
  readonly name: string;
  readonly from?: ImageRef;
  readonly reference?: boolean;
  readonly importPolicy?: { scheduled?: boolean; insecure?: boolean; importMode?: string };
  readonly referencePolicy?: { type?: string };
  readonly annotations?: Record<string, string> | null;
}

/** Declares the stream (`new ImageStream(...)`), so that every stream exists before any tag refers to it. */
export function declareImageStream(ctx: ObjectCtx): void {
  const unit = ctx.unit;
  const name = ctx.take<string>('metadata.name') ?? '';
  const variable = unit.vars.take(identifier(name, 'Stream'));
  unit.streams.set(`${unit.namespaceKey(ctx.object.metadata?.namespace)}/${name}`, { variable, outputTags: new Set() });
}

/** Writes the stream's constructor and its tags. */
export function convertImageStream(ctx: ObjectCtx, outputs: ReadonlySet<string>): void {
  const unit = ctx.unit;
  const name = ctx.name;
  const meta = takeMetadata(ctx);
  const stream = unit.streams.get(`${unit.namespaceKey(ctx.object.metadata?.namespace)}/${name}`)!;
  unit.imports.add(OURS, 'ImageStream');
  const props: string[] = [];
  const id = unit.ids.take(withParameterNames(name));
  if (id !== name) props.push(`name: ${ctx.str(name)}`);
  const namespace = ctx.object.metadata?.namespace;
  if (namespace !== undefined && unit.namespace === undefined) props.push(`namespace: ${ctx.str(namespace)}`);
  if (ctx.take('spec.lookupPolicy.local') === true) props.push('lookupPolicy: { local: true }');
  if (ctx.peek('spec.dockerImageRepository')) {
    ctx.todo('spec.dockerImageRepository', `imports every tag of ${plain(String(ctx.peek('spec.dockerImageRepository')))}: list the tags you use with importTag, or run imagestreams import-image ${plain(name)} --from REPOSITORY --all once`);
  }
  const lines = [`const ${stream.variable} = new ImageStream(${unit.scope}, ${ctx.str(id)}${props.length ? `, { ${props.join(', ')} }` : ''});`];
  lines.push(...metadataStatements(ctx, `${stream.variable}.resource`, meta));
  const tags = ctx.peek<TagInput[]>('spec.tags') ?? [];
  tags.forEach((tag, i) => {
    const at = `spec.tags[${i}]`;
    for (const field of ['name', 'from', 'reference', 'importPolicy.scheduled', 'importPolicy.insecure', 'importPolicy.importMode', 'referencePolicy.type']) ctx.take(`${at}.${field}`);
    const line = convertTag(ctx, stream.variable, tag, at, outputs.has(`${unit.namespaceKey(namespace)}/${name}:${tag.name}`));
    if (line) lines.push(line);
  });
  unit.add(...lines);
}

function convertTag(ctx: ObjectCtx, variable: string, tag: TagInput, at: string, isOutput: boolean): string | undefined {
  if (tag.annotations && Object.keys(tag.annotations).length > 0) {
    ctx.todo(`${at}.annotations`, 'tag annotations (display name, description, builder tags for the console) have no equivalent: tags carry no annotations here');
  }
  if (tag.referencePolicy?.type === 'Local') {
    ctx.todo(`${at}.referencePolicy`, 'Local pulls through the internal registry, which has no equivalent: workloads pull from the source (referencePolicy Source)');
  }
  if (isOutput) {
    if (tag.from) ctx.todo(`${at}.from`, `a BuildConfig pushes to ${plain(tag.name)}: the build's output defines the tag, so its from is dropped`);
    return undefined;
  }
  const tagName = ctx.str(tag.name);
  const from = tag.from;
  if (!from) {
    ctx.todo(at, `tag ${plain(tag.name)} has no from and no BuildConfig of the input pushes to it: a tag is defined by an import, an alias, a pin, a reference or a build output`);
    return undefined;
  }
  const insecure = tag.importPolicy?.insecure === true;
  if (from.kind === 'DockerImage' && from.name) {
    const image = ctx.str(from.name);
    if (tag.reference) return `${variable}.referenceTag(${tagName}, ${image});`;
    const scheduled = tag.importPolicy?.scheduled === true;
    if (!scheduled && from.name.includes('@')) return `${variable}.pinTag(${tagName}, ${image}${insecure ? ', { insecure: true }' : ''});`;
    const options = [`from: ${image}`];
    // OpenShift imports a tag once unless scheduled; ours are scheduled by default.
    if (!scheduled) options.push('scheduled: false');
    if (insecure) options.push('insecure: true');
    const mode = tag.importPolicy?.importMode;
    if (mode === 'PreserveOriginal') options.push("importMode: 'PreserveOriginal'");
    else if (mode !== undefined && mode !== 'Legacy') ctx.todo(`${at}.importPolicy.importMode`, `import mode ${mode} is not one of Legacy, PreserveOriginal`);
    return `${variable}.importTag(${tagName}, { ${options.join(', ')} });`;
  }
  if (from.kind === 'ImageStreamTag' && from.name) {
    if (tag.reference) ctx.todo(`${at}.reference`, 'a reference to another tag has no equivalent: the tag becomes an alias, which follows its target');
    if (insecure) ctx.todo(`${at}.importPolicy.insecure`, 'an alias imports nothing: insecure applies to the tag it follows');
    const target = from.name.includes(':') ? splitStreamTag(from.name) : { stream: ctx.name, tag: from.name };
    const sameStream = target.stream === ctx.name && (from.namespace === undefined || from.namespace === ctx.object.metadata?.namespace);
    const targetExpr = sameStream ? `${variable}.tag(${ctx.str(target.tag)})` : streamTagExpr(ctx, { ...target, namespace: from.namespace }, `${at}.from`);
    return `${variable}.aliasTag(${tagName}, ${targetExpr});`;
  }
  ctx.todo(at, `tag ${plain(tag.name)} is not converted: ${from.kind ?? 'a from without kind'} has no equivalent: tags import a DockerImage or follow an ImageStreamTag${from.kind === 'ImageStreamImage' ? ' (pin the image by digest with pinTag instead)' : ''}`);
  return undefined;
}

/** `namespace/stream:tag` of each tag that a BuildConfig of the input pushes to (they are declared by the build). */
export function outputTagsOf(unit: Unit, buildConfigs: readonly { metadata?: { namespace?: string }; spec?: unknown }[]): Set<string> {
  const tags = new Set<string>();
  for (const bc of buildConfigs) {
    const to = (bc.spec as { output?: { to?: ImageRef } } | undefined)?.output?.to;
    if (to?.kind !== 'ImageStreamTag' || !to.name) continue;
    const { stream, tag } = splitStreamTag(to.name);
    tags.add(`${unit.namespaceKey(to.namespace ?? bc.metadata?.namespace)}/${stream}:${tag}`);
  }
  return tags;
}

