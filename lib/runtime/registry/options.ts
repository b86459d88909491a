import { BasicCredentials, credentialsFor, DockerConfig } from './auth';
import { ClientSettings } from './client';
import { Platform } from './manifest';
import { ImageReference } from '../../api/image-reference';
import { sleep } from './retry';
import { AuthCache } from './token';
import type { RegistryLimiter } from './registry-limiter';

/** OpenShift's importMode: Legacy imports one platform's image, PreserveOriginal the whole list. */
export type ImportMode = 'Legacy' | 'PreserveOriginal';

/** An image a tag recorded before (an item of its history), as the resolver compares with what HEAD says. */
export interface RecordedImage {
  /** The digest recorded. */
  readonly digest: string;
  /** Legacy picks out of a manifest list: the list's digest… */
  readonly indexDigest?: string;
  /** …and the platform picked, `os/arch[/variant]`. */
  readonly platform?: string;
}

/** How to resolve a reference. Every field is optional. */
export interface ResolveOptions {
  /**
   * What the tag recorded before, newest first. A digest from HEAD that is the newest item's costs no
   * GET; any other is fetched once and verified before it is returned (by digest; by tag when it is an
   * older item's, so that a stale cache or a lying proxy can't move the tag back).
   * @default - nothing recorded: every digest is fetched and verified
   */
  readonly recorded?: readonly RecordedImage[];
  /** @default 'Legacy' */
  readonly importMode?: ImportMode;
  /** The platform Legacy mode picks out of a manifest list. @default - linux/amd64 */
  readonly platform?: Platform;
  /** Plain http to the registry; https (e.g. a token realm) without TLS verification. @default false */
  readonly insecure?: boolean;
  /** Wins over `dockerConfig`. @default - from `dockerConfig`, else anonymous */
  readonly credentials?: BasicCredentials;
  /** The `auths` of a pull secret; the entry for the reference's registry is used. @default - none */
  readonly dockerConfig?: DockerConfig;
  /** Per HTTP request, connect to last byte. @default 30000 */
  readonly timeoutMs?: number;
  /** Retries for 429 and 5xx responses. @default 3 */
  readonly retries?: number;
  /** First back-off, doubled on each retry unless the registry sends Retry-After. @default 500 */
  readonly backoffMs?: number;
  /** Longest wait; a longer Retry-After fails at once. @default 30000 */
  readonly maxBackoffMs?: number;
  /** Bearer tokens and challenges. @default - one cache shared by the whole process */
  readonly authCache?: AuthCache;
  /** @default - a timer (tests record the waits instead) */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Exchanges in flight per registry, shared by every resolution that uses it. @default - the process's (sharedRegistryLimiter) */
  readonly limiter?: RegistryLimiter;
}

export const DEFAULTS = Object.freeze({
  importMode: 'Legacy' as ImportMode,
  platform: Object.freeze({ os: 'linux', architecture: 'amd64' }) as Platform,
  insecure: false,
  timeoutMs: 30_000,
  retries: 3,
  backoffMs: 500,
  maxBackoffMs: 30_000,
});

const sharedAuthCache = new AuthCache();

/** The client settings for one reference (credentials depend on its registry). */
export function clientSettings(ref: ImageReference, options: ResolveOptions): ClientSettings {
  const credentials =
    options.credentials ?? (options.dockerConfig ? credentialsFor(options.dockerConfig, ref.registry) : undefined);
  return {
    insecure: options.insecure ?? DEFAULTS.insecure,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    credentials,
    authCache: options.authCache ?? sharedAuthCache,
    ...(options.limiter ? { limiter: options.limiter } : {}),
    retry: {
      retries: options.retries ?? DEFAULTS.retries,
      backoffMs: options.backoffMs ?? DEFAULTS.backoffMs,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
      sleep: options.sleep ?? sleep,
      now: Date.now,
    },
  };
}
