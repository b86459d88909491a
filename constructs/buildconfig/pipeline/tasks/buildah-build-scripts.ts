import { DECODE_LITERAL_SH } from '../../../../lib/api/literal-params';
import { DOCKERFILE_REWRITE_SH } from './dockerfile-rewrite-script';
import { CHECK_AUTHFILE_SH, registryTlsFunction } from './registry-tls-script';

/**
 * Step scripts of the buildah-build Task: POSIX sh and buildah only (they run in buildah's image).
 * Storage is the default /var/lib/containers/storage, an emptyDir shared by the two steps.
 */

/**
 * Arguments: `--insecure-registries HOST... --build-args A=1 --labels k=v --envs N=v
 * --stage-images stage=image ... [--inputs kind=path=dir ...] [--post-commit ARGV...]` (Tekton expands
 * array params into args); every item after --post-commit is the hook's.
 * Items, CONTEXT and DOCKERFILE arrive percent-encoded in % and $ (lib/api/literal-params.ts).
 */
export const BUILDAH_BUILD_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "buildah-build: $*" >&2; exit 1; }
${DECODE_LITERAL_SH}
${registryTlsFunction('buildah-build')}
${CHECK_AUTHFILE_SH}
${DOCKERFILE_REWRITE_SH}

# shell_quote VALUE: VALUE in single quotes, as sh reads it back.
shell_quote() {
  _q="$(printf '%sx' "$1" | sed "s/'/'\\"'\\"'/g")"
  printf "'%s'" "\${_q%x}"
}

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

case "$PARAM_SOURCE_DATE_EPOCH" in *[!0-9]*) fail "param SOURCE_DATE_EPOCH must be seconds since 1970 (the commit's time), got '$PARAM_SOURCE_DATE_EPOCH'";; esac
case "$PARAM_CACHE_REPOSITORY" in -*|*[!a-z0-9._:/-]*) fail "param CACHE_REPOSITORY '$PARAM_CACHE_REPOSITORY' is not a repository (host/path, no tag)";; esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: > "$work/env"
# Shared with the push step (the storage volume): the Dockerfile built and how to build it again.
state=/var/lib/containers/imagestreams
rm -rf "$state"
mkdir -p "$state"

# Turn the marked lists into buildah flags, keeping each value one argument; ENV items become
# ENV instructions (below), so that RUN sees them as well as the image (buildah's --env does not).
mode=
insecure_hosts=
stage_images=
# add_input KIND=PATH=DIR: the Secret or ConfigMap in workspace PATH is mounted read-only into every
# RUN at /DIR (buildah --volume: in no layer), and each key of a Secret is a build secret for
# RUN --mount=type=secret,id=KEY (buildah --secret). Names and paths hold no blanks (checked).
input_args=
secret_ids=' '
add_input() {
  _kind="\${1%%=*}"; _rest="\${1#*=}"; _path="\${_rest%%=*}"; _dir="\${_rest#*=}"
  case "$_kind" in secret|configMap) ;; *) fail "--inputs item '$1' is not secret=PATH=DIR or configMap=PATH=DIR";; esac
  case "$_dir" in ''|/*|*..*|*[!A-Za-z0-9._/-]*) fail "--inputs item '$1': '$_dir' is not a relative directory";; esac
  case "$_path" in ''|*[!A-Za-z0-9._/-]*) fail "--inputs item '$1': the workspace path '$_path' has characters other than letters, digits and ._/-";; esac
  [ -d "$_path" ] || fail "the $_kind for /$_dir is not there: its workspace $_path is not bound"
  input_args="$input_args --volume $_path:/$_dir:ro"
  [ "$_kind" = secret ] || return 0
  for _file in "$_path"/*; do
    [ -f "$_file" ] || continue
    _id="\${_file##*/}"
    case "$secret_ids" in *" $_id "*) fail "two Secrets of the source have the key '$_id': RUN --mount=type=secret,id=$_id would be ambiguous; rename one";; esac
    secret_ids="$secret_ids$_id "
    input_args="$input_args --secret id=$_id,src=$_file"
  done
}
hooks=0
for arg do
  shift
  if [ "$mode" = hook ]; then
    decode_literal arg "$arg"
    hooks=$((hooks + 1))
    printf '%s' "$arg" > "$work/hook/$(printf '%04d' "$hooks")"
    continue
  fi
  case "$arg" in
    --post-commit) mode=hook; mkdir -p "$work/hook"; continue;;
    --insecure-registries) mode=insecure; continue;;
    --build-args) mode=build-arg; continue;;
    --labels) mode=label; continue;;
    --envs) mode=env; continue;;
    --stage-images) mode=stage; continue;;
    --inputs) mode=inputs; continue;;
  esac
  [ -n "$mode" ] || fail "unexpected argument '$arg'"
  if [ "$mode" = insecure ]; then insecure_hosts="$insecure_hosts $arg"; continue; fi
  if [ "$mode" = inputs ]; then add_input "$arg"; continue; fi
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
  dockerfile="$state/Dockerfile"
  # shellcheck disable=SC2086 # one stage=image item a word
  rewrite_dockerfile "$dockerfile_path" "$dockerfile" "$work/env" "$PARAM_BASE_IMAGE" $stage_images
fi

# Reproducible: every layer, history entry and the config carry one fixed time (the epoch), so the
# same sources on the same bases give the same digest, built from the cache or not (a commit's time
# would differ between layers reused from an older commit and layers built anew); --layers always,
# so that both have the same layers. The commit's time is the SOURCE_DATE_EPOCH build arg (for
# Dockerfiles that declare it) and the org.opencontainers.image.created label.
if [ -n "$PARAM_SOURCE_DATE_EPOCH" ]; then
  created="$(date -u -d "@$PARAM_SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
  set -- "$@" --build-arg "SOURCE_DATE_EPOCH=$PARAM_SOURCE_DATE_EPOCH" --label "org.opencontainers.image.created=$created"
fi
set -- --format="$PARAM_FORMAT" --layers --timestamp=0 -f "$dockerfile" -t "$PARAM_IMAGE" "$@"

# How to build the same image again, for the push step to push the layer cache.
{
  printf 'cd '; shell_quote "$PWD"; printf '\\nset --'
  for arg do printf ' '; shell_quote "$arg"; done
  printf '\\n'
} > "$state/replay"

if [ "$PARAM_NO_CACHE" = true ]; then
  set -- "$@" --no-cache
elif [ -n "$PARAM_CACHE_REPOSITORY" ]; then
  set -- "$@" --cache-from "$PARAM_CACHE_REPOSITORY"
fi

# The source's Secrets and ConfigMaps, after the replay was written: the push step never sees them.
# shellcheck disable=SC2086 # one flag or value a word (no blanks: checked)
[ -z "$input_args" ] || set -- "$@" $input_args

# Credentials for pulling base images (and the cache), seen by this step only.
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

buildah --storage-driver=vfs bud --isolation=chroot "$@" .

# One image, whatever the build's path through the cache: buildah writes into each history entry's
# comment the image the step started from (an image ID, or the cache tag it pulled), and into the
# manifest the image the last step started from; both go, through an OCI layout (layers stored
# uncompressed, so nothing is compressed twice). The push step pushes this image.
if [ "$PARAM_FORMAT" = oci ]; then
  layout="$state/oci"
  buildah --storage-driver=vfs push --quiet --disable-compression --format oci "$PARAM_IMAGE" "oci:$layout:image"
  blobs="$layout/blobs/sha256"
  manifest="$(sed -n 's/.*"digest":"sha256:\\([0-9a-f]\\{64\\}\\)".*/\\1/p' "$layout/index.json")"
  config="$(sed -n 's/.*"config":{[^}]*"digest":"sha256:\\([0-9a-f]\\{64\\}\\)".*/\\1/p' "$blobs/$manifest")"
  [ -n "$config" ] || fail "cannot read the built image's OCI layout"
  sed 's/,"comment":"FROM [^"]*"//g' "$blobs/$config" > "$layout/config"
  # replace_blob FILE OLD_HEX REFERRER: FILE becomes a blob; REFERRER's descriptor of OLD_HEX now names it.
  replace_blob() {
    _hex="$(sha256sum < "$1" | cut -d' ' -f1)"; _size=$(($(wc -c < "$1")))
    mv "$1" "$blobs/$_hex"
    sed "s/\\"digest\\":\\"sha256:$2\\",\\"size\\":[0-9]*/\\"digest\\":\\"sha256:$_hex\\",\\"size\\":$_size/" "$3" > "$3.new"
    mv "$3.new" "$3"
  }
  sed 's/,"annotations":{[^}]*}//' "$blobs/$manifest" > "$layout/manifest"
  replace_blob "$layout/config" "$config" "$layout/manifest"
  replace_blob "$layout/manifest" "$manifest" "$layout/index.json"
  buildah --storage-driver=vfs pull --quiet "oci:$layout:image" > "$state/image-id"
  rm -rf "$layout"
fi

# OpenShift's postCommit: the hook runs in a container of the built image (no registry credentials
# here) before anything is pushed; its failure fails this step, so the push step never runs.
if [ "$hooks" -gt 0 ]; then
  set --
  for item in "$work"/hook/*; do value="$(cat "$item"; printf x)"; set -- "$@" "\${value%x}"; done
  image="$PARAM_IMAGE"
  [ ! -s "$state/image-id" ] || image="$(cat "$state/image-id")"
  echo "buildah-build: postCommit: running $1 in the built image" >&2
  container="$(buildah --storage-driver=vfs from --quiet "$image")"
  if buildah --storage-driver=vfs run --isolation=chroot "$container" -- "$@"; then rc=0; else rc=$?; fi
  buildah --storage-driver=vfs rm "$container" > /dev/null
  [ "$rc" = 0 ] || fail "postCommit failed (exit $rc): the image is not pushed"
  echo "buildah-build: postCommit succeeded" >&2
fi
`;

/** Arguments: the INSECURE_REGISTRIES hosts. */
export const BUILDAH_PUSH_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "buildah-push: $*" >&2; exit 1; }
${registryTlsFunction('buildah-push')}
${CHECK_AUTHFILE_SH}

registry_tls "$@"
set --
authfile=
if [ "$WORKSPACE_DOCKERCONFIG_BOUND" = true ]; then
  dir="$WORKSPACE_DOCKERCONFIG_PATH"
  if [ -f "$dir/.dockerconfigjson" ]; then authfile="$dir/.dockerconfigjson"
  elif [ -f "$dir/config.json" ]; then authfile="$dir/config.json"
  else fail "workspace dockerconfig has no .dockerconfigjson (kubernetes.io/dockerconfigjson secret) nor config.json"
  fi
  check_authfile "$authfile" "the push secret (workspace dockerconfig)"
  set -- --authfile "$authfile"
fi

# The layer cache: the build is replayed on the same storage with --cache-to, so that buildah
# pushes each step's image under its cache key. Every step is a cache hit; a RUN that were not
# would meet a runtime that runs nothing (/bin/false), so no code of the sources ever runs here,
# where the push credentials are.
state=/var/lib/containers/imagestreams
if [ -n "$PARAM_CACHE_REPOSITORY" ] && [ "$PARAM_NO_CACHE" = false ] && [ -f "$state/replay" ]; then
  if (. "$state/replay" && buildah --storage-driver=vfs bud --isolation=oci --runtime=/bin/false \\
      --cache-to "$PARAM_CACHE_REPOSITORY" \${authfile:+--authfile} \${authfile:+"$authfile"} "$@" .) > "$state/cache.log" 2>&1; then
    echo "buildah-push: layer cache pushed to $PARAM_CACHE_REPOSITORY ($(grep -c '^--> Pushing cache' "$state/cache.log") step images)" >&2
  else
    tail -n 3 "$state/cache.log" >&2
    echo "buildah-push: warning: the layer cache was not pushed to $PARAM_CACHE_REPOSITORY; the next build may take longer" >&2
  fi
fi

image="$PARAM_IMAGE"
[ ! -s "$state/image-id" ] || image="$(cat "$state/image-id")"
buildah --storage-driver=vfs push \\
  --digestfile "$RESULT_IMAGE_DIGEST_PATH" "$@" "$image" "docker://$PARAM_IMAGE"
printf '%s' "$PARAM_IMAGE" > "$RESULT_IMAGE_URL_PATH"
echo "buildah-push: pushed $PARAM_IMAGE@$(cat "$RESULT_IMAGE_DIGEST_PATH")" >&2
`;
