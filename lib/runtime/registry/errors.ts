/**
 * Why a registry operation failed, in the CamelCase form of a Kubernetes condition reason.
 */
export type RegistryErrorReason =
  | 'InvalidReference'
  | 'InvalidPullSecret'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'TooManyRequests'
  | 'ServerError'
  | 'Timeout'
  | 'Unreachable'
  | 'ConnectionReset'
  | 'DigestMismatch'
  | 'PlatformNotFound'
  | 'InvalidResponse'
  /** A tag policy chose nothing: no tag of the repository counts. */
  | 'NoTagMatchesPolicy'
  /** A tag policy that can't be used (the CRD can't check everything the constructs do). */
  | 'InvalidTagPolicy';

const BRAND = Symbol.for('imagestreams.dev/RegistryError');

/** The one error type the registry client throws: `reason` for conditions, `message` for people. */
export class RegistryError extends Error {
  /** True for errors from this module, even across duplicate copies of it (no `instanceof`). */
  public static isRegistryError(value: unknown): value is RegistryError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  public readonly reason: RegistryErrorReason;
  /** HTTP status of the response that caused the error, when there was one. */
  public readonly status?: number;

  public constructor(reason: RegistryErrorReason, message: string, status?: number) {
    super(message);
    this.name = 'RegistryError';
    this.reason = reason;
    this.status = status;
    Object.defineProperty(this, BRAND, { value: true });
  }
}
