import { gitCredentialsFunction } from './git-credentials-script';

/**
 * POSIX sh, git and (for ssh) ssh only: runs in the git image of the git-fetch Task.
 * Credentials stay in a temp dir; HOME and global git config are never written.
 */
export const GIT_FETCH_SCRIPT = `#!/bin/sh
set -eu

fail() { echo "git-fetch: $*" >&2; exit 1; }

checkout="$WORKSPACE_SOURCE_PATH"
[ -n "$PARAM_URL" ] || fail "param URL is empty: set the git repository to clone"
case "$PARAM_DEPTH" in ''|*[!0-9]*) fail "param DEPTH must be a number (0 = full history), got '$PARAM_DEPTH'";; esac

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
revision="\${PARAM_REVISION:-HEAD}"
depth=""
[ "$PARAM_DEPTH" = 0 ] || depth="--depth=$PARAM_DEPTH"

git init --quiet "$checkout"
cd "$checkout"
git remote add origin "$PARAM_URL"
if ! git fetch --quiet $depth origin "$revision"; then
  # Some servers refuse a shallow fetch of an unadvertised commit: fall back to everything.
  echo "git-fetch: fetching $revision alone failed, fetching all refs" >&2
  git fetch --quiet origin '+refs/heads/*:refs/remotes/origin/*' '+refs/tags/*:refs/tags/*' \\
    || fail "cannot fetch from '$PARAM_URL'"
  git rev-parse --verify --quiet "$revision^{commit}" >/dev/null \\
    || fail "revision '$revision' not found in '$PARAM_URL'"
  git checkout --quiet --detach "$revision^{commit}"
else
  git checkout --quiet --detach FETCH_HEAD
fi

commit="$(git rev-parse HEAD)"
printf '%s' "$commit" > "$RESULT_COMMIT_PATH"
printf '%s' "$PARAM_URL" > "$RESULT_URL_PATH"
echo "git-fetch: $PARAM_URL at \${PARAM_REVISION:-the default branch} is $commit" >&2
`;
