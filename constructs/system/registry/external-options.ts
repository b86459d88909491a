/** A registry that exists already (Harbor, Quay, ECR, GHCR, a distribution registry …). */
export interface ExternalRegistryOptions {
  /**
   * The registry's host with an optional port, as image references write it: no scheme, no path.
   * @example 'registry.example.com:5000'
   */
  readonly host: string;
  /**
   * Repository path under which each stream gets `namespace/stream`, e.g. 'team' gives
   * `registry.example.com/team/<namespace>/<stream>`.
   * @default - none: `host/<namespace>/<stream>`
   */
  readonly pathPrefix?: string;
  /**
   * A kubernetes.io/dockerconfigjson Secret with push rights, by name, that must exist in each
   * namespace that runs builds.
   * @default - none: builds push anonymously
   */
  readonly pushSecret?: string;
  /**
   * A kubernetes.io/dockerconfigjson Secret that workloads pull with, by name, in their namespace.
   * @default - none: nodes pull anonymously (or with credentials they have)
   */
  readonly pullSecret?: string;
  /**
   * The registry speaks plain http, or https with a certificate that builds must not verify.
   * @default false
   */
  readonly insecure?: boolean;
}
