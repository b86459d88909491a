import { DECODE_LITERAL_SH } from '../../../../lib/api/literal-params';
import { DOCKERFILE_REWRITE_SH } from './dockerfile-rewrite-script';
import { CHECK_AUTHFILE_SH, registryTlsFunction } from './registry-tls-script';

/**
 * Step scripts of the buildah-build Task: POSIX sh and buildah only (they run in buildah's image).
 * Storage is the default /var/lib/containers/storage, an emptyDir shared by the two steps.
 */

/**
 * Arguments: `--insecure-registries HOST... --build-args A=1 --labels k=v --envs N=v
 * --stage-images stage=image ...` (Tekton expands array params into args).
 * Items, CONTEXT and DOCKERFILE arrive percent-encoded in % and $ (lib/api/literal-params.ts).
 */
export const BUILDAH_BUILD_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "buildah-build: $*" >&2; exit 1; }
${DECODE_LITERAL_SH}
${registryTlsFunction('buildah-build')}
${CHECK_AUTHFILE_SH}
${DOCKERFILE_REWRITE_SH}

check_bool() {
  case "$2" in true|false) ;; *) fail "param $1 must be 'true' or 'false', got '$2'";; esac
}
check_bool NO_CACHE "$PARAM_NO_CACHE"
[ -n "$PARAM_IMAGE" ] || fail "param IMAGE is empty: set the image reference to push to"

decode_literal context_dir "$PARAM_CONTEXT"
decode_literal dockerfile_path "$PARAM_DOCKERFILE"
context="$WORKSPACE_SOURCE_PATH/$context_dir"
[ -d "$context" ] || fail "param CONTEXT '$context_dir' is not a directory of the source workspace"
cd "$context"
[ -f "$dockerfile_path" ] || fail "param DOCKERFILE '$dockerfile_path' not found in context '$context_dir'"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: > "$work/env"

# Turn the marked lists into buildah flags, keeping each value one argument; ENV items become
# ENV instructions (below), so that RUN sees them as well as the image (buildah's --env does not).
mode=
insecure_hosts=
stage_images=
for arg do
  shift
  case "$arg" in
    --insecure-registries) mode=insecure; continue;;
    --build-args) mode=build-arg; continue;;
    --labels) mode=label; continue;;
    --envs) mode=env; continue;;
    --stage-images) mode=stage; continue;;
  esac
  [ -n "$mode" ] || fail "unexpected argument '$arg'"
  if [ "$mode" = insecure ]; then insecure_hosts="$insecure_hosts $arg"; continue; fi
  if [ "$mode" = stage ]; then
    stage="$(printf '%s' "\${arg%%=*}" | tr 'A-Z' 'a-z')"
    image="\${arg#*=}"
    case "$stage" in ''|*[!a-z0-9_.-]*) fail "param STAGE_IMAGES item '$arg' is not stage=image";; esac
    case "$arg" in *=?*) ;; *) fail "param STAGE_IMAGES item '$arg' is not stage=image";; esac
    case "$image" in -*|*[!A-Za-z0-9._:/@-]*) fail "param STAGE_IMAGES item '$arg' has no image reference after '='";; esac
    stage_images="$stage_images $stage=$image"
    continue
  fi
  decode_literal arg "$arg"
  if [ "$mode" = env ]; then
    name="\${arg%%=*}"
    case "$name" in ''|*[!A-Za-z0-9_]*|[0-9]*) fail "param ENV item '$arg' is not NAME=value";; esac
    case "$arg" in *"
"*) fail "param ENV item '$name' has a line break";; esac
    # Inside a Dockerfile's double quotes, backslash, quote and dollar are escaped with a backslash.
    value="$(printf '%s' "\${arg#*=}" | sed 's/[\\\\"$]/\\\\&/g')"
    printf 'ENV %s="%s"\\n' "$name" "$value" >> "$work/env"
    continue
  fi
  set -- "$@" "--$mode" "$arg"
done

# As OpenShift's Docker strategy does: the image of the last FROM replaced by BASE_IMAGE, and the
# build's env after every FROM; beyond it, named stages' images replaced by STAGE_IMAGES.
case "$PARAM_BASE_IMAGE" in -*|*[!A-Za-z0-9._:/@-]*) fail "param BASE_IMAGE '$PARAM_BASE_IMAGE' is not an image reference";; esac
dockerfile="$dockerfile_path"
if [ -s "$work/env" ] || [ -n "$PARAM_BASE_IMAGE" ] || [ -n "$stage_images" ]; then
  dockerfile="$work/Dockerfile"
  # shellcheck disable=SC2086 # one stage=image item a word
  rewrite_dockerfile "$dockerfile_path" "$dockerfile" "$work/env" "$PARAM_BASE_IMAGE" $stage_images
fi

# Credentials for pulling base images, seen by this step only.
if [ "$WORKSPACE_PULL_DOCKERCONFIG_BOUND" = true ]; then
  dir="$WORKSPACE_PULL_DOCKERCONFIG_PATH"
  if [ -f "$dir/.dockerconfigjson" ]; then authfile="$dir/.dockerconfigjson"
  elif [ -f "$dir/config.json" ]; then authfile="$dir/config.json"
  else fail "workspace pull-dockerconfig has no .dockerconfigjson (kubernetes.io/dockerconfigjson secret) nor config.json"
  fi
  check_authfile "$authfile" "the pull secret (workspace pull-dockerconfig)"
  set -- "$@" --authfile "$authfile"
fi

# shellcheck disable=SC2086 # one host a word
registry_tls $insecure_hosts

buildah --storage-driver=vfs bud --isolation=chroot --format="$PARAM_FORMAT" --no-cache="$PARAM_NO_CACHE" \\
  -f "$dockerfile" -t "$PARAM_IMAGE" "$@" .
`;

/** Arguments: the INSECURE_REGISTRIES hosts. */
export const BUILDAH_PUSH_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "buildah-push: $*" >&2; exit 1; }
${registryTlsFunction('buildah-push')}
${CHECK_AUTHFILE_SH}

registry_tls "$@"
set --
if [ "$WORKSPACE_DOCKERCONFIG_BOUND" = true ]; then
  dir="$WORKSPACE_DOCKERCONFIG_PATH"
  if [ -f "$dir/.dockerconfigjson" ]; then authfile="$dir/.dockerconfigjson"
  elif [ -f "$dir/config.json" ]; then authfile="$dir/config.json"
  else fail "workspace dockerconfig has no .dockerconfigjson (kubernetes.io/dockerconfigjson secret) nor config.json"
  fi
  check_authfile "$authfile" "the push secret (workspace dockerconfig)"
  set -- --authfile "$authfile"
fi

buildah --storage-driver=vfs push \\
  --digestfile "$RESULT_IMAGE_DIGEST_PATH" "$@" "$PARAM_IMAGE" "docker://$PARAM_IMAGE"
printf '%s' "$PARAM_IMAGE" > "$RESULT_IMAGE_URL_PATH"
echo "buildah-push: pushed $PARAM_IMAGE@$(cat "$RESULT_IMAGE_DIGEST_PATH")" >&2
`;
