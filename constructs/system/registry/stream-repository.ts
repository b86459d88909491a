/** Where one stream's images live in the registry behind streams. */
export interface StreamRepository {
  /** Where build pods push, `host/path` with no tag: the stream's `spec.imageRepository`. */
  readonly push: string;
  /** What nodes pull (workload images, the stream's `spec.publicImageRepository`); the same digests as `push`. */
  readonly pull: string;
  /** Whether `push` is plain http or https without certificate verification (buildah `--tls-verify=false`). */
  readonly insecure: boolean;
  /** A kubernetes.io/dockerconfigjson Secret in the build namespace that builds push with. @default - none: anonymous pushes */
  readonly pushSecret?: string;
  /** A kubernetes.io/dockerconfigjson Secret that workloads pull with (`imagePullSecrets`). @default - none: anonymous pulls */
  readonly pullSecret?: string;
}
