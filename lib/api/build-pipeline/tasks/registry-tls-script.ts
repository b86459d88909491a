/**
 * The POSIX sh function `registry_tls HOST...` of the buildah steps: TLS per registry, as
 * containers-registries.conf(5) and containers-certs.d(5) have it, in a private HOME that
 * containers/image reads as root too:
 * - each HOST gets `[[registry]] location = HOST, insecure = true` in
 *   `$HOME/.config/containers/registries.conf.d/` (a drop-in over the image's own registries.conf):
 *   plain http or unverified https for that host, and for no other;
 * - the `registry-cas` workspace (`<host>/ca.crt` files) becomes `$HOME/.config/containers/certs.d`,
 *   where each CA is trusted for its host, besides the system's CAs.
 * `--tls-verify` is never passed: it would switch verification off (or on) for every registry.
 * The calling script defines `fail` and sets WORKSPACE_REGISTRY_CAS_BOUND / _PATH.
 */
export function registryTlsFunction(tool: string): string {
  return `registry_tls() {
  HOME="$(mktemp -d)"
  export HOME
  conf="$HOME/.config/containers"
  mkdir -p "$conf/registries.conf.d"
  if [ "$WORKSPACE_REGISTRY_CAS_BOUND" = true ]; then
    ln -s "$WORKSPACE_REGISTRY_CAS_PATH" "$conf/certs.d"
    for ca in "$WORKSPACE_REGISTRY_CAS_PATH"/*/ca.crt; do
      [ -f "$ca" ] || continue
      ca_host="\${ca%/ca.crt}"
      echo "${tool}: \${ca_host##*/}: trusting its CA from the registry-cas workspace" >&2
    done
  fi
  for host do
    case "$host" in ''|-*|*[!a-z0-9.:[\\]-]*) fail "param INSECURE_REGISTRIES item '$host' is not a registry host[:port]";; esac
    printf '[[registry]]\\nlocation = "%s"\\ninsecure = true\\n\\n' "$host" >> "$conf/registries.conf.d/50-imagestreams-insecure.conf"
    echo "${tool}: $host: plain http or unverified https (insecure), for this registry only" >&2
  done
}`;
}

/**
 * The steps' registry credentials, from a dockerconfigjson Secret's workspace:
 * - \`check_authfile FILE WHAT\`: a dockerconfigjson must be a JSON object; anything else is reported
 *   by what it is (the workspace of the named Secret), never by quoting it. buildah's own errors on
 *   a malformed file name the file, not its content.
 * - \`authfile_of BOUND PATH WORKSPACE WHAT\`: prints the workspace's file (.dockerconfigjson, or
 *   config.json), checked; nothing when the workspace is not bound. Call it as \`x="$(authfile_of …)"\`
 *   under \`set -e\`, so that its failure ends the step.
 */
export const AUTHFILE_SH = `check_authfile() {
  first="$(tr -d ' \\t\\r\\n' < "$1" | head -c 1)"
  [ "$first" = '{' ] || fail "$2 is not a kubernetes.io/dockerconfigjson (a JSON object with \\"auths\\"): check the Secret it is bound to (its content is not shown)"
}
authfile_of() {
  [ "$1" = true ] || return 0
  if [ -f "$2/.dockerconfigjson" ]; then _file="$2/.dockerconfigjson"
  elif [ -f "$2/config.json" ]; then _file="$2/config.json"
  else fail "workspace $3 has no .dockerconfigjson (kubernetes.io/dockerconfigjson secret) nor config.json"
  fi
  check_authfile "$_file" "$4 (workspace $3)"
  printf '%s' "$_file"
}`;
