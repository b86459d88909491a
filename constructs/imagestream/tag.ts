import type { IConstruct } from 'constructs';
import { accessDeniedMessage, type StreamAccess } from '../../lib/api/grants';
import { isTagName, TAG_NAME_TEXT } from '../../lib/api/names';
import { deployTo, type DeployToOptions, type TriggerableWorkload } from './deploy-to';
import { formatStreamTag, parseStreamTag } from '../../lib/api/stream-tag';
import { shown } from '../_input';
import { checkNamespace } from '../_names';

const TAG_BRAND = Symbol.for('cdk8s-imagestreams.ImageStreamTag');

/** What an ImageStreamTag handle needs from its stream (implemented by ImageStream). */
export interface ITagOwner extends IConstruct {
  readonly streamName: string;
  readonly namespace: string;
  hasTag(tag: string): boolean;
  /** The pull spec of a tag as known at synth time. */
  pullSpecOf(tag: string): string | undefined;
  /** Whether objects in `namespace` may use the stream with `access` (its own namespace always may). */
  grantsAccess(namespace: string, access: StreamAccess): boolean;
}

/**
 * A handle on one tag of a stream — `stream.tag('latest')` — that builds and triggers take.
 * `ImageStreamTag.external()` names a tag that no construct of this app defines.
 */
export class ImageStreamTag {
  /** A tag of a stream managed outside this app: `namespace/stream:tag` or `stream:tag`. */
  static external(reference: string, defaultNamespace?: string): ImageStreamTag {
    if (typeof reference !== 'string') throw new Error(`ImageStreamTag.external(): 'reference' (${shown(reference)}) must be a string such as 'namespace/stream:tag'`);
    if (defaultNamespace !== undefined) checkNamespace('ImageStreamTag.external():', 'defaultNamespace', defaultNamespace);
    let ref;
    try {
      ref = parseStreamTag(reference);
    } catch (error) {
      throw new Error(`ImageStreamTag.external(): ${(error as Error).message}`);
    }
    const namespace = ref.namespace ?? defaultNamespace;
    if (!namespace) throw new Error(`ImageStreamTag.external('${reference}'): give the namespace, as 'namespace/${reference}'`);
    return new ImageStreamTag({ streamName: ref.stream, namespace, tag: ref.tag });
  }

  static isImageStreamTag(x: unknown): x is ImageStreamTag {
    return typeof x === 'object' && x !== null && TAG_BRAND in x;
  }

  readonly streamName: string;
  readonly namespace: string;
  readonly tag: string;
  /** The stream construct, when this app defines it. */
  readonly stream?: ITagOwner;

  /** @internal use `stream.tag(name)` or `ImageStreamTag.external(...)` */
  constructor(props: { streamName: string; namespace: string; tag: string; stream?: ITagOwner }) {
    Object.defineProperty(this, TAG_BRAND, { value: true });
    this.streamName = props.streamName;
    this.namespace = props.namespace;
    this.tag = props.tag;
    this.stream = props.stream;
  }

  /** `stream:tag`, as ImageStreamTag references are written. */
  get name(): string {
    return formatStreamTag({ stream: this.streamName, tag: this.tag });
  }

  /** Whether the tag is declared (always true for external tags, which are taken on trust). */
  get isDefined(): boolean {
    return this.stream ? this.stream.hasTag(this.tag) : true;
  }

  /**
   * Why objects in `namespace` may not use this tag with `access` (the stream, defined in this app,
   * grants it no such access), or undefined. Tags of streams managed elsewhere are checked at run time.
   */
  accessProblem(namespace: string, access: StreamAccess): string | undefined {
    if (!this.stream || this.stream.grantsAccess(namespace, access)) return undefined;
    return accessDeniedMessage({ metadata: { name: this.streamName, namespace: this.namespace } }, namespace, access);
  }

  /** The image reference this tag pulls as, where known at synth time. */
  pullSpec(): string | undefined {
    return this.stream?.pullSpecOf(this.tag);
  }

  /**
   * Makes a container of `workload` (a Deployment, StatefulSet, DaemonSet or CronJob: cdk8s-plus or a
   * plain ApiObject) follow this tag: the controller sets its image to the tag's digest now and on
   * every change. Written as the `imagestreams.dev/triggers` annotation, checked at synth time.
   * The image written in the app stays in the manifest until the controller's first sync (as in
   * OpenShift); a GitOps tool that owns the field should ignore differences in it.
   * @see https://docs.openshift.com/container-platform/latest/openshift_images/triggering-updates-on-imagestream-changes.html
   */
  deployTo(workload: TriggerableWorkload, options: DeployToOptions = {}): void {
    deployTo(this, workload, options);
  }

  toString(): string {
    return formatStreamTag({ namespace: this.namespace, stream: this.streamName, tag: this.tag });
  }
}

/** Throws unless `tag` is a valid tag name (the distribution spec's tag grammar); `at` says where. */
export function checkTagName(tag: string, prop: string, at?: string): string {
  const where = at ? `${at} ` : '';
  if (typeof tag !== 'string') throw new Error(`${where}'${prop}' (${shown(tag)}) must be a string, a tag name such as 'latest'`);
  if (!isTagName(tag)) throw new Error(`${where}'${prop}' (${JSON.stringify(tag)}) is not a valid tag: ${TAG_NAME_TEXT}`);
  return tag;
}
