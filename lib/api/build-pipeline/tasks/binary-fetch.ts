import type { TaskSpec, VolumeMount } from '../../tekton';
import { paramEnv } from './_env';
import { buildahSecurityContext } from './buildah-security';
import { DEFAULT_IMAGES } from './images';
import { AUTHFILE_SH, registryTlsFunction } from './registry-tls-script';

export const BINARY_FETCH_TASK_NAME = 'binary-fetch';

const STORAGE: VolumeMount = { name: 'varlibcontainers', mountPath: '/var/lib/containers' };

/**
 * Unpacks uploaded sources (`imagestreams start-build --from-dir/--from-file/--from-archive`): an
 * image of one layer, pushed by the CLI next to the output's repository and named by digest in
 * SOURCE_ARCHIVE, whose files become the source workspace. buildah only (vfs, as the build step).
 */
const SCRIPT = `#!/bin/sh
set -eu
fail() { echo "binary-fetch: $*" >&2; exit 1; }
${registryTlsFunction('binary-fetch')}
${AUTHFILE_SH}

# Arguments: the INSECURE_REGISTRIES hosts.
registry_tls "$@"
[ -n "$PARAM_SOURCE_ARCHIVE" ] || fail "param SOURCE_ARCHIVE is empty: this BuildConfig builds uploaded sources; start it with imagestreams start-build NAME --from-dir DIR (or --from-file, --from-archive)"
case "$PARAM_SOURCE_ARCHIVE" in *@sha256:*) ;; *) fail "param SOURCE_ARCHIVE '$PARAM_SOURCE_ARCHIVE' is not an image reference by digest";; esac
case "$PARAM_SOURCE_ARCHIVE" in -*|*[!A-Za-z0-9._:/@-]*) fail "param SOURCE_ARCHIVE '$PARAM_SOURCE_ARCHIVE' is not an image reference by digest";; esac

set --
authfile="$(authfile_of "$WORKSPACE_PULL_DOCKERCONFIG_BOUND" "$WORKSPACE_PULL_DOCKERCONFIG_PATH" pull-dockerconfig 'the pull secret')"
[ -z "$authfile" ] || set -- --authfile "$authfile"
container="$(buildah --storage-driver=vfs from --quiet "$@" "docker://$PARAM_SOURCE_ARCHIVE")"
files="$(buildah --storage-driver=vfs mount "$container")"
# A reused volume may hold an older build's files: start from an empty directory.
mkdir -p "$WORKSPACE_SOURCE_PATH"
find "$WORKSPACE_SOURCE_PATH" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
cp -a "$files"/. "$WORKSPACE_SOURCE_PATH"/
buildah --storage-driver=vfs rm "$container" > /dev/null
echo "binary-fetch: unpacked $PARAM_SOURCE_ARCHIVE ($(find "$WORKSPACE_SOURCE_PATH" -type f | wc -l) files)" >&2
`;

/** Puts the sources `start-build --from-*` uploaded into workspace `source`. */
export function binaryFetchTask(): TaskSpec {
  return {
    description: 'Unpack uploaded sources (start-build --from-dir, --from-file, --from-archive) into the source workspace.',
    params: [
      { name: 'SOURCE_ARCHIVE', type: 'string', default: '', description: 'The uploaded sources: an image reference by digest.' },
      { name: 'INSECURE_REGISTRIES', type: 'array', default: [], description: 'Registry hosts (host[:port]) reached over http or unverified https.' },
      { name: 'BUILDER_IMAGE', type: 'string', default: DEFAULT_IMAGES.buildah, description: 'Image with buildah.' },
    ],
    workspaces: [
      { name: 'source', description: 'Receives the sources.' },
      { name: 'pull-dockerconfig', optional: true, readOnly: true, description: 'A kubernetes.io/dockerconfigjson secret for the registry of the sources.' },
      { name: 'registry-cas', optional: true, readOnly: true, description: 'CA bundles of registries with private CAs, as <host[:port]>/ca.crt files.' },
    ],
    volumes: [{ name: STORAGE.name, emptyDir: {} }],
    steps: [
      {
        name: 'unpack',
        image: '$(params.BUILDER_IMAGE)',
        env: [
          ...paramEnv(['SOURCE_ARCHIVE']),
          { name: 'WORKSPACE_SOURCE_PATH', value: '$(workspaces.source.path)' },
          { name: 'WORKSPACE_PULL_DOCKERCONFIG_BOUND', value: '$(workspaces.pull-dockerconfig.bound)' },
          { name: 'WORKSPACE_PULL_DOCKERCONFIG_PATH', value: '$(workspaces.pull-dockerconfig.path)' },
          { name: 'WORKSPACE_REGISTRY_CAS_BOUND', value: '$(workspaces.registry-cas.bound)' },
          { name: 'WORKSPACE_REGISTRY_CAS_PATH', value: '$(workspaces.registry-cas.path)' },
        ],
        args: ['$(params.INSECURE_REGISTRIES[*])'],
        volumeMounts: [STORAGE],
        securityContext: buildahSecurityContext(),
        script: SCRIPT,
      },
    ],
  };
}
