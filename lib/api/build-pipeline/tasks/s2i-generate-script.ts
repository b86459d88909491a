import { DECODE_LITERAL_SH } from '../../literal-params';

/**
 * Writes the Dockerfile that `s2i build --as-dockerfile` would write: FROM the builder, the
 * sources in /tmp/src owned by the builder's user, RUN assemble, CMD run. POSIX sh and coreutils
 * only (busybox is enough). Arguments: `--builder-images lang=image ...` (an array param).
 * Two placeholders are left for the build step, which pulls the images: `@s2i-scripts@` (the
 * builder's scripts directory, from its io.openshift.s2i.scripts-url label) when SCRIPTS_URL is
 * empty, and `@s2i-previous@` (the output image by digest) in Dockerfile.incremental.
 */
export const S2I_GENERATE_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "s2i-generate: $*" >&2; exit 1; }
${DECODE_LITERAL_SH}

decode_literal context_dir "$PARAM_CONTEXT"
context="$WORKSPACE_SOURCE_PATH/$context_dir"
[ -d "$context" ] || fail "param CONTEXT '$context_dir' is not a directory of the source workspace"
out_name=.imagestreams-s2i
out="$WORKSPACE_SOURCE_PATH/$out_name"

# Marker files, most specific first (a Java app may also carry a package.json for its UI).
detect() {
  for pair in java:pom.xml java:build.gradle java:build.gradle.kts go:go.mod \\
      python:requirements.txt python:setup.py python:Pipfile python:pyproject.toml \\
      ruby:Gemfile php:composer.json dotnet:global.json nodejs:package.json php:index.php; do
    [ -f "$context/\${pair#*:}" ] && { echo "\${pair%%:*}"; return 0; }
  done
  return 1
}

builder_for() {
  want="$1"; shift
  for arg do
    case "$arg" in "$want="?*) echo "\${arg#*=}"; return 0;; esac
  done
  return 1
}

language="$PARAM_LANGUAGE"
if [ -n "$PARAM_BUILDER_IMAGE" ]; then
  builder="$PARAM_BUILDER_IMAGE"
  [ -n "$language" ] || language="$(detect)" || language=unknown
else
  [ -n "$language" ] || language="$(detect)" \\
    || fail "cannot detect the language of '$context_dir' (no pom.xml, go.mod, requirements.txt, Gemfile, composer.json, package.json ...): set param LANGUAGE or BUILDER_IMAGE"
  builder="$(builder_for "$language" "$@")" \\
    || fail "no builder image for language '$language' in param BUILDER_IMAGES: add '$language=<image>' or set param BUILDER_IMAGE"
fi

# Empty: the build step puts in the builder's io.openshift.s2i.scripts-url (it pulls the builder).
case "$PARAM_SCRIPTS_URL" in
  '') scripts=@s2i-scripts@;;
  image://*) scripts="\${PARAM_SCRIPTS_URL#image://}";;
  *) fail "param SCRIPTS_URL '$PARAM_SCRIPTS_URL' is not supported: use image:///path/in/builder";;
esac
check_bool() {
  case "$2" in true|false) ;; *) fail "param $1 must be 'true' or 'false', got '$2'";; esac
}
check_bool INCREMENTAL "$PARAM_INCREMENTAL"
case "$PARAM_BUILDER_USER" in ''|*[!0-9]*) fail "param BUILDER_USER must be a numeric uid, got '$PARAM_BUILDER_USER'";; esac

rm -rf "$out"
mkdir -p "$out/upload/src"
for entry in "$context"/* "$context"/.[!.]* "$context"/..?*; do
  [ -e "$entry" ] || continue
  case "\${entry##*/}" in .git|"$out_name") continue;; esac
  cp -R "$entry" "$out/upload/src/"
done

# dockerfile [ARTIFACTS]: ARTIFACTS non-empty: the previous image's save-artifacts output (a tar
# stream) is unpacked into /tmp/artifacts first, where assemble finds it (incremental builds).
dockerfile() {
  if [ -n "\${1-}" ]; then
    printf 'FROM @s2i-previous@ AS s2i-artifacts\n'
    printf 'RUN mkdir -p /tmp/artifacts && if [ -x %s/save-artifacts ]; then %s/save-artifacts | tar -x -f - -C /tmp/artifacts; fi\n' "$scripts" "$scripts"
  fi
  printf 'FROM %s\n' "$builder"
  printf 'LABEL io.openshift.s2i.build.image="%s" io.imagestreams.s2i.language="%s"\n' "$builder" "$language"
  printf 'USER root\n'
  [ -z "\${1-}" ] || printf 'COPY --from=s2i-artifacts /tmp/artifacts /tmp/artifacts\n'
  printf 'COPY upload/src /tmp/src\n'
  printf 'RUN chown -R %s:0 /tmp/src%s\n' "$PARAM_BUILDER_USER" "\${1:+ /tmp/artifacts}"
  printf 'USER %s\n' "$PARAM_BUILDER_USER"
  printf 'RUN %s/assemble\n' "$scripts"
  printf 'CMD %s/run\n' "$scripts"
}
dockerfile > "$out/Dockerfile"
# Incremental: a second Dockerfile, which the build step takes when the output image exists already.
[ "$PARAM_INCREMENTAL" = false ] || dockerfile artifacts > "$out/Dockerfile.incremental"

printf '%s' "$out_name" > "$RESULT_CONTEXT_PATH"
printf '%s' Dockerfile > "$RESULT_DOCKERFILE_PATH"
printf '%s' "$language" > "$RESULT_LANGUAGE_PATH"
printf '%s' "$builder" > "$RESULT_BUILDER_IMAGE_PATH"
echo "s2i-generate: $language source, builder $builder" >&2
`;
