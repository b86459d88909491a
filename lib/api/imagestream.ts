/**
 * The ImageStream custom resource, shaped after OpenShift's image.openshift.io/v1 ImageStream so
 * that manifests port over. Plain data types shared by the constructs (which write specs) and the
 * runtime (which reads specs and writes status).
 */
import type { StreamGrant } from './grants';
import type { TagChoice, TagPolicySpec } from './tag-policy';
import type { IMAGESTREAM_KIND } from './group';

/** OpenShift's default is unbounded history; ours is bounded so streams stay far below etcd's object size limit. */
export const DEFAULT_HISTORY_LIMIT = 10;
/** Per-tag import interval bounds, in seconds. */
export const MIN_IMPORT_INTERVAL_SECONDS = 60;
export const DEFAULT_IMPORT_INTERVAL_SECONDS = 15 * 60;

export type ImportMode = 'Legacy' | 'PreserveOriginal';
export type ReferencePolicyType = 'Source' | 'Local';

export interface TagReference {
  /**
   * DockerImage: an image reference (by tag or digest). ImageStreamTag: `stream:tag`, an alias.
   * ImageStreamImage: `stream@sha256:…`, that exact image of the stream's history (OpenShift's form of
   * pinning a tag to an image another stream has recorded).
   */
  readonly kind: 'DockerImage' | 'ImageStreamTag' | 'ImageStreamImage';
  readonly name: string;
  /** For ImageStreamTag and ImageStreamImage: the other stream's namespace. @default - the stream's own */
  readonly namespace?: string;
  /**
   * The other fields of Kubernetes' ObjectReference, which OpenShift's `from` is: accepted so that
   * manifests port over, and ignored, as OpenShift ignores them in a tag's `from`.
   */
  readonly uid?: string;
  readonly apiVersion?: string;
  readonly resourceVersion?: string;
  readonly fieldPath?: string;
}

export interface TagImportPolicy {
  /** Re-import on a schedule. */
  readonly scheduled?: boolean;
  /** Seconds between scheduled imports of this tag (>= 60). @default 900 */
  readonly intervalSeconds?: number;
  /** Plain http, or https without certificate verification. */
  readonly insecure?: boolean;
  /** Legacy: one platform's manifest; PreserveOriginal: the manifest list's own digest. @default 'Legacy' */
  readonly importMode?: ImportMode;
  /** The platform Legacy picks from a manifest list, `os/arch[/variant]`. @default 'linux/amd64' */
  readonly preferredPlatform?: string;
  /** Paused: a rollback holds this tag where it is until cleared (no scheduled imports). */
  readonly paused?: boolean;
}

export interface TagSpec {
  readonly name: string;
  /** Absent for tags that only builds push to. */
  readonly from?: TagReference;
  readonly importPolicy?: TagImportPolicy;
  /** Read it with referencePolicyType: OpenShift reads '' (and no policy) as Source. */
  readonly referencePolicy?: { readonly type: ReferencePolicyType | '' };
  /**
   * OpenShift's tag annotations: shown by `describe` (description, tags, supports, sampleRepo, as `oc
   * describe is` shows them) and kept for tools that read them (display names, icons).
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * OpenShift's spec tag generation, where clients ask for a new import. Here any change of it (as
   * any change of the spec) makes the controller import the tag at once: set it to the stream's
   * metadata.generation + 1 to ask. Its value is not compared with the generations history records
   * (OpenShift's API server rewrites it; nothing does here), so a value copied from another cluster
   * asks for nothing by itself.
   */
  readonly generation?: number;
  /** A reference-only tag: points at `from` without ever importing it. */
  readonly reference?: boolean;
  /**
   * Follow the tag of `from`'s repository that this policy chooses from the registry's tag list (the
   * tag of `from`, if any, is ignored), as Flux's ImagePolicy does; the choice is imported as any tag.
   */
  readonly tagPolicy?: TagPolicySpec;
  /**
   * A tag whose images are promoted into it from another tag (here or in another namespace, which
   * must grant Pull) once the gate passes: the controller records the source's image as this tag's
   * newest history item. Such a tag has no `from`: its history is what was promoted.
   */
  readonly promotion?: TagPromotion;
}

/** When a verified image moves from one tag to another (see lib/api/promotion.ts). */
export interface TagPromotion {
  /** The tag promoted from, `stream:tag`, in `namespace` (default: this stream's). */
  readonly from: { readonly name: string; readonly namespace?: string };
  /** The source's image must have been its newest item for this long (a soak). @default 0 */
  readonly soakSeconds?: number;
  /**
   * The workloads of the source's namespace that follow the source tag must run its image, rolled out
   * and available (at least one must follow it). @default false
   */
  readonly requireRollout?: boolean;
}

/**
 * A tag's reference policy as every reader takes it: OpenShift's API server defaults an empty (or
 * absent) `referencePolicy.type` to Source, so '' in a manifest means Source here too.
 */
export function referencePolicyType(tag: Pick<TagSpec, 'referencePolicy'> | undefined): ReferencePolicyType {
  return tag?.referencePolicy?.type === 'Local' ? 'Local' : 'Source';
}

export interface ImageStreamSpec {
  readonly tags?: readonly TagSpec[];
  /**
   * OpenShift's deprecated dockerImageRepository: the tags of this repository are imported into the
   * stream's status (the first ones as OpenShift orders them, bounded) besides those of spec.tags.
   */
  readonly dockerImageRepository?: string;
  /** History items kept per tag, newest first. @default 10 */
  readonly historyLimit?: number;
  /** Secrets (kubernetes.io/dockerconfigjson) the importer may use, by name. */
  readonly pullSecrets?: readonly { readonly name: string }[];
  /** Namespaces besides the stream's own that may pull from it or push to it (see grants.ts). */
  readonly grants?: readonly StreamGrant[];
  /** Where builds push this stream's images, when it has a registry behind it. */
  readonly imageRepository?: string;
  /** Where nodes pull this stream's images from, when different from imageRepository. */
  readonly publicImageRepository?: string;
  /** imageRepository speaks plain http, or https whose certificate is not verified: for the copies of Local tags (lib/api/mirror.ts). */
  readonly imageRepositoryInsecure?: boolean;
  /**
   * OpenShift's lookupPolicy: with `local`, workloads of the stream's namespace may name its tags by
   * short name (`image: jdk8:latest`); the compiler resolves them at synth time (see the constructs),
   * the controller in workloads applied as YAML (see local-lookup.ts).
   */
  readonly lookupPolicy?: { readonly local: boolean };
}

export interface TagEventCondition {
  readonly type: 'ImportSuccess';
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly generation?: number;
}

export interface TagEvent {
  /** `repository@sha256:…` */
  readonly dockerImageReference: string;
  /** The digest, `sha256:…`. */
  readonly image: string;
  /** RFC 3339 time this item was recorded. */
  readonly created: string;
  /** The stream's metadata.generation when the item was recorded. */
  readonly generation?: number;
  /**
   * Legacy imports of a manifest list: the list's digest the image was picked from. While the tag
   * still points at that list, the pick holds and the list is not fetched again.
   */
  readonly indexDigest?: string;
  /** With indexDigest: the platform asked for (preferredPlatform, else linux/amd64), `os/arch[/variant]`. */
  readonly platform?: string;
  /** A promoted item: the tag it was promoted from, `namespace/stream:tag`. */
  readonly promotedFrom?: string;
  /** A built item: the build (PipelineRun) that pushed it, `namespace/name`. */
  readonly build?: string;
  /** A built item: the commit built. */
  readonly commit?: string;
  /** A built item: the image its last stage starts from, `repository@sha256:…`. */
  readonly baseImage?: string;
}

/** A commit id (sha1 or sha256 object format). */
export const COMMIT_PATTERN = '^[0-9a-f]{40}([0-9a-f]{24})?$';
/** An ImageStreamImage name, `stream@sha256:…`: an image of that stream's history (CEL and JS RE2-compatible). */
export const STREAM_IMAGE_PATTERN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?@sha256:[0-9a-f]{64}$';
/** `repository@sha256:…`: an image by digest. */
export const IMAGE_BY_DIGEST_PATTERN = '^[^@\\s]+@sha256:[0-9a-f]{64}$';

export interface NamedTagEventList {
  readonly tag: string;
  /** Newest first, at most historyLimit. */
  readonly items?: readonly TagEvent[];
  readonly conditions?: readonly TagEventCondition[];
  /** RFC 3339 time of the last import attempt (success or not): when the next is due. */
  readonly lastImportAttempt?: string;
  /** A tag with a tagPolicy: the tag it chose at the last import, and why. */
  readonly policy?: TagChoice;
}

/** What the last import of the repository came to (status.repositoryImport; see repository-import.ts). */
export interface RepositoryImportStatus {
  /** The repository imported (spec.dockerImageRepository at the time). */
  readonly repository: string;
  /** The stream's metadata.generation it was imported at: a newer one imports again. */
  readonly generation?: number;
  readonly status: 'True' | 'False';
  /** Imported, or the registry's reason (NotFound, Unauthorized, …). */
  readonly reason: string;
  readonly message: string;
  /** RFC 3339. */
  readonly lastImportAttempt: string;
  /** The repository's tags imported into status (none of the spec's), in the order they were chosen. */
  readonly tags?: readonly string[];
}

export interface ImageStreamStatus {
  readonly tags?: readonly NamedTagEventList[];
  readonly observedGeneration?: number;
  /** The last import of spec.dockerImageRepository (see repository-import.ts). */
  readonly repositoryImport?: RepositoryImportStatus;
  /** OpenShift's, accepted in exported manifests and never written here (spec.imageRepository says it). */
  readonly dockerImageRepository?: string;
  readonly publicDockerImageRepository?: string;
}

export interface ImageStreamObject {
  readonly apiVersion: string;
  readonly kind: typeof IMAGESTREAM_KIND;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly resourceVersion?: string; readonly generation?: number; readonly [key: string]: unknown };
  readonly spec: ImageStreamSpec;
  readonly status?: ImageStreamStatus;
}
