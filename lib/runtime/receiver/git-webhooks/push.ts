import { headerValue, PayloadError, type Headers } from '../payloads/event';

/** One branch a delivery says moved, and to which commit (undefined: build the branch's head). */
export interface PushedRef {
  /** `refs/heads/x`, or `x` as a generic payload may write it. */
  readonly ref: string;
  readonly commit?: string;
}

/** What a git host's delivery asks for, read from its body and headers. */
export type GitDelivery =
  /** A push: build when one of `refs` is the BuildConfig's branch. */
  | {
    readonly kind: 'push';
    readonly refs: readonly PushedRef[];
    /** Who pushed, as the host names them (informational). */
    readonly pusher?: string;
    /** The repository URL the host reported (informational: builds clone the BuildConfig's own). */
    readonly repository?: string;
    /** Generic: the payload's `env` (applied only when the trigger allows it). */
    readonly env?: Readonly<Record<string, string>>;
    /** Generic: no git information, so the BuildConfig's own ref is built (OpenShift's warning). */
    readonly warning?: string;
  }
  /** Build the BuildConfig's ref as it is (a generic call without git information). */
  | { readonly kind: 'build'; readonly env?: Readonly<Record<string, string>>; readonly warning?: string }
  /** Nothing to build, and nothing wrong: a ping, a deleted branch. */
  | { readonly kind: 'ignore'; readonly reason: string };

/** The id the host gives each delivery (the same on a replay), when it gives one. */
export function deliveryId(headers: Headers, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = headerValue(headers, name)?.trim();
    if (value && value.length <= 200) return value;
  }
  return undefined;
}

/** The media type of Content-Type, lower case; '' when there is none. */
export function mediaType(headers: Headers): string {
  return (headerValue(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/** OpenShift reads these hosts' deliveries as JSON only. */
export function mustBeJson(headers: Headers, host: string): void {
  const type = mediaType(headers);
  if (type !== 'application/json') {
    throw new PayloadError(`unsupported Content-Type ${JSON.stringify(type || 'none')}: set the ${host} webhook's content type to application/json`);
  }
}

/** A short informational text for an annotation: strings only, at most 256 characters. */
export function info(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 256) : undefined;
}

/** A commit id that is all zeros: the branch was deleted. */
export const isZeroCommit = (value: unknown): boolean => typeof value === 'string' && /^0+$/.test(value);
