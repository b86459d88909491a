import { describe, expect, it } from 'vitest';
import { branchFilter, GENERIC_EVENT_HEADER, gitHostWebhook } from '../../../../constructs/buildconfig/webhook/git-hosts';
import { evaluateFilter, resolveBinding } from './payload-filter';
import { bitbucketPush, genericPush, githubPush, gitlabPush, SHA } from './samples';

const commit = (path: string) => `${path}.matches("^[0-9a-f]{40}([0-9a-f]{24})?$")`;
const secretRef = { secretName: 'foo-github-webhook', secretKey: 'WebHookSecretKey' };
const bindings = (list: readonly { name: string; value: string }[]) => Object.fromEntries(list.map((b) => [b.name, b.value]));

describe('gitHostWebhook', () => {
  it('GitHub: the github interceptor checks the HMAC with the Secret and lets only push events through', () => {
    // GIVEN a GitHub webhook for branch main
    const hook = gitHostWebhook('GitHub', 'refs/heads/main', secretRef);
    // THEN the interceptor is the github ClusterInterceptor with secretRef and eventTypes [push]
    expect(hook.interceptor).toEqual({
      name: 'verify-github',
      ref: { name: 'github', kind: 'ClusterInterceptor' },
      params: [{ name: 'secretRef', value: { secretName: 'foo-github-webhook', secretKey: 'WebHookSecretKey' } }, { name: 'eventTypes', value: ['push'] }],
    });
    expect(hook.filter).toBe(`body.ref == "refs/heads/main" && !body.deleted && ${commit('body.after')}`);
    expect(bindings(hook.bindings)).toEqual({ commit: '$(body.after)', ref: '$(body.ref)', pusher: '$(body.pusher.name)', repository: '$(body.repository.clone_url)' });
  });

  it('GitLab: the gitlab interceptor compares X-Gitlab-Token with the Secret, Push Hook events only', () => {
    const hook = gitHostWebhook('GitLab', 'refs/heads/main', secretRef);
    expect(hook.interceptor.ref).toEqual({ name: 'gitlab', kind: 'ClusterInterceptor' });
    expect(hook.interceptor.params).toEqual([{ name: 'secretRef', value: secretRef }, { name: 'eventTypes', value: ['Push Hook'] }]);
    expect(hook.filter).toBe(`body.ref == "refs/heads/main" && body.checkout_sha != null && ${commit('body.checkout_sha')}`);
    expect(bindings(hook.bindings)).toEqual({ commit: '$(body.checkout_sha)', ref: '$(body.ref)', pusher: '$(body.user_username)', repository: '$(body.project.git_http_url)' });
  });

  it('Bitbucket (Cloud): the bitbucket interceptor checks X-Hub-Signature, repo:push events only', () => {
    const hook = gitHostWebhook('Bitbucket', 'refs/heads/main', secretRef);
    expect(hook.interceptor.ref).toEqual({ name: 'bitbucket', kind: 'ClusterInterceptor' });
    expect(hook.interceptor.params).toEqual([{ name: 'secretRef', value: secretRef }, { name: 'eventTypes', value: ['repo:push'] }]);
    expect(hook.filter).toBe(`body.push.changes[0].new.type == "branch" && body.push.changes[0].new.name == "main" && ${commit('body.push.changes[0].new.target.hash')}`);
    expect(bindings(hook.bindings)).toEqual({
      commit: '$(body.push.changes[0].new.target.hash)', ref: 'refs/heads/$(body.push.changes[0].new.name)',
      pusher: '$(body.actor.display_name)', repository: '$(body.repository.links.html.href)',
    });
  });

  it('Generic: the github interceptor checks an HMAC-SHA256 signature (no event types), the CEL filter our header', () => {
    const hook = gitHostWebhook('Generic', 'refs/heads/main', secretRef);
    expect(hook.interceptor).toEqual({ name: 'verify-github', ref: { name: 'github', kind: 'ClusterInterceptor' }, params: [{ name: 'secretRef', value: secretRef }] });
    expect(hook.filter).toBe(`header.match("X-Imagestreams-Event", "push") && body.ref == "refs/heads/main" && ${commit('body.commit')}`);
    expect(bindings(hook.bindings)).toEqual({ commit: '$(body.commit)', ref: '$(body.ref)', pusher: '$(body.pusher)' });
  });

  it('writes the branch as a CEL string literal, quotes escaped', () => {
    expect(gitHostWebhook('GitHub', 'refs/heads/it\'s"odd', secretRef).filter).toBe(`body.ref == "refs/heads/it's\\"odd" && !body.deleted && ${commit('body.after')}`);
  });

  it('wraps a filter in the cel ClusterInterceptor', () => {
    expect(branchFilter('body.ref == "x"')).toEqual({ name: 'branch', ref: { name: 'cel', kind: 'ClusterInterceptor' }, params: [{ name: 'filter', value: 'body.ref == "x"' }] });
  });
});

describe('the branch filters on sample payloads', () => {
  const filter = (type: 'GitHub' | 'GitLab' | 'Bitbucket' | 'Generic') => gitHostWebhook(type, 'refs/heads/main', secretRef).filter;
  const generic = { [GENERIC_EVENT_HEADER]: 'push' };

  it.each([
    ['GitHub', githubPush(), {}, 'fires'],
    ['GitHub', githubPush('refs/heads/feature'), {}, 'filtered'],
    ['GitHub', githubPush('refs/heads/main-old'), {}, 'filtered'],
    ['GitHub', githubPush('refs/tags/main'), {}, 'filtered'],
    ['GitHub', githubPush('refs/heads/main', true), {}, 'filtered'],
    ['GitLab', gitlabPush(), {}, 'fires'],
    ['GitLab', gitlabPush('refs/heads/develop'), {}, 'filtered'],
    ['GitLab', gitlabPush('refs/heads/main', true), {}, 'filtered'],
    ['Bitbucket', bitbucketPush(), {}, 'fires'],
    ['Bitbucket', bitbucketPush('develop'), {}, 'filtered'],
    ['Bitbucket', bitbucketPush('main', 'tag'), {}, 'filtered'],
    ['Bitbucket', bitbucketPush('main', 'branch', true), {}, 'error'],
    ['Generic', genericPush(), generic, 'fires'],
    ['Generic', genericPush(), {}, 'filtered'],
    ['Generic', genericPush('refs/heads/other'), generic, 'filtered'],
    // A GitHub payload signed with the same secret does not pass a Generic trigger: no header.
    ['Generic', githubPush(), { 'X-GitHub-Event': 'push' }, 'filtered'],
    // A commit that is not a hex SHA never becomes a REVISION: git would read '--upload-pack=…' as an option.
    ['GitHub', { ...githubPush(), after: '--upload-pack=touch /tmp/pwned' }, {}, 'filtered'],
    ['GitHub', { ...githubPush(), after: 'main' }, {}, 'filtered'],
    ['GitHub', { ...githubPush(), after: `${SHA}\n--upload-pack=x` }, {}, 'filtered'],
    ['GitHub', { ...githubPush(), after: 42 }, {}, 'error'],
    ['GitHub', { ...githubPush(), after: 'a'.repeat(64) }, {}, 'fires'],
    ['GitLab', { ...gitlabPush(), checkout_sha: '-c core.sshCommand=x' }, {}, 'filtered'],
    ['Bitbucket', (() => { const b = bitbucketPush(); b.push.changes[0].new!.target.hash = '--upload-pack=x'; return b; })(), {}, 'filtered'],
    ['Generic', { ...genericPush(), commit: '--upload-pack=x' }, generic, 'filtered'],
    ['Generic', { ...genericPush(), commit: SHA.toUpperCase() }, generic, 'filtered'],
  ] as const)('%s: %j → %s', (type, body, headers, expected) => {
    expect(evaluateFilter(filter(type), body, headers)).toBe(expected);
  });

  it.each([
    ['GitHub', githubPush(), { commit: SHA, ref: 'refs/heads/main', pusher: 'octocat', repository: 'https://github.com/example/foo.git' }],
    ['GitLab', gitlabPush(), { commit: SHA, ref: 'refs/heads/main', pusher: 'jsmith', repository: 'https://gitlab.example.com/example/foo.git' }],
    ['Bitbucket', bitbucketPush(), { commit: SHA, ref: 'refs/heads/main', pusher: 'Emma', repository: 'https://bitbucket.org/example/foo' }],
    ['Generic', genericPush(), { commit: SHA, ref: 'refs/heads/main', pusher: 'release-bot' }],
  ] as const)('%s: the bindings read the commit SHA, the ref and the pusher', (type, body, expected) => {
    const hook = gitHostWebhook(type, 'refs/heads/main', secretRef);
    expect(Object.fromEntries(hook.bindings.map((b) => [b.name, resolveBinding(b.value, body)]))).toEqual(expected);
  });
});
