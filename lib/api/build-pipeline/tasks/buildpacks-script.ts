import { DECODE_LITERAL_SH } from '../../literal-params';
import { AUTHFILE_SH } from './registry-tls-script';

/**
 * The step scripts of the buildpacks Task, one per phase of the CNB lifecycle. POSIX sh only: they
 * run in the builder image. The lifecycle's directories come in the spec's own env vars
 * (CNB_APP_DIR, CNB_LAYERS_DIR, CNB_PLATFORM_DIR), which the lifecycle reads too.
 * @see https://github.com/buildpacks/spec/blob/platform/v0.13/platform.md
 */

const PRELUDE = `#!/bin/sh
set -eu

fail() { echo "buildpacks: $*" >&2; exit 1; }`;

/** `lifecycle NAME`: fails unless the builder has the lifecycle's NAME binary. */
const LIFECYCLE_SH = `# Builder images keep the lifecycle in /cnb/lifecycle.
PATH="/cnb/lifecycle:$PATH"
lifecycle() {
  command -v "$1" >/dev/null || fail "no lifecycle '$1' in /cnb/lifecycle: param BUILDER_IMAGE must be a Cloud Native Buildpacks builder"
}`;

/**
 * What the two steps that reach registries (analyze, export) share. The args are the
 * INSECURE_REGISTRIES hosts; they become the `-insecure-registry=HOST` flags in "$@". The push
 * credentials and private CAs are copied into a directory of this container, removed on exit:
 * nothing of them reaches the volumes the other steps share.
 */
const REGISTRY_ACCESS_SH = `${AUTHFILE_SH}

[ -n "$PARAM_IMAGE" ] || fail "param IMAGE is empty: set the image reference to push to"
# TLS per registry: -insecure-registry for the INSECURE_REGISTRIES hosts only.
for host do
  case "$host" in ''|-*|*[!a-z0-9.:[\\]-]*) fail "param INSECURE_REGISTRIES item '$host' is not a registry host[:port]";; esac
  set -- "$@" "-insecure-registry=$host"
  shift
done

private="$(mktemp -d)"
trap 'rm -rf "$private"' EXIT
authfile="$(authfile_of "$WORKSPACE_DOCKERCONFIG_BOUND" "$WORKSPACE_DOCKERCONFIG_PATH" dockerconfig 'the push secret')"
if [ -n "$authfile" ]; then
  mkdir "$private/docker"
  cp "$authfile" "$private/docker/config.json"
  export DOCKER_CONFIG="$private/docker"
fi
# Private CAs (the registry-cas workspace, <host>/ca.crt) join the system's through SSL_CERT_DIR
# (Go's crypto/x509 still reads the system bundle file).
if [ "$WORKSPACE_REGISTRY_CAS_BOUND" = true ]; then
  mkdir "$private/cas"
  for ca in "$WORKSPACE_REGISTRY_CAS_PATH"/*/ca.crt; do
    [ -f "$ca" ] || continue
    ca_host="\${ca%/ca.crt}"
    cp "$ca" "$private/cas/\${ca_host##*/}.crt"
  done
  export SSL_CERT_DIR="$private/cas"
fi`;

/**
 * prepare: no lifecycle, no registry. Copies CONTEXT of the sources into the app directory (the
 * sources belong to the clone step's user, and buildpacks write into the app directory) and
 * writes the build-time env as the spec has it: one file per variable in <platform>/env.
 * Arguments: the ENV items, NAME=value, percent-encoded in % and $ (lib/api/literal-params.ts).
 */
export const PREPARE_SCRIPT = `${PRELUDE}
${DECODE_LITERAL_SH}

decode_literal context_dir "$PARAM_CONTEXT"
context="$WORKSPACE_SOURCE_PATH/$context_dir"
[ -d "$context" ] || fail "param CONTEXT '$context_dir' is not a directory of the source workspace"
cp -R "$context/." "$CNB_APP_DIR/"
rm -rf "$CNB_APP_DIR/.git"

mkdir -p "$CNB_PLATFORM_DIR/env"
for item do
  decode_literal item "$item"
  name="\${item%%=*}"
  case "$item" in *=*) ;; *) name=;; esac
  case "$name" in ''|*[!A-Za-z0-9_]*|[0-9]*) fail "param ENV item '$item' is not NAME=value";; esac
  printf '%s' "\${item#*=}" > "$CNB_PLATFORM_DIR/env/$name"
done
`;

/**
 * analyze: the analyzer checks it may write IMAGE and read the run image, and reads the previous
 * image's metadata (and SBOM layer) into <layers>. Push credentials and registry TLS.
 * Arguments: the INSECURE_REGISTRIES hosts.
 */
export const ANALYZE_SCRIPT = `${PRELUDE}
${LIFECYCLE_SH}
${REGISTRY_ACCESS_SH}

lifecycle analyzer
analyzer "$@" "$PARAM_IMAGE"
`;

/** A phase that reaches no registry and is given nothing but its env (detect, restore, build). */
function localPhaseScript(binary: string): string {
  return `${PRELUDE}
${LIFECYCLE_SH}

lifecycle ${binary}
exec ${binary}
`;
}

/** detect: the buildpacks' detect scripts pick the group; no credentials. */
export const DETECT_SCRIPT = localPhaseScript('detector');
/** restore: layer metadata from analyzed.toml; there is no cache image, so no registry and no credentials. */
export const RESTORE_SCRIPT = localPhaseScript('restorer');
/** build: runs the buildpacks, that is the user's code and its dependencies; no credentials. */
export const BUILD_SCRIPT = localPhaseScript('builder');

/**
 * export: the exporter pushes the image and writes report.toml (into this container only, where no
 * other step can leave one), whose digest becomes IMAGE_DIGEST. Push credentials and registry TLS.
 * Arguments: the INSECURE_REGISTRIES hosts.
 */
export const EXPORT_SCRIPT = `${PRELUDE}
${LIFECYCLE_SH}
${REGISTRY_ACCESS_SH}

lifecycle exporter
exporter "$@" -report="$private/report.toml" "$PARAM_IMAGE"

# report.toml: [image] tags = [...], digest = "sha256:..." (platform API >= 0.4).
[ -f "$private/report.toml" ] || fail "the lifecycle's exporter wrote no report.toml"
digest="$(sed -n 's/^[[:space:]]*digest[[:space:]]*=[[:space:]]*"\\(sha256:[0-9a-f]\\{64\\}\\)".*/\\1/p' "$private/report.toml" | head -n 1)"
[ -n "$digest" ] || fail "the lifecycle's report.toml has no image digest"
printf '%s' "$digest" > "$RESULT_IMAGE_DIGEST_PATH"
printf '%s' "$PARAM_IMAGE" > "$RESULT_IMAGE_URL_PATH"
echo "buildpacks: pushed $PARAM_IMAGE@$digest" >&2
`;
