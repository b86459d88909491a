import { DECODE_LITERAL_SH } from '../../../../lib/api/literal-params';

/**
 * The step script of the buildpacks Task: runs the CNB lifecycle's `creator` (detect, analyze,
 * restore, build, export in one process) and reads the pushed digest from its report.toml.
 * POSIX sh only: it runs in the builder image. Arguments: `--insecure-registries HOST... --envs
 * NAME=value ...` (array params).
 * @see https://github.com/buildpacks/spec/blob/main/platform.md
 */
export const BUILDPACKS_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "buildpacks: $*" >&2; exit 1; }
${DECODE_LITERAL_SH}

[ -n "$PARAM_IMAGE" ] || fail "param IMAGE is empty: set the image reference to push to"
decode_literal context_dir "$PARAM_CONTEXT"
context="$WORKSPACE_SOURCE_PATH/$context_dir"
[ -d "$context" ] || fail "param CONTEXT '$context_dir' is not a directory of the source workspace"

# Everything the lifecycle writes lives in a private directory owned by this (the CNB) user:
# the sources belong to the clone step's user, and buildpacks write into the app directory.
work="$(mktemp -d)"
mkdir -p "$work/app" "$work/layers" "$work/platform/env" "$work/cache"
cp -R "$context/." "$work/app/"
rm -rf "$work/app/.git"

# Build-time env, as the platform spec has it: one file per variable in <platform>/env.
mode=
insecure_hosts=
for item do
  case "$item" in --insecure-registries) mode=insecure; continue;; --envs) mode=env; continue;; esac
  if [ "$mode" = insecure ]; then
    case "$item" in ''|-*|*[!a-z0-9.:[\]-]*) fail "param INSECURE_REGISTRIES item '$item' is not a registry host[:port]";; esac
    insecure_hosts="$insecure_hosts $item"
    continue
  fi
  decode_literal item "$item"
  name="\${item%%=*}"
  case "$name" in ''|*[!A-Za-z0-9_]*|[0-9]*) fail "param ENV item '$item' is not NAME=value";; esac
  printf '%s' "\${item#*=}" > "$work/platform/env/$name"
done
set --

if [ "$WORKSPACE_DOCKERCONFIG_BOUND" = true ]; then
  dir="$WORKSPACE_DOCKERCONFIG_PATH"
  mkdir -p "$work/docker"
  if [ -f "$dir/.dockerconfigjson" ]; then cp "$dir/.dockerconfigjson" "$work/docker/config.json"
  elif [ -f "$dir/config.json" ]; then cp "$dir/config.json" "$work/docker/config.json"
  else fail "workspace dockerconfig has no .dockerconfigjson (kubernetes.io/dockerconfigjson secret) nor config.json"
  fi
  export DOCKER_CONFIG="$work/docker"
fi
# TLS per registry: -insecure-registry for the INSECURE_REGISTRIES hosts only; private CAs (the
# registry-cas workspace, <host>/ca.crt) join the system's through SSL_CERT_DIR (Go's crypto/x509).
for host in $insecure_hosts; do set -- "$@" -insecure-registry "$host"; done
if [ "$WORKSPACE_REGISTRY_CAS_BOUND" = true ]; then
  mkdir -p "$work/cas"
  for ca in "$WORKSPACE_REGISTRY_CAS_PATH"/*/ca.crt; do
    [ -f "$ca" ] || continue
    ca_host="\${ca%/ca.crt}"
    cp "$ca" "$work/cas/\${ca_host##*/}.crt"
  done
  export SSL_CERT_DIR="$work/cas"
fi

# Builder images keep the lifecycle in /cnb/lifecycle.
PATH="/cnb/lifecycle:$PATH"
command -v creator >/dev/null || fail "no lifecycle 'creator' in /cnb/lifecycle: param BUILDER_IMAGE must be a Cloud Native Buildpacks builder"
creator -app="$work/app" -layers="$work/layers" -platform="$work/platform" -cache-dir="$work/cache" \\
  -uid="$CNB_USER_ID" -gid="$CNB_GROUP_ID" -report="$work/report.toml" "$@" "$PARAM_IMAGE"

# report.toml: [image] tags = [...], digest = "sha256:..." (platform API >= 0.4).
digest="$(sed -n 's/^[[:space:]]*digest[[:space:]]*=[[:space:]]*"\\(sha256:[0-9a-f]\\{64\\}\\)".*/\\1/p' "$work/report.toml" | head -n 1)"
[ -n "$digest" ] || fail "the lifecycle's report.toml has no image digest"
printf '%s' "$digest" > "$RESULT_IMAGE_DIGEST_PATH"
printf '%s' "$PARAM_IMAGE" > "$RESULT_IMAGE_URL_PATH"
echo "buildpacks: pushed $PARAM_IMAGE@$digest" >&2
`;
