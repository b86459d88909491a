import { gitCredentialsFunction } from '../../../lib/api/build-pipeline/tasks/git-credentials-script';

/**
 * The two steps of a git poll, POSIX sh each. The first runs in the git image, the second in the
 * curl image; they share the commit through a file. Every input is an environment variable.
 */

/**
 * `git ls-remote` of one branch → COMMIT_FILE. Env: GIT_URL, GIT_REF (refs/heads/x), COMMIT_FILE,
 * CREDENTIALS_DIR ('' or a mounted kubernetes.io/basic-auth or ssh-auth Secret), SSH_INSECURE_IGNORE_HOST_KEY
 * (true: an ssh-auth secret without known_hosts is used anyway). HOME is never written.
 */
export const LS_REMOTE_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "git-poll: $*" >&2; exit 1; }

secrets="$(mktemp -d)"
trap 'rm -rf "$secrets"' EXIT
export GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1

${gitCredentialsFunction('git-poll', 'the source secret')}

ssh_insecure_ignore_host_key="\${SSH_INSECURE_IGNORE_HOST_KEY:-false}"
[ -z "$CREDENTIALS_DIR" ] || use_git_credentials "$CREDENTIALS_DIR"

case "$GIT_URL" in -*) fail "GIT_URL starts with '-': git would read it as an option";; esac
refs="$(git ls-remote --refs --end-of-options "$GIT_URL" "$GIT_REF")" || fail "git ls-remote '$GIT_URL' failed"
# ls-remote matches patterns by their tail: keep the exact ref only.
commit="$(printf '%s\\n' "$refs" | awk -v ref="$GIT_REF" '$2 == ref { print $1 }')"
[ -n "$commit" ] || fail "'$GIT_URL' has no branch $GIT_REF"
case "$commit" in *[!0-9a-f]*) fail "unexpected ls-remote output: $refs";; esac
printf '%s\\n' "$commit" > "$COMMIT_FILE"
echo "git-poll: $GIT_REF of $GIT_URL is at $commit"
`;

/**
 * Creates the pending PipelineRun of COMMIT_FILE's commit, named RUN_NAME_PREFIX + its first 12
 * hex digits: 201 = a new commit, a build; 409 AlreadyExists = seen before, nothing to do. Env:
 * COMMIT_FILE, RUN_TEMPLATE (JSON with @@COMMIT@@ and @@NAME@@), RUN_NAME_PREFIX, API_SERVER,
 * NAMESPACE, SERVICE_ACCOUNT_DIR (token, ca.crt).
 */
export const CREATE_RUN_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "git-poll: $*" >&2; exit 1; }

commit="$(cat "$COMMIT_FILE")"
case "$commit" in ''|*[!0-9a-f]*) fail "no commit in $COMMIT_FILE";; esac
name="$RUN_NAME_PREFIX$(printf '%s' "$commit" | cut -c1-12)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Only hex digits and a DNS label go into the template: nothing sed could misread.
printf '%s' "$RUN_TEMPLATE" | sed -e "s/@@COMMIT@@/$commit/g" -e "s/@@NAME@@/$name/g" > "$work/run.json"
# The token goes in a header file, never on a command line.
printf 'Authorization: Bearer %s\\n' "$(cat "$SERVICE_ACCOUNT_DIR/token")" > "$work/headers"

status="$(curl --silent --show-error --request POST --cacert "$SERVICE_ACCOUNT_DIR/ca.crt" \\
  --header @"$work/headers" --header 'Content-Type: application/json' --data-binary @"$work/run.json" \\
  --output "$work/reply" --write-out '%{http_code}' \\
  "$API_SERVER/apis/tekton.dev/v1/namespaces/$NAMESPACE/pipelineruns")" || fail "cannot reach $API_SERVER"

case "$status" in
  201) echo "git-poll: new commit $commit: created PipelineRun $name" ;;
  409) echo "git-poll: commit $commit already has PipelineRun $name: nothing to do" ;;
  *) fail "creating PipelineRun $name: HTTP $status: $(cat "$work/reply")" ;;
esac
`;
