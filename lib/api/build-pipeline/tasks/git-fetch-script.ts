import { DECODE_LITERAL_SH } from '../../literal-params';
import { gitCredentialsFunction } from './git-credentials-script';

/**
 * POSIX sh, git and (for ssh) ssh only: runs in the git image of the git-fetch Task.
 * Credentials stay in a temp dir; HOME and global git config are never written.
 */
export const GIT_FETCH_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "git-fetch: $*" >&2; exit 1; }
${DECODE_LITERAL_SH}

checkout="$WORKSPACE_SOURCE_PATH"
# URL arrives percent-encoded in % and $ (lib/api/literal-params.ts), untouched by Tekton and the kubelet.
decode_literal url "$PARAM_URL"
[ -n "$url" ] || fail "param URL is empty: set the git repository to clone"
case "$url" in -*) fail "param URL starts with '-': git would read it as an option";; esac
# Credentials belong in the git-credentials secret, not in a URL that lands in logs and labels.
case "$url" in
  *://*) authority="\${url#*://}"; authority="\${authority%%/*}";;
  *) authority="\${url%%/*}";;  # scp-like user@host:path
esac
case "$url" in
  http://*|https://*) case "$authority" in *@*) fail "param URL has credentials in it: put them in the git-credentials secret (kubernetes.io/basic-auth)";; esac;;
  *) case "$authority" in *:*@*) fail "param URL has a password in it: put the credentials in the git-credentials secret";; esac;;
esac
case "$PARAM_DEPTH" in ''|*[!0-9]*) fail "param DEPTH must be a number (0 = full history), got '$PARAM_DEPTH'";; esac
case "$PARAM_SSH_INSECURE_IGNORE_HOST_KEY" in true|false) ;; *) fail "param SSH_INSECURE_IGNORE_HOST_KEY must be 'true' or 'false', got '$PARAM_SSH_INSECURE_IGNORE_HOST_KEY'";; esac
ssh_insecure_ignore_host_key="$PARAM_SSH_INSECURE_IGNORE_HOST_KEY"

# REVISION reaches git as an argument: never an option (--upload-pack=... runs a command), only a
# ref name or a commit (git check-ref-format), and --end-of-options below on top.
revision="$PARAM_REVISION"
case "$revision" in
  -*) fail "param REVISION '$revision' starts with '-': git would read it as an option; use a branch, tag or commit";;
  '') ;;
  *) git check-ref-format --allow-onelevel "$revision" || fail "param REVISION '$revision' is not a branch, tag or commit (git check-ref-format)";;
esac

secrets="$(mktemp -d)"
trap 'rm -rf "$secrets"' EXIT

# Config through the environment (git >= 2.31): works in functions and never touches HOME.
# A volume may belong to another uid than the step's: trust it.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*'

${gitCredentialsFunction('git-fetch', 'workspace git-credentials')}

[ "$WORKSPACE_GIT_CREDENTIALS_BOUND" = true ] && use_git_credentials "$WORKSPACE_GIT_CREDENTIALS_PATH"

# A reused volume may hold an older checkout: start from an empty directory.
mkdir -p "$checkout"
find "$checkout" -mindepth 1 -maxdepth 1 -exec rm -rf {} +

# No REVISION means the remote's HEAD (its default branch), never an assumed 'master'.
revision="\${revision:-HEAD}"
depth=""
[ "$PARAM_DEPTH" = 0 ] || depth="--depth=$PARAM_DEPTH"

git init --quiet "$checkout"
cd "$checkout"
git remote add origin "$url"
if ! git fetch --quiet $depth --end-of-options origin "$revision"; then
  # Some servers refuse a shallow fetch of an unadvertised commit: fall back to everything.
  echo "git-fetch: fetching $revision alone failed, fetching all refs" >&2
  git fetch --quiet origin '+refs/heads/*:refs/remotes/origin/*' '+refs/tags/*:refs/tags/*' \\
    || fail "cannot fetch from '$url'"
  commit="$(git rev-parse --verify --quiet --end-of-options "$revision^{commit}")" \\
    || fail "revision '$revision' not found in '$url'"
  git checkout --quiet --detach "$commit"
else
  git checkout --quiet --detach FETCH_HEAD
fi

commit="$(git rev-parse HEAD)"
printf '%s' "$commit" > "$RESULT_COMMIT_PATH"
git log -1 --format=%ct HEAD | tr -d '\n' > "$RESULT_SOURCE_DATE_EPOCH_PATH"
# Encoded as it came: the result goes on as the value of a build param (a label).
printf '%s' "$PARAM_URL" > "$RESULT_URL_PATH"
echo "git-fetch: $url at \${PARAM_REVISION:-the default branch} is $commit" >&2
`;
