/**
 * RegistryReceiver: where a registry's push notifications come in. A receiver names the kind of
 * sender (which fixes the payload format and how the sender authenticates) and the Secret holding the
 * shared token. An event only nudges: the controller imports, now, the stream tags of the receiver's
 * namespace that import the repository (and tag) the event names, and the importer verifies the
 * digest with the registry as always — a forged event can at worst cost one HEAD per matching tag.
 */
import type { RECEIVER_KIND } from './group';

/** The senders whose webhook formats the receiver reads. */
export type ReceiverType = 'Distribution' | 'DockerHub' | 'Harbor' | 'Quay' | 'GHCR';
export const RECEIVER_TYPES: readonly ReceiverType[] = ['Distribution', 'DockerHub', 'Harbor', 'Quay', 'GHCR'];

/**
 * How each sender proves who it is, with the shared token:
 * - `bearer`: an `Authorization` header the sender is configured to send (`Bearer <token>`, or the bare token);
 * - `hmac-sha256`: the sender signs the body (GitHub's `X-Hub-Signature-256: sha256=<hex>`);
 * - `path`: the sender can neither sign nor add a header, so the token is the last segment of the URL.
 */
export type ReceiverAuth = 'bearer' | 'hmac-sha256' | 'path';

export const RECEIVER_AUTH: Readonly<Record<ReceiverType, ReceiverAuth>> = Object.freeze({
  // distribution's notifications.endpoints[].headers: { Authorization: [Bearer <token>] }
  Distribution: 'bearer',
  // Harbor's webhook policy "Auth Header" is sent as the Authorization header, verbatim.
  Harbor: 'bearer',
  // GitHub signs every delivery with the webhook's secret.
  GHCR: 'hmac-sha256',
  // Docker Hub and Quay post to a URL and nothing else.
  DockerHub: 'path',
  Quay: 'path',
});

/** The Secret key holding the token (the HMAC secret for GHCR). */
export const RECEIVER_TOKEN_KEY = 'token';
/** The port the controller listens on for receivers (unprivileged: Pod Security restricted). */
export const RECEIVER_PORT = 8080;
/** The body size a delivery may have; larger ones are refused with 413 unread. */
export const DEFAULT_RECEIVER_MAX_BODY_BYTES = 1024 * 1024;
/** Deliveries older than this (by the time they carry) are refused as replays; ids are remembered as long. */
export const DEFAULT_RECEIVER_MAX_AGE_SECONDS = 600;
/** Identical events within this window nudge once (and once more at its end if they kept coming). */
export const DEFAULT_RECEIVER_DEBOUNCE_MS = 2_000;

export interface RegistryReceiverSpec {
  readonly type: ReceiverType;
  /** A Secret of the receiver's namespace whose key `token` holds the shared token. */
  readonly secretRef: { readonly name: string };
  /**
   * The registries this receiver speaks for, as streams name them (`registry.example.com:5000`).
   * When set, an event counts for these hosts only, whatever host it names (distribution reports the
   * host its pusher addressed, which need not be the one streams import from).
   * @default - the host the event names (docker.io for Docker Hub, ghcr.io for GHCR)
   */
  readonly registries?: readonly string[];
  /** Only these ImageStreams of the namespace are nudged. @default - every stream of the namespace */
  readonly streams?: readonly string[];
  /** Deliveries older than this are refused as replays. @default 600 */
  readonly maxAgeSeconds?: number;
}

export interface RegistryReceiverObject {
  readonly apiVersion: string;
  readonly kind: typeof RECEIVER_KIND;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly spec: RegistryReceiverSpec;
}

/** The URL path of a receiver: `/hooks/<namespace>/<name>`, and `/<token>` after it for `path` auth. */
export function receiverPath(namespace: string, name: string): string {
  return `/hooks/${namespace}/${name}`;
}
