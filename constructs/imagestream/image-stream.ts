import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { System } from '../system/system';
import {
  DEFAULT_HISTORY_LIMIT, DEFAULT_IMPORT_INTERVAL_SECONDS, MIN_IMPORT_INTERVAL_SECONDS,
  type ImageStreamSpec, type ImportMode, type TagSpec,
} from '../../lib/api/imagestream';
import { formatReference, parseReference } from '../../lib/api/image-reference';
import { ImportCronJob } from './import-cron-job';
import { aliasProblems } from './alias-validation';
import { enableLocalLookup } from './local-lookup';
import { checkTagName, ImageStreamTag, type ITagOwner } from './tag';
import type { TagPolicy } from './tag-policy';
import { GROUP_VERSION, IMAGESTREAM_KIND } from '../../lib/api/group';
import { mayAccess, type StreamAccess, type StreamGrant } from '../../lib/api/grants';
import { historyMayOverflow, MAX_HISTORY_ITEM_BYTES, MAX_STREAM_BYTES } from '../../lib/api/object-size';
import { isDnsLabel, isDnsSubdomain, NAMESPACE_NAME_TEXT } from '../../lib/api/names';
import { isPlatform } from '../../lib/api/platform';
import { mirrorProblem, mirrorsOnImport } from '../../lib/api/mirror';
import { checkMadeBy, checkOptions, checkString, keysOf, optionalBoolean, optionalDuration, optionalList, optionalNumber, optionalString, shown, wrongValue, type At } from '../_input';
import { checkObjectName, namespaceOf } from '../_names';
import { TagPolicy as TagPolicyClass } from './tag-policy';

const STREAM_BRAND = Symbol.for('cdk8s-imagestreams.ImageStream');

export interface ImageStreamProps {
  /**
   * The stream's name, used in `stream:tag` references, so it is never hashed.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The stream's namespace.
   * @default - the chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /**
   * History items kept per tag, newest first. OpenShift keeps all of them, which pushes busy streams
   * toward etcd's object size limit.
   * @default 10
   */
  readonly historyLimit?: number;
  /**
   * kubernetes.io/dockerconfigjson Secrets (names, in the stream's namespace) the importer may use.
   * @default - anonymous pulls
   */
  readonly pullSecrets?: readonly string[];
  /**
   * OpenShift's lookupPolicy. With `{ local: true }`, workloads of the stream's namespace may name its
   * tags by short name (`image: jdk8:latest`, or `jdk8` for `jdk8:latest`): synthesis resolves each to
   * a trigger on the tag and writes the image as the tag's pull spec known then (OpenShift resolves
   * them at admission; here the compiler does, and refuses a tag the stream doesn't define).
   * @see https://docs.openshift.com/container-platform/latest/openshift_images/using-imagestreams-with-kube-resources.html
   * @default - none: workloads name images in full, or follow tags with deployTo
   */
  readonly lookupPolicy?: { readonly local: boolean };
}

export interface ImportTagOptions {
  /** The image to import: a reference by tag, or pinned by digest. Docker Hub short names are normalised. */
  readonly from: string;
  /**
   * Re-import on a schedule (a CronJob per stream).
   * @default true
   */
  readonly scheduled?: boolean;
  /**
   * How often this tag is re-imported; at least one minute.
   * @default Duration.minutes(15)
   */
  readonly interval?: Duration;
  /**
   * Plain http, or https without certificate verification (a registry on localhost).
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Legacy keeps one platform's manifest of a manifest list; PreserveOriginal keeps the list's digest.
   * @default ImportMode 'Legacy'
   */
  readonly importMode?: ImportMode;
  /**
   * The platform Legacy picks from a manifest list, `os/arch[/variant]`.
   * @default 'linux/amd64'
   */
  readonly preferredPlatform?: string;
  /**
   * Follow the tag of `from`'s repository that this policy chooses among the registry's tags (its
   * `tags/list`, every page, with the stream's pull secrets) at each import, rather than `from`'s own
   * tag: `from` then names the repository, e.g. `'nginx'`. The choice and why it won are in the tag's
   * status (`policy`); the chosen image is verified and recorded as any import.
   * @default - follow `from`'s tag
   */
  readonly policy?: TagPolicy;
  /**
   * OpenShift's referencePolicy. `Local`: each image imported is first copied (manifest, or the whole
   * list with PreserveOriginal, and its layers) into this stream's repository of the System's registry,
   * and verified there by digest, before it enters the tag's history; workloads and builds that follow
   * the tag pull that copy (`repository@sha256:…`), so they keep working when the source is slow,
   * rate-limited or gone. The importer pushes with the registry's push Secret, which the stream lists
   * among its pull secrets. `Source`: consumers pull from where the image was imported.
   * @default 'Source'
   */
  readonly referencePolicy?: 'Source' | 'Local';
}

export interface PromoteTagOptions {
  /**
   * How long the source's image must have been its newest before it is promoted (a soak).
   * @default - no soak: promoted as soon as the other conditions hold
   */
  readonly soak?: Duration;
  /**
   * The workloads of the source's namespace that follow the source tag must run its image, rolled out
   * (every replica updated and available) — at least one must follow it.
   * @default false
   */
  readonly requireRollout?: boolean;
}

export interface PinTagOptions {
  /**
   * Plain http, or https without certificate verification (a registry on localhost).
   * @default false
   */
  readonly insecure?: boolean;
}

/**
 * An ImageStream: named tags that point at images by digest, with history, imported on a schedule
 * (OpenShift's image.openshift.io/v1 ImageStream, on any cluster).
 * @see https://docs.openshift.com/container-platform/latest/openshift_images/image-streams-manage.html
 */
export class ImageStream extends Construct implements ITagOwner {
  static isImageStream(x: unknown): x is ImageStream {
    return typeof x === 'object' && x !== null && STREAM_BRAND in x;
  }

  readonly streamName: string;
  readonly namespace: string;
  readonly historyLimit: number;
  /** The ImageStream custom resource. */
  readonly resource: ApiObject;
  private readonly tags = new Map<string, TagSpec>();
  private readonly outputTags = new Set<string>();
  private readonly grants = new Map<string, StreamAccess>();
  private readonly ownPullSecrets: readonly string[];
  /** Whether workloads of the namespace may name this stream's tags by short name (lookupPolicy local). */
  readonly localLookup: boolean;
  private importer?: ImportCronJob;

  constructor(scope: Construct, id: string, props: ImageStreamProps = {}) {
    super(scope, id);
    Object.defineProperty(this, STREAM_BRAND, { value: true });
    const at = `[${this.node.path}]`;
    checkOptions(at, 'props', props, PROPS, "{ name: 'jdk8', historyLimit: 10 }");
    this.streamName = checkStreamName(at, props.name ?? id, props.name === undefined ? 'id' : 'name');
    this.namespace = namespaceOf(this, props.namespace, 'an ImageStream');
    this.historyLimit = checkHistoryLimit(at, props.historyLimit ?? DEFAULT_HISTORY_LIMIT);
    this.ownPullSecrets = optionalList(at, 'pullSecrets', props.pullSecrets, "['docker-hub']", (name, i) => checkObjectName(at, `pullSecrets[${i}]`, name)) ?? [];
    this.localLookup = checkLookupPolicy(at, props.lookupPolicy);
    if (this.localLookup) enableLocalLookup(this);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: GROUP_VERSION,
      kind: IMAGESTREAM_KIND,
      metadata: { name: this.streamName, namespace: this.namespace },
      // Lazy, so that tags added after construction still count.
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    this.node.addValidation({ validate: () => [...aliasProblems(this), ...this.sizeProblems(), ...this.mirrorProblems()] });
  }

  /** Imports `options.from` into `tag`, on a schedule unless `scheduled: false`. */
  importTag(tag: string, options: ImportTagOptions): ImageStreamTag {
    const at = `[${this.node.path}]`;
    checkTagName(tag, 'tag', at);
    if (typeof options === 'string') {
      throw new Error(`${at} importTag('${tag}', ${JSON.stringify(options)}): the second argument is an options object: write importTag('${tag}', { from: ${JSON.stringify(options)} })`);
    }
    const call = `${at} importTag('${tag}'):`;
    checkOptions(call, 'the options', options, IMPORT_KEYS, "{ from: 'docker.io/library/nginx:1.27' }");
    if (options.from === undefined) throw new Error(`${call} 'from' is missing: name the image to import, e.g. { from: 'docker.io/library/nginx:1.27' }`);
    checkString(call, 'from', options.from, "'docker.io/library/nginx:1.27'");
    optionalDuration(call, 'interval', options.interval, 'Duration.minutes(15)');
    optionalBoolean(call, 'scheduled', options.scheduled);
    optionalBoolean(call, 'insecure', options.insecure);
    optionalString(call, 'preferredPlatform', options.preferredPlatform, "'linux/arm64'");
    if (options.importMode !== undefined && !IMPORT_MODES.includes(options.importMode)) wrongValue(call, 'importMode', options.importMode, `one of ${IMPORT_MODES.map((m) => `'${m}'`).join(', ')}`);
    if (options.policy !== undefined) checkMadeBy(call, 'policy', options.policy, TagPolicyClass.isTagPolicy, 'a TagPolicy: TagPolicy.semver(range), .alphabetical() or .numerical()');
    if (options.referencePolicy !== undefined && !REFERENCE_POLICIES.includes(options.referencePolicy)) wrongValue(call, 'referencePolicy', options.referencePolicy, `one of ${REFERENCE_POLICIES.map((m) => `'${m}'`).join(', ')}`);
    const interval = options.interval?.toSeconds() ?? DEFAULT_IMPORT_INTERVAL_SECONDS;
    if (!(interval >= MIN_IMPORT_INTERVAL_SECONDS)) {
      throw new Error(`[${this.node.path}] 'interval' of tag '${tag}' (${interval}s) is below the floor of 1 minute: use Duration.minutes(1) or more`);
    }
    if (options.preferredPlatform !== undefined && !isPlatform(options.preferredPlatform)) {
      throw new Error(`[${this.node.path}] 'preferredPlatform' of tag '${tag}' (${options.preferredPlatform}) must look like os/arch or os/arch/variant, e.g. linux/arm64`);
    }
    const scheduled = options.scheduled ?? true;
    const handle = this.addTag(tag, {
      from: { kind: 'DockerImage', name: options.policy ? this.policyRepository(tag, options.from) : this.normaliseImage(options.from, 'from') },
      ...(options.policy ? { tagPolicy: options.policy.toSpec() } : {}),
      importPolicy: {
        scheduled,
        intervalSeconds: interval,
        ...(options.insecure ? { insecure: true } : {}),
        importMode: options.importMode ?? 'Legacy',
        ...(options.preferredPlatform ? { preferredPlatform: options.preferredPlatform } : {}),
      },
      referencePolicy: { type: options.referencePolicy ?? 'Source' },
    });
    if (scheduled) this.importer ??= new ImportCronJob(this, 'Import', { stream: this, system: System.of(this) });
    // The in-cluster registry's Job makes its push Secret in the namespaces that ask, by the time the tree is validated.
    if (options.referencePolicy === 'Local') this.streamRegistry()?.pushSecretIn(this.namespace);
    return handle;
  }

  /** The scheduled importer, once a tag is scheduled. */
  get importCronJob(): ImportCronJob | undefined {
    return this.importer;
  }

  /**
   * Promotes `source`'s images into `tag` once the gate holds — soaked for `soak`, and (with
   * `requireRollout`) rolled out by the workloads following the source: the controller records the
   * verified image as the tag's newest history item, noting where it came from (staging → prod). Unlike
   * an alias, the tag keeps the image it was promoted to until the next promotion, and a spec the Git
   * repository owns never changes. A source in another namespace must grant this one Pull.
   */
  promoteTag(tag: string, source: ImageStreamTag, options: PromoteTagOptions = {}): ImageStreamTag {
    if (!ImageStreamTag.isImageStreamTag(source)) throw new Error(`[${this.node.path}] 'source' of promoted tag '${tag}' must be an ImageStreamTag: use stream.tag('name') or ImageStreamTag.external('ns/stream:tag')`);
    if (source.namespace === this.namespace && source.streamName === this.streamName && source.tag === tag) {
      throw new Error(`[${this.node.path}] tag '${tag}' can't be promoted from itself`);
    }
    const soakSeconds = options.soak?.toSeconds();
    if (soakSeconds !== undefined && (!Number.isInteger(soakSeconds) || soakSeconds < 0 || soakSeconds > 31_536_000)) {
      throw new Error(`[${this.node.path}] 'soak' of promoted tag '${tag}' (${soakSeconds}s) must be whole seconds from 0 to 365 days`);
    }
    if (source.stream && source.namespace !== this.namespace) {
      const owner = source.stream;
      this.node.addValidation({ validate: () => (owner.grantsAccess(this.namespace, 'Pull') ? [] : [`promoteTag('${tag}', ${source.namespace}/${source.name}): namespace '${this.namespace}' may not pull from ImageStream '${source.namespace}/${source.streamName}': add stream.allowPull('${this.namespace}') to it`]) });
    }
    return this.addTag(tag, {
      promotion: {
        from: { name: source.name, ...(source.namespace !== this.namespace ? { namespace: source.namespace } : {}) },
        ...(soakSeconds ? { soakSeconds } : {}),
        ...(options.requireRollout ? { requireRollout: true } : {}),
      },
    });
  }

  /** Makes `tag` follow `target` (another tag, here or in another stream): an alias. */
  aliasTag(tag: string, target: ImageStreamTag): ImageStreamTag {
    if (!ImageStreamTag.isImageStreamTag(target)) throw new Error(`[${this.node.path}] 'target' of alias '${tag}' must be an ImageStreamTag: use stream.tag('name') or ImageStreamTag.external('ns/stream:tag')`);
    return this.addTag(tag, {
      from: { kind: 'ImageStreamTag', name: target.name, ...(target.namespace !== this.namespace ? { namespace: target.namespace } : {}) },
      referencePolicy: { type: 'Source' },
    });
  }

  /**
   * Points `tag` at one image pinned by digest: imported (fetched and verified) as soon as the stream
   * is applied, never moved by imports.
   */
  pinTag(tag: string, image: string, options: PinTagOptions = {}): ImageStreamTag {
    const at = `[${this.node.path}]`;
    checkTagName(tag, 'tag', at);
    const call = `${at} pinTag('${tag}'):`;
    checkString(call, 'image', image, "'docker.io/library/nginx@sha256:…'");
    checkOptions(call, 'the options', options, PIN_KEYS, '{ insecure: true }');
    optionalBoolean(call, 'insecure', options.insecure);
    const reference = this.normaliseImage(image, 'image');
    if (!reference.includes('@')) throw new Error(`[${this.node.path}] 'image' of pinned tag '${tag}' (${image}) has no digest: write it as repository@sha256:…, or use importTag() to follow a tag`);
    const importPolicy = { scheduled: false, ...(options.insecure ? { insecure: true } : {}) };
    return this.addTag(tag, { from: { kind: 'DockerImage', name: reference }, importPolicy, referencePolicy: { type: 'Source' } });
  }

  /** Points `tag` at `image` without ever importing it: consumers pull the reference as written. */
  referenceTag(tag: string, image: string): ImageStreamTag {
    checkTagName(tag, 'tag', `[${this.node.path}]`);
    checkString(`[${this.node.path}] referenceTag('${tag}'):`, 'image', image, "'docker.io/library/nginx:1.27'");
    return this.addTag(tag, { from: { kind: 'DockerImage', name: this.normaliseImage(image, 'image') }, reference: true });
  }

  /** A handle on a tag of this stream, for builds and triggers; it must be defined by synth time. */
  tag(tag: string): ImageStreamTag {
    return new ImageStreamTag({ streamName: this.streamName, namespace: this.namespace, tag: checkTagName(tag, 'tag', `[${this.node.path}]`), stream: this });
  }

  /** Declares `tag` as one that builds push to (it has no `from`). Called by BuildConfig outputs. */
  declareOutputTag(tag: string): ImageStreamTag {
    checkTagName(tag, 'tag', `[${this.node.path}]`);
    if (this.tags.has(tag)) throw new Error(`[${this.node.path}] tag '${tag}' is already defined by the stream; a build cannot also push to it`);
    this.outputTags.add(tag);
    return this.tag(tag);
  }

  /**
   * Lets objects in `namespace` read this stream's tags: build FROM them, follow them with
   * triggers and aliases (OpenShift: `system:image-puller` in this namespace).
   */
  allowPull(namespace: string): this {
    return this.grant(namespace, 'Pull');
  }

  /** Lets BuildConfigs in `namespace` record their builds into this stream, and read it (OpenShift: `system:image-pusher`). */
  allowPush(namespace: string): this {
    return this.grant(namespace, 'Push');
  }

  grantsAccess(namespace: string, access: StreamAccess): boolean {
    return mayAccess({ metadata: { name: this.streamName, namespace: this.namespace }, spec: { grants: this.grantList() } }, namespace, access);
  }

  private grant(namespace: string, access: StreamAccess): this {
    if (typeof namespace !== 'string' || !isDnsLabel(namespace)) throw new Error(`[${this.node.path}] allow${access}(${typeof namespace === 'string' ? `'${namespace}'` : shown(namespace)}): not a namespace name: ${NAMESPACE_NAME_TEXT}`);
    if (namespace !== this.namespace && this.grants.get(namespace) !== 'Push') this.grants.set(namespace, access);
    return this;
  }

  private grantList(): StreamGrant[] {
    return [...this.grants].sort(([a], [b]) => (a < b ? -1 : 1)).map(([namespace, access]) => ({ namespace, access }));
  }

  /**
   * The Secrets the importer reads (the CronJob's and the controller's Roles allow exactly these): the
   * `pullSecrets` prop, and with a Local tag the registry's push Secret, which its copies push with.
   */
  get pullSecretNames(): readonly string[] {
    const pushSecret = this.mirrorSettings().pushSecret;
    return pushSecret && !this.ownPullSecrets.includes(pushSecret) ? [...this.ownPullSecrets, pushSecret] : this.ownPullSecrets;
  }

  hasTag(tag: string): boolean {
    return this.tags.has(tag) || this.outputTags.has(tag);
  }

  /** The spec of a tag, or undefined. */
  tagSpec(tag: string): TagSpec | undefined {
    return this.tags.get(tag);
  }

  /** Every declared tag spec, in declaration order. */
  get tagSpecs(): readonly TagSpec[] {
    return [...this.tags.values()];
  }

  pullSpecOf(tag: string): string | undefined {
    const spec = this.tags.get(tag);
    if (spec?.from?.kind === 'DockerImage') return spec.from.name;
    if (spec?.from?.kind === 'ImageStreamTag') return undefined; // follows its target at run time
    // A build's output: where nodes pull it from when a registry is behind streams.
    const pull = this.outputTags.has(tag) ? this.registryRepositories().publicImageRepository : undefined;
    return pull ? `${pull}:${tag}` : undefined;
  }

  private addTag(tag: string, spec: Omit<TagSpec, 'name'>): ImageStreamTag {
    checkTagName(tag, 'tag', `[${this.node.path}]`);
    if (this.hasTag(tag)) throw new Error(`[${this.node.path}] tag '${tag}' is defined twice: give each tag of a stream its own name`);
    this.tags.set(tag, { name: tag, ...spec });
    return this.tag(tag);
  }

  /** The repository a policy tag lists: `from` without a tag (one written is ignored, so refused); never a digest. */
  private policyRepository(tag: string, from: string): string {
    const ref = parseReference(this.normaliseImage(from, 'from'));
    if (ref.digest !== undefined || /:[^/]*$/.test(from)) {
      throw new Error(`[${this.node.path}] 'from' of tag '${tag}' (${from}) names a ${ref.digest ? 'digest' : 'tag'}, but a tag with a policy follows the tag its policy chooses: name the repository alone, e.g. '${formatReference({ registry: ref.registry, repository: ref.repository })}'`);
    }
    return formatReference({ registry: ref.registry, repository: ref.repository });
  }

  private normaliseImage(image: string, prop: string): string {
    try {
      return formatReference(parseReference(image));
    } catch (e) {
      throw new Error(`[${this.node.path}] '${prop}' (${image}) is not a valid image reference: ${(e as Error).message.replace(/^invalid image reference "[^"]*": /, '')}`);
    }
  }

  private renderSpec(): ImageStreamSpec {
    const pullSecrets = this.pullSecretNames;
    return {
      ...this.registryRepositories(),
      ...(this.mirrorSettings().insecure ? { imageRepositoryInsecure: true } : {}),
      historyLimit: this.historyLimit,
      ...(pullSecrets.length ? { pullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
      ...(this.grants.size ? { grants: this.grantList() } : {}),
      ...(this.localLookup ? { lookupPolicy: { local: true } } : {}),
      tags: [...this.tags.values(), ...[...this.outputTags].map((name) => ({ name }))],
    };
  }

  /** A history that could outgrow what etcd stores would leave the stream's status unwritable. */
  private sizeProblems(): string[] {
    const tags = this.tags.size + this.outputTags.size;
    if (!historyMayOverflow(tags, this.historyLimit)) return [];
    const most = Math.floor((MAX_STREAM_BYTES * 0.8) / MAX_HISTORY_ITEM_BYTES);
    return [`'historyLimit' (${this.historyLimit}) × ${tags} tags can grow this stream past 1 MiB (etcd refuses objects over 1.5 MiB, and its status could not be written again): keep historyLimit × tags at most ${most}, e.g. historyLimit: ${Math.max(1, Math.floor(most / tags))}`];
  }

  /**
   * What the importer needs to copy the images of Local tags into the stream's registry: whether it
   * is plain http, and the Secret it pushes with (listed among the stream's pull secrets, which the
   * importer reads). Nothing for a stream without such tags, so other streams' manifests don't change.
   */
  private mirrorSettings(): { insecure?: boolean; pushSecret?: string } {
    if (![...this.tags.values()].some(mirrorsOnImport)) return {};
    const registry = this.streamRegistry();
    if (!registry) return {};
    return { insecure: registry.repositoryFor(this.namespace, this.streamName).insecure, pushSecret: registry.pushSecretIn(this.namespace) };
  }

  /** A Local tag needs a registry behind streams to copy into. */
  private mirrorProblems(): string[] {
    const spec = { imageRepository: this.registryRepositories().imageRepository };
    return [...this.tags.values()].flatMap((tag) => {
      const problem = mirrorProblem(spec, tag);
      return problem ? [`importTag('${tag.name}'): 'referencePolicy' ('Local') copies each image into the stream's registry, and there is none: set one on the System (new System(app, 'imagestreams', { registry: StreamRegistry.inCluster() })), or use referencePolicy 'Source' (${problem})`] : [];
    });
  }

  private streamRegistry() {
    const systems = System.allOf(this);
    return systems.length === 1 ? systems[0].registry : undefined;
  }

  /** With a registry behind streams, every stream has a repository there, as in OpenShift. */
  private registryRepositories(): Pick<ImageStreamSpec, 'imageRepository' | 'publicImageRepository'> {
    const systems = System.allOf(this);
    const registry = systems.length === 1 ? systems[0].registry : undefined;
    if (!registry) return {};
    const repository = registry.repositoryFor(this.namespace, this.streamName);
    return { imageRepository: repository.push, publicImageRepository: repository.pull };
  }
}

const PROPS = keysOf<ImageStreamProps>({ name: true, namespace: true, historyLimit: true, pullSecrets: true, lookupPolicy: true });
const IMPORT_KEYS = keysOf<ImportTagOptions>({ from: true, scheduled: true, interval: true, insecure: true, importMode: true, preferredPlatform: true, policy: true, referencePolicy: true });
const PIN_KEYS = keysOf<PinTagOptions>({ insecure: true });
const IMPORT_MODES: readonly ImportMode[] = ['Legacy', 'PreserveOriginal'];
const REFERENCE_POLICIES: readonly string[] = ['Source', 'Local'];

function checkStreamName(at: At, name: string, prop: string): string {
  checkString(at, prop, name, "'jdk8'");
  if (!isDnsSubdomain(name)) {
    throw new Error(`${at} '${prop}' (${name}) is not a valid ImageStream name: use lower-case letters, digits, '-' and '.' (a DNS-1123 subdomain)${prop === 'id' ? ', or set the \'name\' prop' : ''}`);
  }
  return name;
}

function checkHistoryLimit(at: At, limit: number): number {
  optionalNumber(at, 'historyLimit', limit, '10');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new Error(`${at} 'historyLimit' (${limit}) must be a whole number from 1 to 1000`);
  return limit;
}

function checkLookupPolicy(at: At, policy: ImageStreamProps['lookupPolicy']): boolean {
  if (policy === undefined) return false;
  checkOptions(at, "'lookupPolicy'", policy, ['local'], '{ local: true }');
  return optionalBoolean(at, 'lookupPolicy.local', policy.local) ?? false;
}
