import { identifier, plain, withParameterNames } from './code';
import { metadataStatements, takeMetadata } from './metadata';
import { CDK8S, OURS, type ObjectCtx } from './model';
import { resourcesExpr } from './quantity';
import { splitStreamTag, streamTagExpr, withTag, type ImageRef } from './references';

type NameValue = { name: string; value?: string; valueFrom?: unknown };

const WEBHOOKS: Record<string, string> = { GitHub: 'github', GitLab: 'gitlab', Bitbucket: 'bitbucket', Generic: 'generic' };

/** A BuildConfig (build.openshift.io/v1) → `new BuildConfig(...)` with its source, strategy, output and triggers. */
export function convertBuildConfig(ctx: ObjectCtx): void {
  const unit = ctx.unit;
  const name = ctx.name;
  const meta = takeMetadata(ctx);
  const strategyType = ctx.take<string>('spec.strategy.type');
  if (ctx.peek('spec.strategy.customStrategy') || ctx.peek('spec.strategy.jenkinsPipelineStrategy') || !['Docker', 'Source', undefined].includes(strategyType)) {
    skip(ctx, 'spec.strategy', `the ${strategyType ?? 'custom'} strategy has no equivalent (builds here are Docker, Source/S2I or Cloud Native Buildpacks): the BuildConfig is not converted; write it with BuildStrategy.dockerfile() or a Tekton Pipeline of your own`);
    return;
  }
  const source = sourceExpr(ctx);
  if (!source) return;
  const strategy = strategyExpr(ctx);
  const output = outputExpr(ctx);
  if (!output) return;
  unit.imports.add(OURS, 'BuildConfig', 'BuildSource', 'BuildStrategy', 'BuildOutput', 'BuildTrigger');
  const props: string[] = [];
  const id = unit.ids.take(`${withParameterNames(name)}-build`);
  props.push(`name: ${ctx.str(name)}`);
  const namespace = ctx.object.metadata?.namespace;
  if (namespace !== undefined && unit.namespace === undefined) props.push(`namespace: ${ctx.str(namespace)}`);
  props.push(`source: ${source}`, `strategy: ${strategy.expr}`, `output: ${output}`);
  props.push(`triggers: [${source.startsWith('BuildSource.binary(') ? binaryTriggers(ctx) : triggers(ctx, strategy.baseIsTag).join(', ')}]`);
  const runPolicy = ctx.take<string>('spec.runPolicy');
  if (runPolicy !== undefined && runPolicy !== 'Serial') props.push(`runPolicy: ${ctx.str(runPolicy)}`);
  for (const limit of ['successfulBuildsHistoryLimit', 'failedBuildsHistoryLimit']) {
    const value = ctx.take(`spec.${limit}`);
    if (value !== undefined && value !== 5) props.push(`${limit}: ${ctx.num(value)}`);
  }
  const resources = ctx.peek<{ limits?: Record<string, unknown>; requests?: Record<string, unknown> }>('spec.resources');
  if (resources && (Object.keys(resources.limits ?? {}).length > 0 || Object.keys(resources.requests ?? {}).length > 0)) {
    const expr = resourcesExpr(resources, unit.imports);
    if (expr) {
      ctx.take('spec.resources');
      props.push(`resources: ${expr}`);
    } else {
      ctx.todo('spec.resources', 'only cpu and memory in cores, millicores or binary units (Mi, Gi) convert: set resources with Cpu and Size by hand');
    }
  }
  const nodeSelector = ctx.take<Record<string, string>>('spec.nodeSelector');
  if (nodeSelector && Object.keys(nodeSelector).length > 0) props.push(`nodeSelector: ${ctx.lit(nodeSelector)}`);
  const deadline = ctx.take('spec.completionDeadlineSeconds');
  if (deadline !== undefined) {
    unit.imports.add(CDK8S, 'Duration');
    props.push(`timeout: Duration.seconds(${ctx.num(deadline)})`);
  }
  const serviceAccount = ctx.peek<string>('spec.serviceAccount');
  if (serviceAccount === 'builder') {
    ctx.todo('spec.serviceAccount', "OpenShift's builder ServiceAccount has no equivalent: builds run as imagestreams-builder, which has no rights on the API, and push with the registry's Secret");
  } else if (serviceAccount !== undefined) {
    ctx.take('spec.serviceAccount');
    props.push(`serviceAccount: ${ctx.str(serviceAccount)}`);
  }
  const hook = postCommitExpr(ctx);
  if (hook) props.push(`postCommit: ${hook}`);
  const variable = unit.vars.take(identifier(name, 'Build'));
  const lines = [`const ${variable} = new BuildConfig(${unit.scope}, ${ctx.str(id)}, {\n${props.map((p) => `  ${p},`).join('\n')}\n});`];
  lines.push(...metadataStatements(ctx, `${variable}.resource`, meta));
  unit.add(...lines);
}

/** The whole BuildConfig is not converted, because of `field`. */
function skip(ctx: ObjectCtx, field: string, why: string): void {
  ctx.todo('(object)', `${field}: ${why}`);
  for (const key of Object.keys(ctx.object)) ctx.take(key);
}

function sourceExpr(ctx: ObjectCtx): string | undefined {
  ctx.take('spec.source.type');
  const git = ctx.peek<{ uri?: string; ref?: string; httpProxy?: string; httpsProxy?: string; noProxy?: string }>('spec.source.git');
  const dockerfile = ctx.peek<string>('spec.source.dockerfile');
  const inputs = buildInputOptions(ctx);
  const binary = ctx.peek('spec.source.binary');
  if (binary !== undefined && binary !== null && !git?.uri) return binarySourceExpr(ctx, inputs);
  for (const proxy of ['httpProxy', 'httpsProxy', 'noProxy'] as const) {
    if (git?.[proxy]) ctx.todo(`spec.source.git.${proxy}`, 'a proxy for the clone has no equivalent: the clone step uses no proxy');
  }
  const images = imagesExpr(ctx);
  if (!git?.uri) {
    if (dockerfile !== undefined) {
      ctx.take('spec.source.dockerfile');
      return `BuildSource.dockerfile(${ctx.str(dockerfile)}${images ? `, { images: ${images} }` : ''})`;
    }
    if (images) {
      const contextDir = ctx.take<string>('spec.source.contextDir');
      const dir = contextDir && contextDir !== '.' && contextDir !== '/' ? `, contextDir: ${ctx.optStr(contextDir.replace(/^\/+|\/+$/g, ''))}` : '';
      return `BuildSource.image({ images: ${images}${dir} })`;
    }
    skip(ctx, 'spec.source', 'a build without a git repository, an inline Dockerfile or image sources has nothing to build here: the BuildConfig is not converted');
    return undefined;
  }
  if (dockerfile !== undefined) {
    ctx.todo('spec.source.dockerfile', "an inline Dockerfile that replaces the repository's has no equivalent: commit it to the repository (and set dockerfilePath)");
  }
  const options = [`uri: ${ctx.str(ctx.take<string>('spec.source.git.uri')!)}`];
  const ref = ctx.take<string>('spec.source.git.ref');
  if (ref) options.push(`ref: ${ctx.optStr(ref)}`);
  const contextDir = ctx.take<string>('spec.source.contextDir');
  if (contextDir && contextDir !== '.' && contextDir !== '/') options.push(`contextDir: ${ctx.optStr(contextDir.replace(/^\/+|\/+$/g, ''))}`);
  const secret = ctx.take<string>('spec.source.sourceSecret.name');
  if (secret) options.push(`sourceSecret: ${ctx.optStr(secret)}`);
  if (images) options.push(`images: ${images}`);
  options.push(...inputs);
  return `BuildSource.git({ ${options.join(', ')} })`;
}

/** OpenShift's binary source → BuildSource.binary(): the sources `imagestreams start-build --from-dir/--from-file/--from-archive` uploads. */
function binarySourceExpr(ctx: ObjectCtx, inputs: readonly string[]): string {
  const options: string[] = [];
  const asFile = ctx.take<string>('spec.source.binary.asFile');
  ctx.take('spec.source.binary');
  if (asFile) options.push(`asFile: ${ctx.optStr(asFile)}`);
  const contextDir = ctx.take<string>('spec.source.contextDir');
  if (contextDir && contextDir !== '.' && contextDir !== '/') options.push(`contextDir: ${ctx.optStr(contextDir.replace(/^\/+|\/+$/g, ''))}`);
  const images = imagesExpr(ctx);
  if (images) options.push(`images: ${images}`);
  options.push(...inputs);
  return `BuildSource.binary(${options.length > 0 ? `{ ${options.join(', ')} }` : ''})`;
}

/** A binary build starts from start-build alone (the construct takes no triggers): OpenShift's triggers are reported. */
function binaryTriggers(ctx: ObjectCtx): string {
  const list = ctx.peek<unknown[]>('spec.triggers') ?? [];
  if (list.length > 0) ctx.todo('spec.triggers', 'a binary build starts from `imagestreams start-build --from-dir/--from-file/--from-archive` only: its triggers have nothing to build from');
  return '';
}

/**
 * OpenShift's source.secrets and source.configMaps → the `secrets` and `configMaps` options. OpenShift
 * copies their files into the build context; here RUN instructions see them read-only in
 * `/<destinationDir>` and no layer holds them (a note says so, for the Dockerfile's paths).
 */
function buildInputOptions(ctx: ObjectCtx): string[] {
  const out: string[] = [];
  for (const [field, key] of [['secrets', 'secret'], ['configMaps', 'configMap']] as const) {
    const list = ctx.peek<{ secret?: { name?: string }; configMap?: { name?: string }; destinationDir?: string }[]>(`spec.source.${field}`) ?? [];
    const items: string[] = [];
    list.forEach((item, i) => {
      const at = `spec.source.${field}[${i}]`;
      const name = item[key]?.name;
      const dir = (item.destinationDir ?? '').replace(/^\/+|\/+$/g, '');
      if (!name || dir === '' || dir === '.') {
        ctx.todo(at, `a ${key === 'secret' ? 'Secret' : 'ConfigMap'} without a destinationDir was copied into the context's root: give it a directory, which RUN instructions see as /<destinationDir>`);
        return;
      }
      ctx.take(at);
      items.push(`{ ${key}: ${ctx.str(name)}, destinationDir: ${ctx.str(dir)} }`);
    });
    if (items.length > 0) out.push(`${field}: [${items.join(', ')}]`);
  }
  if (out.length > 0) {
    ctx.note("source secrets and configMaps: OpenShift copied their files into the build context; here RUN instructions see them read-only in /<destinationDir> and no layer keeps them: point the Dockerfile's paths there");
  }
  return out;
}

/** OpenShift's postCommit (script, or command and args) → the postCommit prop, as written. */
function postCommitExpr(ctx: ObjectCtx): string | undefined {
  const hook = ctx.peek<{ script?: string; command?: string[]; args?: string[] }>('spec.postCommit');
  if (!hook || Object.keys(hook).length === 0) return undefined;
  if (hook.script === undefined && !hook.command?.length) {
    ctx.todo('spec.postCommit', "args alone ran the image's entrypoint with them: name the command (postCommit.command), as the hook here runs what it is given");
    return undefined;
  }
  ctx.take('spec.postCommit');
  const parts = [
    ...(hook.script !== undefined ? [`script: ${ctx.str(hook.script)}`] : []),
    ...(hook.command?.length ? [`command: [${hook.command.map((c) => ctx.str(c)).join(', ')}]`] : []),
    ...(hook.args?.length ? [`args: [${hook.args.map((a) => ctx.str(a)).join(', ')}]`] : []),
  ];
  return `{ ${parts.join(', ')} }`;
}

type ImageSource = { from?: ImageRef; paths?: { sourcePath?: string; destinationDir?: string }[]; pullSecret?: { name?: string }; as?: unknown };

/** OpenShift's source.images → the `images` option: `[{ from, paths, pullSecret }]`; an ImageStreamImage or `as` is reported. */
function imagesExpr(ctx: ObjectCtx): string | undefined {
  const list = ctx.peek<ImageSource[]>('spec.source.images') ?? [];
  const items: string[] = [];
  list.forEach((image, i) => {
    const at = `spec.source.images[${i}]`;
    if (image.as !== undefined) ctx.todo(`${at}.as`, 'naming a stage after an image source has no equivalent: give the stage its image with BuildStrategy.dockerfile({ stages })');
    const from = image.from;
    if (!from?.name || (from.kind !== 'ImageStreamTag' && from.kind !== 'DockerImage')) {
      ctx.todo(`${at}.from`, `${from?.kind ?? 'an image source without from'} ${plain(from?.name ?? '')} has no equivalent: copy from a stream tag or an image reference (pinned by digest if need be)`);
      return;
    }
    ctx.take(`${at}.from`);
    const fromExpr = from.kind === 'ImageStreamTag'
      ? streamTagExpr(ctx, { ...splitStreamTag(from.name), namespace: from.namespace }, `${at}.from`)
      : ctx.str(withTag(ctx, from.name, `${at}.from.name`));
    const paths = ctx.take<{ sourcePath?: string; destinationDir?: string }[]>(`${at}.paths`) ?? [];
    const pathsExpr = paths.map((p) => `{ sourcePath: ${ctx.str(p.sourcePath ?? '')}, destinationDir: ${ctx.str(p.destinationDir ?? '.')} }`).join(', ');
    const secret = ctx.take<string>(`${at}.pullSecret.name`);
    items.push(`{ from: ${fromExpr}, paths: [${pathsExpr}]${secret ? `, pullSecret: ${ctx.optStr(secret)}` : ''} }`);
  });
  return items.length > 0 ? `[${items.join(', ')}]` : undefined;
}

/** A base image: a stream tag expression or an image string; ImageStreamImage is reported. */
function baseExpr(ctx: ObjectCtx, from: ImageRef | undefined, field: string): { expr: string; isTag: boolean } | undefined {
  if (!from?.name) return undefined;
  if (from.kind === 'ImageStreamTag') return { expr: streamTagExpr(ctx, { ...splitStreamTag(from.name), namespace: from.namespace }, field), isTag: true };
  if (from.kind === 'DockerImage') return { expr: ctx.str(withTag(ctx, from.name, field)), isTag: false };
  ctx.todo(field, `${from.kind} ${plain(from.name)} has no equivalent: build from a stream tag or an image reference (pinned by digest if need be)`);
  return undefined;
}

function strategyExpr(ctx: ObjectCtx): { expr: string; baseIsTag: boolean } {
  const docker = ctx.peek('spec.strategy.dockerStrategy') !== undefined || ctx.peek('spec.strategy.type') === 'Docker';
  const at = docker ? 'spec.strategy.dockerStrategy' : 'spec.strategy.sourceStrategy';
  const options: string[] = [];
  const base = baseExpr(ctx, ctx.take<ImageRef>(`${at}.from`), `${at}.from`);
  if (base) options.push(`${docker ? 'from' : 'builderImage'}: ${base.expr}`);
  const env = nameValues(ctx, `${at}.env`, 'env');
  if (env) options.push(`env: ${env}`);
  const pullSecret = ctx.take<string>(`${at}.pullSecret.name`);
  if (pullSecret) options.push(`pullSecret: ${ctx.optStr(pullSecret)}`);
  const forcePull = ctx.peek(`${at}.forcePull`);
  if (forcePull === true) ctx.todo(`${at}.forcePull`, 'builds pull their base by digest every time (the tag\'s current image), so there is no stale base to force past');
  else ctx.take(`${at}.forcePull`);
  if (docker) {
    const path = ctx.take<string>(`${at}.dockerfilePath`);
    if (path && path !== 'Dockerfile') options.push(`dockerfilePath: ${ctx.optStr(path.replace(/^\.\//, ''))}`);
    const args = nameValues(ctx, `${at}.buildArgs`, 'buildArgs');
    if (args) options.push(`buildArgs: ${args}`);
    if (ctx.take(`${at}.noCache`) === true) options.push('noCache: true');
    if (ctx.peek(`${at}.imageOptimizationPolicy`) !== undefined) ctx.todo(`${at}.imageOptimizationPolicy`, 'buildah keeps the Dockerfile\'s layers; there is no squashing policy');
    if (nonEmpty(ctx.peek(`${at}.volumes`))) ctx.todo(`${at}.volumes`, 'build volumes have no equivalent: the build sees only its sources');
  } else {
    if (ctx.peek(`${at}.incremental`) === true) ctx.todo(`${at}.incremental`, 'incremental S2I builds (save-artifacts) have no equivalent: each build starts clean');
    else ctx.take(`${at}.incremental`);
    if (ctx.peek(`${at}.scripts`)) ctx.todo(`${at}.scripts`, 'a scripts URL has no equivalent: put the scripts in .s2i/bin of the repository, which assemble finds');
    if (nonEmpty(ctx.peek(`${at}.volumes`))) ctx.todo(`${at}.volumes`, 'build volumes have no equivalent: the build sees only its sources');
  }
  const call = docker ? 'BuildStrategy.dockerfile' : 'BuildStrategy.sourceToImage';
  return { expr: `${call}(${options.length ? `{ ${options.join(', ')} }` : ''})`, baseIsTag: base?.isTag ?? false };
}

function nonEmpty(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

/** `[{ name, value }]` → `{ NAME: 'value' }`; entries with valueFrom are reported. */
function nameValues(ctx: ObjectCtx, path: string, prop: string): string | undefined {
  const list = ctx.peek<NameValue[]>(path) ?? [];
  const entries: [string, string][] = [];
  list.forEach((item, i) => {
    if (item.valueFrom !== undefined) {
      ctx.todo(`${path}[${i}]`, `${prop} ${item.name} comes from ${Object.keys(item.valueFrom as object).join(', ')}, which builds can't read: only literal values convert`);
      return;
    }
    ctx.take(`${path}[${i}]`);
    entries.push([item.name, item.value ?? '']);
  });
  return entries.length ? ctx.lit(Object.fromEntries(entries)) : undefined;
}

function outputExpr(ctx: ObjectCtx): string | undefined {
  const to = ctx.take<ImageRef>('spec.output.to');
  const options: string[] = [];
  const pushSecret = ctx.take<string>('spec.output.pushSecret.name');
  if (pushSecret) options.push(`pushSecret: ${ctx.optStr(pushSecret)}`);
  const labels = ctx.take<NameValue[]>('spec.output.imageLabels') ?? [];
  if (labels.length) options.push(`imageLabels: ${ctx.lit(Object.fromEntries(labels.map((l) => [l.name, l.value ?? ''])))}`);
  const tail = options.length ? `, { ${options.join(', ')} }` : '';
  if (to?.kind === 'ImageStreamTag' && to.name) {
    const ref = splitStreamTag(to.name);
    const own = ctx.unit.streams.get(`${ctx.unit.namespaceKey(to.namespace ?? ctx.object.metadata?.namespace)}/${ref.stream}`);
    if (!own) {
      skip(ctx, 'spec.output.to', `builds can only push to a stream of the app, and ${plain(to.name)} is in another namespace: convert both together`);
      return undefined;
    }
    own.outputTags.add(ref.tag);
    ctx.unit.imports.registry = true;
    return `BuildOutput.imageStreamTag(${own.variable}.tag(${ctx.str(ref.tag)})${tail})`;
  }
  if (to?.kind === 'DockerImage' && to.name) return `BuildOutput.image(${ctx.str(withTag(ctx, to.name, 'spec.output.to.name'))}${tail})`;
  skip(ctx, 'spec.output', 'a build that pushes nowhere has no equivalent (every build here pushes its image): the BuildConfig is not converted');
  return undefined;
}

function triggers(ctx: ObjectCtx, baseIsTag: boolean): string[] {
  const list = ctx.peek<Record<string, unknown>[]>('spec.triggers') ?? [];
  const out: string[] = [];
  const hasRef = ctx.peek('spec.source.git.ref') !== undefined;
  list.forEach((trigger, i) => {
    const at = `spec.triggers[${i}]`;
    const type = ctx.take<string>(`${at}.type`);
    if (type === 'ConfigChange') {
      out.push('BuildTrigger.configChange()');
      return;
    }
    if (type === 'ImageChange') {
      ctx.take(`${at}.imageChange.lastTriggeredImageID`);
      const from = ctx.take<ImageRef>(`${at}.imageChange.from`);
      if (ctx.peek(`${at}.imageChange.paused`) === true) ctx.todo(`${at}.imageChange.paused`, 'a paused build trigger has no equivalent: the trigger is kept active; remove it to stop image-change builds');
      if (from?.name) {
        out.push(`BuildTrigger.imageChange({ from: ${streamTagExpr(ctx, { ...splitStreamTag(from.name), namespace: from.namespace }, `${at}.imageChange.from`)} })`);
      } else if (baseIsTag) {
        out.push('BuildTrigger.imageChange()');
      } else {
        ctx.todo(at, "an image-change trigger on the strategy's base needs a stream tag as the base, and this base is not one: the trigger is dropped");
      }
      return;
    }
    const field = type ? WEBHOOKS[type] : undefined;
    if (!type || !field) {
      ctx.todo(at, `${type ?? 'a trigger without type'} has no equivalent (triggers here: ImageChange, ConfigChange, GitHub, GitLab, Bitbucket, Generic)`);
      return;
    }
    const secretName = ctx.take<string>(`${at}.${field}.secretReference.name`);
    if (ctx.peek(`${at}.${field}.secret`) !== undefined) {
      ctx.todo(`${at}.${field}.secret`, 'an inline webhook secret has no equivalent: put it in a Secret under the key WebHookSecretKey and name that Secret (secretReference)');
    }
    if (ctx.peek(`${at}.${field}.allowEnv`) !== undefined) ctx.todo(`${at}.${field}.allowEnv`, 'generic webhooks here build the pushed commit and take no environment from the payload');
    if (!secretName) {
      ctx.todo(at, `the ${type} webhook names no Secret (secretReference), so it is not converted`);
      return;
    }
    if (!hasRef) {
      ctx.todo(at, `the ${type} webhook builds pushes to one branch, and the source names none: set spec.source.git.ref and add BuildTrigger.webhook({ type: '${type}', secret: '${plain(secretName)}' })`);
      return;
    }
    out.push(`BuildTrigger.webhook({ type: '${type}', secret: ${ctx.str(secretName)} })`);
  });
  return out;
}
