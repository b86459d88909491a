import type { SecurityContext } from '../../tekton';

/**
 * What buildah needs with `--storage-driver vfs --isolation chroot` as root, measured by running
 * it under `setpriv --bounding-set` with fewer capabilities (buildah 1.28, kernel 5.x/6.x):
 * - SETFCAP: writing a uid_map that maps root into buildah's user namespace (kernel >= 5.12);
 * - SETUID, SETGID: writing uid_map/gid_map and switching to the image's USER;
 * - CHOWN, FOWNER: keeping the owners and modes of the files of the layers.
 * Not needed: DAC_OVERRIDE, FSETID, KILL, MKNOD, SYS_CHROOT (the chroot happens inside the user
 * namespace), SYS_ADMIN, privileged. All five are in the Pod Security "baseline" list of allowed
 * additions, and no_new_privs (allowPrivilegeEscalation: false) does not get in the way.
 *
 * Seccomp is left to the cluster on purpose: buildah creates a user namespace for every RUN,
 * even with chroot isolation, and the RuntimeDefault profiles of containerd and CRI-O refuse
 * unshare(CLONE_NEWUSER) to a container without SYS_ADMIN (containers/buildah#4538, #4563;
 * cri-o/cri-o#5788). Baseline allows an unset profile (the kubelet then applies its default:
 * Unconfined unless it runs with --seccomp-default) or a Localhost profile that permits unshare.
 */
export const BUILDAH_CAPABILITIES: readonly string[] = Object.freeze(['CHOWN', 'FOWNER', 'SETFCAP', 'SETGID', 'SETUID']);

export interface BuildahSecurityOptions {
  /**
   * A seccomp profile for the build steps; it must allow unshare(CLONE_NEWUSER).
   * @default - none: the kubelet's default
   */
  readonly seccompProfile?: SecurityContext['seccompProfile'];
}

export function buildahSecurityContext(options: BuildahSecurityOptions = {}): SecurityContext {
  return {
    runAsUser: 0,
    runAsGroup: 0,
    privileged: false,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'], add: [...BUILDAH_CAPABILITIES] },
    ...(options.seccompProfile ? { seccompProfile: options.seccompProfile } : {}),
  };
}
