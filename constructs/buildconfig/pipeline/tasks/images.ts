/**
 * Default step images, pinned by tag so that a rebuild of the manifests never changes what runs.
 * Each Task exposes its image as a param, so users can pin by digest or use a mirror.
 */
export const DEFAULT_IMAGES = Object.freeze({
  /** Alpine with git and openssh-client; /bin/sh is busybox. */
  git: 'docker.io/alpine/git:v2.45.2',
  /** Buildah's own image (Fedora based); `--from` has replaced the first FROM since long before 1.37. */
  buildah: 'quay.io/buildah/stable:v1.37.5',
  /** Only sh, ls, cp and cat are needed to detect the language and write a Dockerfile. */
  shell: 'docker.io/library/busybox:1.36.1',
});
