import { DECODE_LITERAL_SH } from '../../literal-params';
import { AUTHFILE_SH, registryTlsFunction } from './registry-tls-script';

/**
 * The step script of the image-sources Task: OpenShift's `source.images`. POSIX sh, buildah and
 * coreutils (it runs in buildah's image). Arguments (Tekton expands array params into args):
 * `--insecure-registries HOST... --images N=IMAGE... --paths N=DEST=SOURCE...`, N the index of the
 * image source in the spec; DEST and SOURCE percent-encoded in %, $, = and blanks (imageSourcePathItem).
 *
 * Each image is pulled (the pull credentials, the registries' TLS settings) and read through
 * `buildah mount`, which vfs storage serves as a plain directory: no mount, no code of the image run.
 * Nothing is followed out of the image: a symbolic link on the way to a SOURCE (or on the way to a
 * DEST in the sources) is refused, and links inside a copied directory are copied as links.
 * Copied files keep their modes and times (the image's: the same image gives the same files; the
 * build's --timestamp sets every time in the layers anyway) and become root's, so that the steps
 * after this one, root without DAC_OVERRIDE, can read them.
 */
export const IMAGE_SOURCES_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "image-sources: $*" >&2; exit 1; }
${DECODE_LITERAL_SH}
${registryTlsFunction('image-sources')}
${AUTHFILE_SH}

# decode_item NAME VALUE: as decode_literal, and %3D is '=', %20 a blank (items are split at blanks).
decode_item() {
  decode_literal "$1" "$(printf '%sx' "$2" | sed -e 's/%3D/=/g' -e 's/%20/ /g')"
  eval "$1=\\"\\\${$1%x}\\""
}

# no_link ROOT PATH WHAT: fails when a component of PATH under ROOT is a symbolic link or '..'.
no_link() {
  _at="$1"
  _rest="\${2#/}"
  while [ -n "$_rest" ]; do
    _part="\${_rest%%/*}"
    case "$_rest" in */*) _rest="\${_rest#*/}";; *) _rest=;; esac
    case "$_part" in ''|.) continue;; ..) fail "$3 '$2' has a '..': name the path without it";; esac
    _at="$_at/$_part"
    [ ! -L "$_at" ] || fail "$3 '$2': '\${_at#"$1"}' is a symbolic link, which is not followed out of its image or sources: name the path it points to"
  done
}

mode=
insecure_hosts=
images=
paths=
for arg do
  case "$arg" in
    --insecure-registries) mode=insecure; continue;;
    --images) mode=images; continue;;
    --paths) mode=paths; continue;;
    --own-pull-secret) mode=own; continue;;
  esac
  case "$mode" in
    insecure) insecure_hosts="$insecure_hosts $arg";;
    images)
      case "$arg" in [0-9]*=?*) ;; *) fail "param IMAGE_SOURCES item '$arg' is not index=image";; esac
      case "\${arg%%=*}" in *[!0-9]*) fail "param IMAGE_SOURCES item '$arg' is not index=image";; esac
      case "\${arg#*=}" in -*|*[!A-Za-z0-9._:/@-]*) fail "param IMAGE_SOURCES item '$arg' has no image reference after '='";; esac
      images="$images $arg";;
    paths)
      case "$arg" in [0-9]*=*=?*) ;; *) fail "param IMAGE_SOURCE_PATHS item '$arg' is not index=destinationDir=sourcePath";; esac
      case "\${arg%%=*}" in *[!0-9]*) fail "param IMAGE_SOURCE_PATHS item '$arg' is not index=destinationDir=sourcePath";; esac
      paths="$paths $arg";;
    own)
      case "$arg" in ''|*[!0-9]*) fail "param OWN_PULL_SECRET item '$arg' is not an index";; esac
      own=" \${own:-}$arg ";;
    *) fail "unexpected argument '$arg'";;
  esac
done
own="\${own:-}"
[ -n "$paths" ] || fail "param IMAGE_SOURCE_PATHS is empty: nothing to copy"

# A source of images only: the workspace holds nothing else (a reused volume may hold an older build's files).
case "$PARAM_CLEAN" in true|false) ;; *) fail "param CLEAN must be 'true' or 'false', got '$PARAM_CLEAN'";; esac
mkdir -p "$WORKSPACE_SOURCE_PATH"
[ "$PARAM_CLEAN" = false ] || find "$WORKSPACE_SOURCE_PATH" -mindepth 1 -maxdepth 1 -exec rm -rf {} +

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# An inline Dockerfile wins over a file of the same name from an image, as in OpenShift.
keep=
if [ -n "$PARAM_KEEP" ] && [ -f "$WORKSPACE_SOURCE_PATH/$PARAM_KEEP" ]; then
  keep="$PARAM_KEEP"
  cp -p "$WORKSPACE_SOURCE_PATH/$keep" "$work/kept"
fi

build_authfile="$(authfile_of "$WORKSPACE_PULL_DOCKERCONFIG_BOUND" "$WORKSPACE_PULL_DOCKERCONFIG_PATH" pull-dockerconfig 'the pull secret')"
own_authfile="$(authfile_of "$WORKSPACE_IMAGES_PULL_DOCKERCONFIG_BOUND" "$WORKSPACE_IMAGES_PULL_DOCKERCONFIG_PATH" images-pull-dockerconfig 'the pull secret')"
[ -z "$own" ] || [ -n "$own_authfile" ] || fail "image sources $(echo $own) name their own pullSecret, but workspace images-pull-dockerconfig is not bound: bind it to that Secret"
# shellcheck disable=SC2086 # one host a word
registry_tls $insecure_hosts
# Items are split at blanks (they have none: encoded), never globbed.
set -f

copied=0
indexes="$(for item in $paths; do printf '%s\\n' "\${item%%=*}"; done | sort -n -u)"
for n in $indexes; do
  image=
  for item in $images; do [ "\${item%%=*}" != "$n" ] || image="\${item#*=}"; done
  authfile="$build_authfile"
  case "$own" in *" $n "*) authfile="$own_authfile";; esac
  [ -n "$image" ] || fail "image source $n has no image in param IMAGE_SOURCES: its stream tag is resolved by the controller for each build; start builds through it (a trigger or imagestreams start-build)"
  container="$(buildah --storage-driver=vfs from --quiet --pull-always \${authfile:+--authfile} \${authfile:+"$authfile"} "docker://$image")" \\
    || fail "cannot pull image source $n, $image"
  root="$(buildah --storage-driver=vfs mount "$container")"
  for item in $paths; do
    [ "\${item%%=*}" = "$n" ] || continue
    rest="\${item#*=}"
    decode_item dest "\${rest%%=*}"
    decode_item source "\${rest#*=}"
    case "$source" in /*) ;; *) fail "image source $n: sourcePath '$source' is not an absolute path in the image";; esac
    case "$dest" in /*) fail "image source $n: destinationDir '$dest' is absolute: it is relative to the sources' root";; esac
    no_link "$root" "$source" "image source $n: sourcePath"
    no_link "$WORKSPACE_SOURCE_PATH" "$dest" "image source $n: destinationDir"
    from="$root/\${source#/}"
    case "$source" in */.) [ -d "\${from%/.}" ] || fail "image source $n: '\${source%/.}' is not a directory of $image";; *) [ -e "$from" ] || fail "image source $n: $image has no '$source'";; esac
    # Staged first: made root's there, then put in place.
    stage="$work/stage"
    rm -rf "$stage"
    mkdir -p "$stage"
    cp -pR "$from" "$stage/"
    chown -R 0:0 "$stage"
    chmod -R u+rwX "$stage"
    mkdir -p "$WORKSPACE_SOURCE_PATH/$dest"
    cp -pR "$stage"/. "$WORKSPACE_SOURCE_PATH/$dest/"
    copied=$((copied + 1))
    echo "image-sources: $image:$source -> \${dest:-.}" >&2
  done
  buildah --storage-driver=vfs umount "$container" > /dev/null
  buildah --storage-driver=vfs rm "$container" > /dev/null
done
if [ -n "$keep" ]; then
  cp -p "$work/kept" "$WORKSPACE_SOURCE_PATH/$keep"
fi
echo "image-sources: $copied paths copied" >&2
`;
