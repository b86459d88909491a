import type { TagChoice } from '../../api/tag-policy';

/** What importing one tag came to; the merge turns these into status. */
export type TagImportResult = TagImported | TagImportFailed;

export interface TagImported {
  readonly tag: string;
  /** The spec's `from.name` that was resolved; a result for a tag whose source changed since is dropped. */
  readonly from: string;
  readonly ok: true;
  /** `sha256:…` */
  readonly image: string;
  /** `registry/repository@sha256:…` */
  readonly dockerImageReference: string;
  /** A Legacy pick out of a manifest list: the list's digest and the platform, recorded with the item. */
  readonly indexDigest?: string;
  readonly platform?: string;
  /** A tag with a tagPolicy: the tag it chose, and why. */
  readonly policy?: TagChoice;
  /** A tag that mirrors (referencePolicy Local): where its image was copied, and what the copy sent. */
  readonly mirror?: MirrorCopy;
}

export interface MirrorCopy {
  /** `imageRepository@sha256:…` */
  readonly reference: string;
  readonly blobsCopied: number;
  readonly blobsMounted: number;
  /** Blobs the stream's registry had already (a copy that resumes, or layers shared with other images). */
  readonly blobsPresent: number;
  /** Bytes sent into the stream's registry. */
  readonly bytes: number;
}

export interface TagImportFailed {
  readonly tag: string;
  readonly from: string;
  readonly ok: false;
  /** CamelCase, as a condition reason: Unauthorized, NotFound, TooManyRequests, Timeout, … */
  readonly reason: string;
  readonly message: string;
  /** For a MirrorFailed result, the registry's reason (ServerError, Timeout, …): whether trying again may help. */
  readonly cause?: string;
}
