/**
 * The `notifications` section of a distribution registry's config, posting every event to one
 * endpoint with a bearer token, as an operator configures a registry to notify a RegistryReceiver.
 * @see https://distribution.github.io/distribution/about/configuration/#notifications
 */
export interface NotifyOptions {
  /** The receiver's URL. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token: string;
  /** @default '2s' */
  readonly timeout?: string;
  /** Failures before the endpoint backs off. @default 3 */
  readonly threshold?: number;
  /** @default '100ms' */
  readonly backoff?: string;
}

export function notifications(options: NotifyOptions): object {
  return {
    endpoints: [{
      name: 'receiver',
      url: options.url,
      headers: { Authorization: [`Bearer ${options.token}`] },
      timeout: options.timeout ?? '2s',
      threshold: options.threshold ?? 3,
      backoff: options.backoff ?? '100ms',
      // Blobs are pushed before the manifest that names them: only manifests say a tag moved.
      ignoredmediatypes: ['application/octet-stream'],
    }],
  };
}
