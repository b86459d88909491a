import { DEFAULT_S2I_BUILDERS } from './s2i-builders';

/**
 * Default step images, each pinned by digest: a rebuild of the manifests never changes what runs,
 * and a moved tag never reaches a cluster. Each Task exposes its image as a param (GIT_IMAGE,
 * BUILDER_IMAGE, SHELL_IMAGE), so users can point it at a mirror. `scripts/pin-images.sh` prints the
 * current digest of each tag (skopeo inspect) to refresh these pins; the digests below were taken
 * from public pins of exactly these tags, as noted next to each (this machine reaches neither
 * docker.io nor quay.io). Copy mirrored images with `skopeo copy --all` so the digests stay the same.
 */
export const DEFAULT_IMAGES = Object.freeze({
  /**
   * Alpine with git 2.45 and openssh-client; /bin/sh is busybox.
   * Digest: redhat-cop/helm-charts commit fe7f92833a6f34fb0912ac51c19c96bdd5cd49b5 (Renovate, 2025-04-15,
   * "Update alpine/git:2.45.2 Docker digest to 16ad8e7", charts/static-site/alpine-curl-git.Dockerfile);
   * the same digest pinned for the tag v2.45.2 by open-labdog's Dockerfile (bundled-pack-fetcher stage).
   */
  git: 'docker.io/alpine/git:v2.45.2@sha256:16ad8e788e1d3b0c30f18da8dde5c0ace3b187445a62d8af893b003ca1e70592',
  /**
   * Red Hat's UBI 9 buildah image (buildah 1.37, as RHEL 9.5 ships it), root by default. Replaces
   * quay.io/buildah/stable:v1.37.5, whose versioned tags are rebuilt daily and whose old digests
   * quay.io deletes (no public pin of that tag was found). Red Hat keeps every build tag.
   * Digest: konflux-ci/build-definitions commit 2eae9173935dc6008fd017004adac29054013e0f (2025-07-01,
   * task/build-vm-image, BUILDAH_IMAGE registry.access.redhat.com/ubi9/buildah:9.5-1739778322@sha256:a6e04c06…).
   */
  buildah: 'registry.access.redhat.com/ubi9/buildah:9.5-1739778322@sha256:a6e04c061b8d261dba85d01dcb64d3f7dba8c0b9765e03f05ec79850a248d75a',
  /**
   * Only sh, ls, cp and cat are needed to detect the language and write a Dockerfile.
   * Digest: the index of library/busybox:1.36.1, pinned alike by four public projects found with
   * code search (one notes it is "the index of library/busybox:1.36.1 as Docker Hub's registry
   * answered on 2026-10-03"); older digests of the tag (before a rebuild) appear elsewhere.
   */
  shell: 'docker.io/library/busybox:1.36.1@sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662',
  /**
   * curl for the git poll's PipelineRun (Alpine based, /bin/sh).
   * Digest: pinned alike for curlimages/curl:8.11.1 by six public projects found with code search
   * (Helm test hooks, kind scripts, compose files).
   */
  curl: 'docker.io/curlimages/curl:8.11.1@sha256:c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69',
  /**
   * Node for the provenance step (a script without dependencies): the runtime's own image, as the
   * System pins it (DEFAULT_RUNTIME_IMAGE), so a cluster pulls no other; its user `node` is uid 1000.
   */
  node: 'docker.io/library/node:24-alpine@sha256:d32cdf619f63fe0471182d08996dd516c6275bb5fd31ae06e55a570bd9e1ad43',
});

/**
 * A Task spec (or any JSON) with our default images as `mirror` maps them: step images, param
 * defaults and `language=image` items of the S2I builders equal to one of our defaults. Images the
 * user named are left alone, even on a mirrored registry: they chose where to pull from.
 */
export function withMirroredDefaults<T>(value: T, mirror: (image: string) => string): T {
  const defaults = new Set<string>([...Object.values(DEFAULT_IMAGES), ...Object.values(DEFAULT_S2I_BUILDERS)]);
  const mirrored = (text: string): string => {
    if (defaults.has(text)) return mirror(text);
    const eq = text.indexOf('=');
    return eq > 0 && defaults.has(text.slice(eq + 1)) ? `${text.slice(0, eq + 1)}${mirror(text.slice(eq + 1))}` : text;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return mirrored(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** Whether an image reference is pinned by digest. */
export function isPinned(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}
