import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gitWebhookPath, pushMatchesSource } from '../../../../lib/api/git-webhook';
import { hubSignature } from '../../../../lib/runtime/receiver/authenticate';
import { parseBitbucket } from '../../../../lib/runtime/receiver/git-webhooks/bitbucket';
import { parseGeneric } from '../../../../lib/runtime/receiver/git-webhooks/generic';
import { parseGitHub } from '../../../../lib/runtime/receiver/git-webhooks/github';
import { parseGitLab } from '../../../../lib/runtime/receiver/git-webhooks/gitlab';
import { RateLimit } from '../../../../lib/runtime/receiver/git-webhooks/rate-limit';
import { gitWebhookRoute } from '../../../../lib/runtime/receiver/git-webhooks/route';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const json = { 'content-type': 'application/json' };

describe('GitHub push payloads', () => {
  const push = (extra: object = {}) => JSON.stringify({ ref: 'refs/heads/main', after: SHA, head_commit: { id: SHA }, pusher: { name: 'ada' }, repository: { clone_url: 'https://github.com/team/app.git' }, ...extra });

  it('read the ref, the head commit, the pusher and the repository', () => {
    expect(parseGitHub({ ...json, 'x-github-event': 'push' }, push())).toEqual({ kind: 'push', refs: [{ ref: 'refs/heads/main', commit: SHA }], pusher: 'ada', repository: 'https://github.com/team/app.git' });
  });

  it('build nothing for a ping or a deleted branch', () => {
    expect(parseGitHub({ 'x-github-event': 'ping' }, '{}')).toEqual({ kind: 'ignore', reason: 'ping' });
    expect(parseGitHub({ ...json, 'x-github-event': 'push' }, push({ deleted: true, after: '0'.repeat(40), head_commit: null }))).toEqual({ kind: 'ignore', reason: 'refs/heads/main was deleted' });
  });

  it('refuse other events, a form-encoded body and a commit that is not a full id, as OpenShift does', () => {
    expect(() => parseGitHub({ ...json }, push())).toThrowError('missing X-GitHub-Event');
    expect(() => parseGitHub({ ...json, 'x-github-event': 'issues' }, '{}')).toThrowError('unknown X-GitHub-Event "issues": only push events start builds');
    expect(() => parseGitHub({ 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push' }, 'payload=%7B%7D'))
      .toThrowError('unsupported Content-Type "application/x-www-form-urlencoded": set the GitHub webhook\'s content type to application/json');
    expect(() => parseGitHub({ ...json, 'x-github-event': 'push' }, push({ head_commit: { id: '--upload-pack=touch /tmp/x' } }))).toThrowError('GitHub payload\'s commit is not a full commit id');
  });
});

describe('GitLab push payloads', () => {
  it('read checkout_sha, and build nothing for a deleted branch (checkout_sha null)', () => {
    const body = (checkout: string | null) => JSON.stringify({ ref: 'refs/heads/main', after: checkout ?? '0'.repeat(40), checkout_sha: checkout, user_username: 'grace', project: { git_http_url: 'https://gitlab.com/team/app.git' } });
    expect(parseGitLab({ ...json, 'x-gitlab-event': 'Push Hook' }, body(SHA))).toEqual({ kind: 'push', refs: [{ ref: 'refs/heads/main', commit: SHA }], pusher: 'grace', repository: 'https://gitlab.com/team/app.git' });
    expect(parseGitLab({ ...json, 'x-gitlab-event': 'Push Hook' }, body(null))).toEqual({ kind: 'ignore', reason: 'refs/heads/main was deleted' });
    expect(() => parseGitLab({ ...json, 'x-gitlab-event': 'Tag Push Hook' }, body(SHA))).toThrowError('unknown X-Gitlab-Event "Tag Push Hook": only push events start builds');
  });
});

describe('Bitbucket push payloads', () => {
  it('read each moved branch of Bitbucket Cloud, leaving out deleted branches and tags', () => {
    const body = JSON.stringify({ push: { changes: [
      { new: null, old: { type: 'branch', name: 'gone' } },
      { new: { type: 'tag', name: 'v1', target: { hash: SHA } } },
      { new: { type: 'branch', name: 'main', target: { hash: SHA } } },
    ] }, actor: { display_name: 'Linus' } });
    expect(parseBitbucket({ ...json, 'x-event-key': 'repo:push' }, body)).toEqual({ kind: 'push', refs: [{ ref: 'refs/heads/main', commit: SHA }], pusher: 'Linus' });
  });

  it('read Bitbucket Data Center\'s repo:refs_changed', () => {
    const body = JSON.stringify({ actor: { name: 'admin' }, changes: [{ ref: { id: 'refs/heads/main', type: 'BRANCH' }, toHash: SHA, type: 'UPDATE' }, { ref: { id: 'refs/heads/old', type: 'BRANCH' }, toHash: '0'.repeat(40), type: 'DELETE' }] });
    expect(parseBitbucket({ ...json, 'x-event-key': 'repo:refs_changed' }, body)).toEqual({ kind: 'push', refs: [{ ref: 'refs/heads/main', commit: SHA }], pusher: 'admin' });
  });
});

describe('generic payloads', () => {
  it('build the BuildConfig\'s ref without a body, or with a body of another type (ignored, with a warning)', () => {
    expect(parseGeneric({}, '')).toEqual({ kind: 'build' });
    expect(parseGeneric({ 'content-type': 'text/plain' }, 'hello')).toEqual({ kind: 'build', warning: 'invalid Content-Type on payload, ignoring payload and continuing with build' });
  });

  it('read git.ref, git.commit, the author and env, from YAML too; git.refs as several refs', () => {
    const yaml = `git:\n  uri: https://git.example.com/app.git\n  ref: main\n  commit: ${SHA}\n  author:\n    name: Ken\nenv:\n- name: A\n  value: "1"\n`;
    expect(parseGeneric({ 'content-type': 'application/yaml' }, yaml)).toEqual({ kind: 'push', refs: [{ ref: 'main', commit: SHA }], env: { A: '1' }, pusher: 'Ken', repository: 'https://git.example.com/app.git' });
    expect(parseGeneric(json, JSON.stringify({ git: { refs: [{ ref: 'a' }, { ref: 'b', commit: SHA }] } }))).toMatchObject({ refs: [{ ref: 'a' }, { ref: 'b', commit: SHA }] });
  });

  it('read this project\'s own generic format too ({ ref, commit, pusher }), so that its branch counts', () => {
    expect(parseGeneric(json, JSON.stringify({ ref: 'refs/heads/main', commit: SHA, pusher: 'release-bot' }))).toEqual({ kind: 'push', refs: [{ ref: 'refs/heads/main', commit: SHA }], pusher: 'release-bot' });
  });

  it('refuse env items that are no { name, value }, a short commit, and YAML aliases', () => {
    expect(() => parseGeneric(json, JSON.stringify({ env: [{ name: 'A', valueFrom: { secretKeyRef: {} } }, { name: '1X', value: '' }] }))).toThrowError('generic webhook payload\'s env holds an item that is not { name, value } with a variable name and a string value');
    expect(() => parseGeneric(json, JSON.stringify({ git: { ref: 'main', commit: 'abc123' } }))).toThrowError('generic webhook payload\'s git.commit is not a full commit id');
    expect(parseGeneric({ 'content-type': 'application/yaml' }, 'a: &x [1]\nb: *x\n')).toMatchObject({ kind: 'build', warning: 'the payload could not be read, ignoring payload and continuing with build' });
  });
});

describe('webhook routes and branches', () => {
  it('read OpenShift\'s path and ours, the secret percent-decoded', () => {
    const path = gitWebhookPath('team', 'app', 's3cr/t+x', 'GitHub');
    expect(path).toBe('/apis/build.openshift.io/v1/namespaces/team/buildconfigs/app/webhooks/s3cr%2Ft%2Bx/github');
    expect(gitWebhookRoute(path)).toEqual({ namespace: 'team', name: 'app', secret: 's3cr/t+x', type: 'github' });
    expect(gitWebhookRoute('/apis/imagestreams.dev/v1alpha1/namespaces/team/buildconfigs/app/webhooks/abc/generic/')).toEqual({ namespace: 'team', name: 'app', secret: 'abc', type: 'generic' });
    expect(gitWebhookRoute('/apis/build.openshift.io/v1/namespaces/Team/buildconfigs/app/webhooks/abc/github')).toBeUndefined();
    expect(gitWebhookRoute('/apis/build.openshift.io/v1/namespaces/team/buildconfigs/app/webhooks/%zz/github')).toBeUndefined();
  });

  it('match a push of the source\'s branch, with or without refs/heads/, and master when the source names none', () => {
    const source = (ref?: string) => ({ git: { uri: 'https://git.example.com/app.git', ...(ref ? { ref } : {}) } });
    expect(pushMatchesSource('refs/heads/main', source('main'))).toBe(true);
    expect(pushMatchesSource('main', source('refs/heads/main'))).toBe(true);
    expect(pushMatchesSource('refs/heads/feature', source('main'))).toBe(false);
    expect(pushMatchesSource('refs/heads/master', source())).toBe(true);
    expect(pushMatchesSource('', source())).toBe(false);
  });
});

describe('signatures and the rate limit', () => {
  it('check X-Hub-Signature-256, or only X-Hub-Signature (sha1), and say when there is none', () => {
    const body = Buffer.from('{"ref":"refs/heads/main"}');
    const mac = (algorithm: string, key: string) => `${algorithm}=${createHmac(algorithm, key).update(body).digest('hex')}`;
    expect(hubSignature({}, 'k', body)).toBe('unsigned');
    expect(hubSignature({ 'x-hub-signature-256': mac('sha256', 'k') }, 'k', body)).toBe('valid');
    expect(hubSignature({ 'x-hub-signature': mac('sha1', 'k') }, 'k', body)).toBe('valid');
    expect(hubSignature({ 'x-hub-signature-256': mac('sha256', 'other') }, 'k', body)).toBe('invalid');
    expect(hubSignature({ 'x-hub-signature-256': 'sha256=abc' }, 'k', body)).toBe('invalid');
  });

  it('let a burst through per key, then one per interval, and take a token back', () => {
    let now = 0;
    const limit = new RateLimit({ burst: 2, refillMs: 1000, now: () => now });
    expect([limit.take('a'), limit.take('a'), limit.take('a'), limit.take('b')]).toEqual([0, 0, 1000, 0]);
    now = 500;
    expect(limit.take('a')).toBe(500);
    now = 1000;
    expect(limit.take('a')).toBe(0);
    limit.giveBack('a');
    expect(limit.take('a')).toBe(0);
  });
});
