import { DECODE_LITERAL_SH } from '../../literal-params';
import { DOCKERFILE_REWRITE_SH } from './dockerfile-rewrite-script';
import { AUTHFILE_SH, registryTlsFunction } from './registry-tls-script';

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
${AUTHFILE_SH}
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
check_bool CACHE_PUSH_FROM_BUILD "$PARAM_CACHE_PUSH_FROM_BUILD"
check_bool S2I "$PARAM_S2I"
check_bool SQUASH "$PARAM_SQUASH"
# No IMAGE: a BuildConfig without output (OpenShift builds it and pushes nothing). The image gets a
# local name; there is no layer cache to pull or push (it lives next to the output).
if [ -z "$PARAM_IMAGE" ]; then
  PARAM_IMAGE=localhost/imagestreams-build:latest
  PARAM_CACHE_REPOSITORY=
  echo "buildah-build: no output: the image is built and not pushed" >&2
fi

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
date -u +%Y-%m-%dT%H:%M:%SZ > "$state/started"

# Turn the marked lists into buildah flags, keeping each value one argument; ENV items become
# ENV instructions (below), so that RUN sees them as well as the image (buildah's --env does not).
# dockerfile_quote VALUE: VALUE as one double-quoted Dockerfile word (backslash, quote and dollar
# escaped with a backslash), taken as written by ENV and LABEL.
dockerfile_quote() {
  printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\\\"$]/\\\\&/g')"
}
# Labels go into one LABEL instruction at the end of the Dockerfile (with --layers, each --label
# would be a step of its own, each a copy of the root file system); a value with a line break stays a --label.
labels=
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
    printf 'ENV %s=%s\\n' "$name" "$(dockerfile_quote "\${arg#*=}")" >> "$work/env"
    continue
  fi
  if [ "$mode" = label ]; then
    case "$arg" in *"
"*) ;; *) labels="$labels $(dockerfile_quote "\${arg%%=*}")=$(dockerfile_quote "\${arg#*=}")"; continue;; esac
  fi
  set -- "$@" "--$mode" "$arg"
done

# As OpenShift's Docker strategy does: the image of the last FROM replaced by BASE_IMAGE, and the
# build's env after every FROM; beyond it, named stages' images replaced by STAGE_IMAGES.
case "$PARAM_BASE_IMAGE" in -*|*[!A-Za-z0-9._:/@-]*) fail "param BASE_IMAGE '$PARAM_BASE_IMAGE' is not an image reference";; esac
if [ -n "$PARAM_SOURCE_DATE_EPOCH" ]; then
  created="$(date -u -d "@$PARAM_SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
  labels="$labels $(dockerfile_quote org.opencontainers.image.created)=$(dockerfile_quote "$created")"
fi
# Always a copy: the labels (below) are its last instruction.
dockerfile="$state/Dockerfile"
# shellcheck disable=SC2086 # one stage=image item a word
rewrite_dockerfile "$dockerfile_path" "$dockerfile" "$work/env" "$PARAM_BASE_IMAGE" $stage_images

# Reproducible: every layer, history entry and the config carry one fixed time (the epoch), so the
# same sources on the same bases give the same digest, built from the cache or not (a commit's time
# would differ between layers reused from an older commit and layers built anew); --layers always,
# so that both have the same layers. The commit's time is the SOURCE_DATE_EPOCH build arg (for
# Dockerfiles that declare it) and the org.opencontainers.image.created label (above).
[ -z "$PARAM_SOURCE_DATE_EPOCH" ] || set -- "$@" --build-arg "SOURCE_DATE_EPOCH=$PARAM_SOURCE_DATE_EPOCH"
# OpenShift's imageOptimizationPolicy SkipLayers: the instructions make one layer over the base's, which
# is what buildah commits without --layers (its --squash would merge the base's layers in too); such
# a build has no per-step layers to cache.
if [ "$PARAM_SQUASH" = true ]; then layers=--layers=false; PARAM_CACHE_REPOSITORY=; else layers=--layers; fi
set -- --format="$PARAM_FORMAT" "$layers" --timestamp=0 -f "$dockerfile" -t "$PARAM_IMAGE" "$@"

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
  # When this step's pull credentials are the push credentials (one Secret for both, as the in-cluster
  # registry has), pushing the cache from here exposes nothing new, and spares the push step a replay.
  if [ "$PARAM_CACHE_PUSH_FROM_BUILD" = true ]; then
    set -- "$@" --cache-to "$PARAM_CACHE_REPOSITORY"
    : > "$state/cache-pushed"
  fi
fi

# The source's Secrets and ConfigMaps, after the replay was written: the push step never sees them.
# shellcheck disable=SC2086 # one flag or value a word (no blanks: checked)
[ -z "$input_args" ] || set -- "$@" $input_args

# Credentials for pulling base images (and the cache), seen by this step only.
authfile="$(authfile_of "$WORKSPACE_PULL_DOCKERCONFIG_BOUND" "$WORKSPACE_PULL_DOCKERCONFIG_PATH" pull-dockerconfig 'the pull secret')"

# shellcheck disable=SC2086 # one host a word
registry_tls $insecure_hosts

# pull_digest IMAGE: pulls IMAGE (with the pull credentials) and prints its manifest digest.
pull_digest() {
  buildah --storage-driver=vfs pull --quiet \${authfile:+--authfile} \${authfile:+"$authfile"} "$1" > /dev/null || return 1
  buildah --storage-driver=vfs inspect --type image --format '{{.FromImageDigest}}' "$1"
}
# repository_of IMAGE: IMAGE without its tag and digest.
repository_of() {
  _r="\${1%@*}"
  case "\${_r##*/}" in *:*) _r="\${_r%:*}";; esac
  printf '%s' "$_r"
}

# The pull credentials (never in the replay: the push step has its own).
[ -z "$authfile" ] || set -- "$@" --authfile "$authfile"

# S2I incremental builds (s2i-generate wrote Dockerfile.incremental): when the output image exists,
# its save-artifacts output is restored for assemble (the Dockerfile built is that one, rewritten
# as the other was); the first build is a plain one.
if [ "$PARAM_S2I" = true ] && [ -f "$dockerfile_path.incremental" ]; then
  if previous_digest="$(pull_digest "$PARAM_IMAGE" 2> "$work/previous.log")"; then
    previous="$(repository_of "$PARAM_IMAGE")@$previous_digest"
    sed "s|@s2i-previous@|$previous|g" "$dockerfile_path.incremental" > "$work/Dockerfile.incremental"
    # shellcheck disable=SC2086 # one stage=image item a word
    rewrite_dockerfile "$work/Dockerfile.incremental" "$dockerfile" "$work/env" "$PARAM_BASE_IMAGE" $stage_images
    echo "buildah-build: incremental: restoring the artifacts of $previous" >&2
  else
    echo "buildah-build: incremental: no previous image $PARAM_IMAGE to take artifacts from ($(tail -n 1 "$work/previous.log")): a full build" >&2
  fi
fi

# Provenance: the image the last stage starts from, by digest, is part of what makes the image what
# it is: labels org.opencontainers.image.base.name and .base.digest, and the result BASE_IMAGE
# (repository@digest) for the stream's history. A base named by tag is pulled first to know its digest.
base="$(final_base "$dockerfile")"
base_image=
if [ -n "$base" ]; then
  case "$base" in
    *@sha256:*) base_digest="\${base#*@}";;
    *) base_digest="$(pull_digest "$base")" || fail "cannot pull the base image $base";;
  esac
  case "$base_digest" in sha256:*) ;; *) fail "cannot tell the digest of the base image $base";; esac
  base_image="$(repository_of "$base")@$base_digest"
  labels="$labels $(dockerfile_quote org.opencontainers.image.base.name)=$(dockerfile_quote "\${base%@*}")"
  labels="$labels $(dockerfile_quote org.opencontainers.image.base.digest)=$(dockerfile_quote "$base_digest")"
fi
printf '%s' "$base_image" > "$RESULT_BASE_IMAGE_PATH"

# S2I: assemble and run where the builder's io.openshift.s2i.scripts-url label says (image:///path),
# else in /usr/libexec/s2i, as s2i looks them up.
if [ "$PARAM_S2I" = true ] && grep -q '@s2i-scripts@' "$dockerfile"; then
  [ -n "$base" ] || fail "S2I: the builder image is not known (the Dockerfile's last FROM)"
  # (a builder by digest was not pulled above; the build would pull it anyway)
  pull_digest "$base" > /dev/null || fail "cannot pull the S2I builder image $base"
  url="$(buildah --storage-driver=vfs inspect --type image --format '{{index .OCIv1.Config.Labels "io.openshift.s2i.scripts-url"}}' "$base")"
  case "$url" in
    ''|'<no value>') scripts=/usr/libexec/s2i;;
    image:///*) scripts="\${url#image://}";;
    *) fail "S2I: the builder $base says its scripts are at '$url' (label io.openshift.s2i.scripts-url): only image:///path is supported; set the strategy's scripts to image:///path/in/builder";;
  esac
  case "$scripts" in *[!A-Za-z0-9._/-]*) fail "S2I: the scripts path '$scripts' of the builder $base has characters other than letters, digits, . _ / -";; esac
  sed "s|@s2i-scripts@|$scripts|g" "$dockerfile" > "$dockerfile.s2i" && mv "$dockerfile.s2i" "$dockerfile"
  echo "buildah-build: S2I scripts from $scripts (the builder's io.openshift.s2i.scripts-url: \${url:-none})" >&2
fi
[ -z "$labels" ] || printf 'LABEL%s\\n' "$labels" >> "$dockerfile"

# The output is kept: when every step came from the cache, the push step has nothing to push to it.
{ buildah --storage-driver=vfs bud --isolation=chroot "$@" . && rc=0 || rc=$?; echo "$rc" > "$state/bud.rc"; } 2>&1 | tee "$state/bud.log"
rc="$(cat "$state/bud.rc")"
[ "$rc" = 0 ] || exit "$rc"
steps=$(grep -c '^STEP [0-9]*/[0-9]*: ' "$state/bud.log" || true)
froms=$(grep -c '^STEP [0-9]*/[0-9]*: FROM ' "$state/bud.log" || true)
hits=$(grep -c '^--> Using cache ' "$state/bud.log" || true)
[ "$hits" -lt $((steps - froms)) ] || : > "$state/all-cached"

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
${AUTHFILE_SH}

registry_tls "$@"
set --
authfile="$(authfile_of "$WORKSPACE_DOCKERCONFIG_BOUND" "$WORKSPACE_DOCKERCONFIG_PATH" dockerconfig 'the push secret')"
[ -z "$authfile" ] || set -- --authfile "$authfile"

# The layer cache: the build is replayed on the same storage with --cache-to, so that buildah
# pushes each step's image under its cache key. Every step is a cache hit; a RUN that were not
# would meet a runtime that runs nothing (/bin/false), so no code of the sources ever runs here,
# where the push credentials are.
state=/var/lib/containers/imagestreams
if [ -f "$state/cache-pushed" ]; then
  echo "buildah-push: the build step pushed the layer cache to $PARAM_CACHE_REPOSITORY" >&2
elif [ -f "$state/all-cached" ]; then
  echo "buildah-push: every step came from the layer cache: nothing new to push to it" >&2
elif [ -n "$PARAM_CACHE_REPOSITORY" ] && [ "$PARAM_NO_CACHE" = false ] && [ -f "$state/replay" ]; then
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
if [ -z "$PARAM_IMAGE" ]; then
  # No output: the digest the image would have, from a copy in a local layout; nothing is pushed.
  image="localhost/imagestreams-build:latest"
  [ ! -s "$state/image-id" ] || image="$(cat "$state/image-id")"
  buildah --storage-driver=vfs push --quiet --digestfile "$RESULT_IMAGE_DIGEST_PATH" "$image" "oci:$state/unpushed:image"
  : > "$RESULT_IMAGE_URL_PATH"
  echo "buildah-push: no output: built $(cat "$RESULT_IMAGE_DIGEST_PATH"), not pushed" >&2
  exit 0
fi
buildah --storage-driver=vfs push \\
  --digestfile "$RESULT_IMAGE_DIGEST_PATH" "$@" "$image" "docker://$PARAM_IMAGE"
printf '%s' "$PARAM_IMAGE" > "$RESULT_IMAGE_URL_PATH"
echo "buildah-push: pushed $PARAM_IMAGE@$(cat "$RESULT_IMAGE_DIGEST_PATH")" >&2
`;
