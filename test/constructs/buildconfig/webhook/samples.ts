/** Trimmed push payloads with the fields the hosts document for a push to `main` (and a deletion). */
export const SHA = '3c1e0f4b6a7d8e9f0a1b2c3d4e5f60718293a4b5';
const ZERO = '0000000000000000000000000000000000000000';

export const githubPush = (ref = 'refs/heads/main', deleted = false) => ({
  ref, before: ZERO.replace(/^0/, '1'), after: deleted ? ZERO : SHA, created: false, deleted, forced: false,
  repository: { full_name: 'example/foo', clone_url: 'https://github.com/example/foo.git' },
  pusher: { name: 'octocat', email: 'octocat@example.com' },
});

export const gitlabPush = (ref = 'refs/heads/main', deleted = false) => ({
  object_kind: 'push', ref, before: ZERO, after: deleted ? ZERO : SHA, checkout_sha: deleted ? null : SHA,
  user_username: 'jsmith', project: { git_http_url: 'https://gitlab.example.com/example/foo.git' },
});

export const bitbucketPush = (name = 'main', type = 'branch', deleted = false) => ({
  actor: { display_name: 'Emma' },
  repository: { full_name: 'example/foo', links: { html: { href: 'https://bitbucket.org/example/foo' } } },
  push: { changes: [{ old: { type, name }, new: deleted ? null : { type, name, target: { type: 'commit', hash: SHA } } }] },
});

export const genericPush = (ref = 'refs/heads/main') => ({ ref, commit: SHA, pusher: 'release-bot' });
