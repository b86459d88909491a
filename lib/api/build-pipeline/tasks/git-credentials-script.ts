/**
 * The POSIX sh function `use_git_credentials DIR` shared by the git-fetch Task and the git poll: it
 * makes git use a mounted kubernetes.io/basic-auth (username, password) or kubernetes.io/ssh-auth
 * (ssh-privatekey, known_hosts) Secret without writing HOME or any git config file. An ssh-auth
 * secret without known_hosts is refused unless `$ssh_insecure_ignore_host_key` is `true` (the
 * source's explicit `insecureIgnoreHostKey`); Tekton's git-clone takes known_hosts from the same key.
 * The calling script defines `fail`, `$secrets` (a private temp dir) and `$ssh_insecure_ignore_host_key`.
 *
 * @param tool the prefix of messages, e.g. `git-fetch`
 * @param what how messages name DIR, e.g. `workspace git-credentials`
 */
export function gitCredentialsFunction(tool: string, what: string): string {
  return `use_git_credentials() {
  dir="$1"
  if [ -f "$dir/username" ] && [ -f "$dir/password" ]; then
    # A helper that answers from the secret's files: nothing to percent-encode, nothing written.
    printf '#!/bin/sh\\n[ "$1" = get ] || exit 0\\necho "username=$(cat "%s/username")"\\necho "password=$(cat "%s/password")"\\n' "$dir" "$dir" > "$secrets/helper"
    chmod 700 "$secrets/helper"
    # Appended to the config in the environment (git >= 2.31); the empty value first drops the image's helpers.
    n="\${GIT_CONFIG_COUNT:-0}"
    eval "export GIT_CONFIG_KEY_$n=credential.helper GIT_CONFIG_VALUE_$n="
    eval "export GIT_CONFIG_KEY_$((n + 1))=credential.helper GIT_CONFIG_VALUE_$((n + 1))=\\"\\$secrets/helper\\""
    export GIT_CONFIG_COUNT=$((n + 2))
    echo "${tool}: using basic-auth credentials from ${what}" >&2
  elif [ -f "$dir/ssh-privatekey" ]; then
    cp "$dir/ssh-privatekey" "$secrets/id"
    chmod 600 "$secrets/id"
    if [ -f "$dir/known_hosts" ]; then
      hostkeys="-o StrictHostKeyChecking=yes -o UserKnownHostsFile=$dir/known_hosts"
    elif [ "$ssh_insecure_ignore_host_key" = true ]; then
      echo "${tool}: warning: host keys are not checked (insecureIgnoreHostKey): anyone on the way to the git host can serve other sources" >&2
      hostkeys="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
    else
      fail "${what} has no known_hosts: add the git host's keys (ssh-keyscan HOST) under the key known_hosts, or set insecureIgnoreHostKey on the source to skip host key checks"
    fi
    export GIT_SSH_COMMAND="ssh -i $secrets/id -o IdentitiesOnly=yes $hostkeys"
    echo "${tool}: using ssh-auth credentials from ${what}" >&2
  elif [ -z "$(ls "$dir")" ]; then  # ls hides the ..data links of secret volumes
    fail "${what} is bound but empty: bind a kubernetes.io/basic-auth secret (keys username, password) or a kubernetes.io/ssh-auth secret (key ssh-privatekey)"
  else
    fail "${what} has keys [$(ls "$dir" | tr '\\n' ' ' | sed 's/ $//')] but needs username and password (kubernetes.io/basic-auth) or ssh-privatekey (kubernetes.io/ssh-auth)"
  fi
}`;
}
