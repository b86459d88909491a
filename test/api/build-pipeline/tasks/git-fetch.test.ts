import { Testing } from 'cdk8s';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TektonPipeline, TektonTask, type PipelineSpec, type TaskSpec } from '../../../../constructs/tekton';
import { gitFetchTask } from '../../../../lib/api/build-pipeline/tasks';
import { run } from '../../../support/registry/exec';
import { commitFiles, makeGitRepo, type GitRepo } from '../../../support/tekton/build-fixtures';
import { startGitHttpServer, type GitHttpServer } from '../../../support/tekton/git-http-server';
import { runPipeline } from '../../../support/tekton/run-pipeline';

const fetchOnly: PipelineSpec = {
  params: [{ name: 'URL' }, { name: 'REVISION', default: '' }],
  workspaces: [{ name: 'source' }, { name: 'creds', optional: true }],
  tasks: [{
    name: 'fetch',
    taskRef: { name: 'git-fetch' },
    params: [{ name: 'URL', value: '$(params.URL)' }, { name: 'REVISION', value: '$(params.REVISION)' }],
    workspaces: [{ name: 'source', workspace: 'source' }, { name: 'git-credentials', workspace: 'creds' }],
  }],
};

let dir: string;
let repo: GitRepo;
let source: string;

function fetch(params: Record<string, string>, creds?: string) {
  const workspaces: Record<string, string> = { source };
  if (creds) workspaces.creds = creds;
  return runPipeline({ pipeline: fetchOnly, tasks: { 'git-fetch': gitFetchTask() }, params: { URL: repo.url, ...params }, workspaces });
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'git-fetch-test-'));
  source = path.join(dir, 'source');
  repo = await makeGitRepo(path.join(dir, 'repo'), { 'app.txt': 'v1\n' }, 'trunk');
  await commitFiles(repo, 'second', { 'app.txt': 'v2\n' });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('gitFetchTask', () => {
  it('declares REVISION empty by default (no implied master) and optional credentials', () => {
    const task = gitFetchTask();
    expect(task.params?.find((p) => p.name === 'REVISION')?.default).toBe('');
    expect(task.workspaces).toContainEqual(expect.objectContaining({ name: 'git-credentials', optional: true }));
    expect(task.results?.map((r) => r.name)).toEqual(['COMMIT', 'URL', 'SOURCE_DATE_EPOCH']);
  });

  it('clones the remote default branch when REVISION is empty, even when it is not master', async () => {
    // GIVEN a repository whose default branch is 'trunk' WHEN fetched without REVISION
    const result = await fetch({});
    // THEN the newest commit of trunk is checked out and reported
    expect(result.succeeded).toBe(true);
    // (and the commit's time, what reproducible builds stamp instead of the time of the build)
    const committed = (await run('git', ['-C', repo.dir, 'log', '-1', '--format=%ct', repo.commits.second])).trim();
    expect(result.taskResults.fetch).toEqual({ COMMIT: repo.commits.second, URL: repo.url, SOURCE_DATE_EPOCH: committed });
    expect(readFileSync(path.join(source, 'app.txt'), 'utf8')).toBe('v2\n');
  });

  it('works the same once synthesized by cdk8s (the objects as emitted)', async () => {
    // GIVEN the Task and Pipeline synthesized to plain JSON
    const chart = Testing.chart();
    new TektonTask(chart, 'task', { metadata: { name: 'git-fetch' }, spec: gitFetchTask() });
    new TektonPipeline(chart, 'pipeline', { metadata: { name: 'fetch' }, spec: fetchOnly });
    const [task, pipeline] = Testing.synth(chart) as [{ spec: TaskSpec }, { spec: PipelineSpec }];
    // WHEN the runner runs the synthesized specs THEN they clone as the typed ones do
    const result = await runPipeline({ pipeline: pipeline.spec, tasks: { 'git-fetch': task.spec }, params: { URL: repo.url }, workspaces: { source } });
    expect(result.taskResults.fetch?.COMMIT).toBe(repo.commits.second);
  });

  it('checks out a commit sha, a branch and a tag', async () => {
    // GIVEN a branch and a tag besides trunk
    await run('git', ['-C', repo.dir, 'branch', 'feature', repo.commits.first]);
    await run('git', ['-C', repo.dir, 'tag', 'v1', repo.commits.first]);
    // WHEN fetched by each THEN the first commit is checked out each time
    for (const revision of [repo.commits.first, 'feature', 'v1']) {
      const result = await fetch({ REVISION: revision });
      expect(result.taskResults.fetch.COMMIT).toBe(repo.commits.first);
      expect(readFileSync(path.join(source, 'app.txt'), 'utf8')).toBe('v1\n');
    }
  });

  it('empties a reused source workspace first', async () => {
    mkdirSync(source, { recursive: true });
    writeFileSync(path.join(source, 'stale.txt'), 'old build');
    await fetch({});
    expect(existsSync(path.join(source, 'stale.txt'))).toBe(false);
  });

  it('fails with a message naming an unknown revision', async () => {
    const result = await fetch({ REVISION: 'no-such-branch' });
    expect(result).toMatchObject({ succeeded: false, failedStep: 'clone' });
    expect(result.logs['fetch/clone']).toContain(`git-fetch: revision 'no-such-branch' not found in '${repo.url}'`);
  });

  it('fails clearly when the credentials workspace is bound but empty', async () => {
    // GIVEN an empty secret directory bound as git-credentials
    const creds = path.join(dir, 'creds');
    mkdirSync(creds);
    // WHEN fetched THEN the message says what kind of secret to bind
    const result = await fetch({}, creds);
    expect(result.succeeded).toBe(false);
    expect(result.logs['fetch/clone']).toBe(
      'git-fetch: workspace git-credentials is bound but empty: bind a kubernetes.io/basic-auth secret (keys username, password) or a kubernetes.io/ssh-auth secret (key ssh-privatekey)\n',
    );
  });

  it('fails clearly when the secret lacks the keys it needs', async () => {
    // GIVEN a basic-auth secret without password
    const creds = path.join(dir, 'creds');
    mkdirSync(creds);
    writeFileSync(path.join(creds, 'username'), 'alice');
    writeFileSync(path.join(creds, 'token'), 't');
    const result = await fetch({}, creds);
    expect(result.logs['fetch/clone']).toBe(
      'git-fetch: workspace git-credentials has keys [token username] but needs username and password (kubernetes.io/basic-auth) or ssh-privatekey (kubernetes.io/ssh-auth)\n',
    );
  });

  describe('over http with basic auth', () => {
    let server: GitHttpServer;
    beforeAll(async () => { server = await startGitHttpServer(os.tmpdir(), 'alice', 'p@ss:w0rd/%'); });
    afterAll(async () => server.close());

    it('authenticates with a basic-auth secret, whatever characters the password has', async () => {
      // GIVEN a server that wants alice's password (with characters URL-encoding would mangle)
      const creds = path.join(dir, 'creds');
      mkdirSync(creds);
      writeFileSync(path.join(creds, 'username'), 'alice');
      writeFileSync(path.join(creds, 'password'), 'p@ss:w0rd/%');
      const url = `${server.url}/${path.relative(os.tmpdir(), repo.dir)}`;
      // WHEN fetched with the secret, and without
      const withSecret = await fetch({ URL: url }, creds);
      const without = await runPipeline({
        pipeline: fetchOnly, tasks: { 'git-fetch': gitFetchTask() }, params: { URL: url },
        workspaces: { source }, env: { GIT_TERMINAL_PROMPT: '0' },
      });
      // THEN only the fetch with the secret gets the commit
      expect(withSecret.logs['fetch/clone']).toContain('using basic-auth credentials');
      expect(withSecret.taskResults.fetch.COMMIT).toBe(repo.commits.second);
      expect(without.succeeded).toBe(false);
    });
  });

  describe('a REVISION that git would read as an option', () => {
    it.each([
      ['--upload-pack=touch MARKER; git-upload-pack'],
      ['-c'],
    ])('never reaches git as one: %s', async (option) => {
      // GIVEN a REVISION that, after `git fetch origin`, would make git run a command of the sender's
      const marker = path.join(dir, 'pwned');
      const revision = option.replace('MARKER', marker);
      // WHEN fetched
      const result = await fetch({ REVISION: revision });
      // THEN the step refuses it before git runs, and nothing ran
      expect(result).toMatchObject({ succeeded: false, failedStep: 'clone' });
      expect(result.logs['fetch/clone']).toBe(`git-fetch: param REVISION '${revision}' starts with '-': git would read it as an option; use a branch, tag or commit\n`);
      expect(existsSync(marker)).toBe(false);
    });

    it('refuses what git check-ref-format refuses', async () => {
      const result = await fetch({ REVISION: 'main..x' });
      expect(result.logs['fetch/clone']).toBe("git-fetch: param REVISION 'main..x' is not a branch, tag or commit (git check-ref-format)\n");
    });

    it('fetches with --end-of-options, so the fallback fetch of every ref keeps it an argument too', () => {
      const script = gitFetchTask().steps[0].script!;
      expect(script).toContain('git fetch --quiet $depth --end-of-options origin "$revision"');
      expect(script).toContain('git rev-parse --verify --quiet --end-of-options "$revision^{commit}"');
    });
  });

  it.each([
    ['https://bot:s3cret@git.example.com/foo.git', 'git-fetch: param URL has credentials in it: put them in the git-credentials secret (kubernetes.io/basic-auth)\n'],
    ['ssh://git:s3cret@git.example.com/foo.git', 'git-fetch: param URL has a password in it: put the credentials in the git-credentials secret\n'],
    ['git:s3cret@git.example.com:foo.git', 'git-fetch: param URL has a password in it: put the credentials in the git-credentials secret\n'],
    ["--upload-pack=touch /tmp/x", "git-fetch: param URL starts with '-': git would read it as an option\n"],
  ])('refuses the URL %s without echoing it', async (url, message) => {
    const result = await fetch({ URL: url });
    expect(result.logs['fetch/clone']).toBe(message);
  });

  it('uses the ssh-auth key and known_hosts through GIT_SSH_COMMAND', async () => {
    // GIVEN an ssh-auth secret with known_hosts, and an `ssh` that records its arguments and
    // serves the repository locally (no sshd here; git's ssh transport is otherwise real)
    const creds = path.join(dir, 'creds');
    mkdirSync(creds);
    writeFileSync(path.join(creds, 'ssh-privatekey'), 'KEY');
    writeFileSync(path.join(creds, 'known_hosts'), 'example.com ssh-ed25519 AAAA');
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    const log = path.join(dir, 'ssh.log');
    writeFileSync(path.join(bin, 'ssh'), `#!/bin/sh\necho "$*" >> ${log}\nfor last; do :; done\nexec sh -c "$last"\n`, { mode: 0o755 });
    // WHEN fetched from an ssh:// URL
    const result = await runPipeline({
      pipeline: fetchOnly, tasks: { 'git-fetch': gitFetchTask() },
      params: { URL: `ssh://git@example.com${repo.dir}` }, workspaces: { source, creds },
      env: { PATH: `${bin}:${process.env.PATH}` },
    });
    // THEN git ran our ssh with the key, strict host key checking and the secret's known_hosts
    expect(result.taskResults.fetch.COMMIT).toBe(repo.commits.second);
    const args = readFileSync(log, 'utf8');
    expect(args).toMatch(/^-i \S+\/id -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=\S+\/creds\/known_hosts /);
    expect(args).toContain(`git@example.com git-upload-pack '${repo.dir}'`);
  });

  describe('an ssh-auth secret without known_hosts', () => {
    let creds: string;
    let log: string;
    let bin: string;
    beforeEach(() => {
      creds = path.join(dir, 'creds');
      mkdirSync(creds);
      writeFileSync(path.join(creds, 'ssh-privatekey'), 'KEY');
      bin = path.join(dir, 'bin');
      mkdirSync(bin);
      log = path.join(dir, 'ssh.log');
      writeFileSync(path.join(bin, 'ssh'), `#!/bin/sh\necho "$*" >> ${log}\nfor last; do :; done\nexec sh -c "$last"\n`, { mode: 0o755 });
    });
    const sshFetch = (extra: Record<string, string>, pipeline = fetchOnly) => runPipeline({
      pipeline, tasks: { 'git-fetch': gitFetchTask() },
      params: { URL: `ssh://git@example.com${repo.dir}`, ...extra }, workspaces: { source, creds },
      env: { PATH: `${bin}:${process.env.PATH}` },
    });

    it('fails before connecting, saying where the host keys go (it used to connect unchecked)', async () => {
      const result = await sshFetch({});
      expect(result).toMatchObject({ succeeded: false, failedStep: 'clone' });
      expect(result.logs['fetch/clone']).toBe(
        'git-fetch: workspace git-credentials has no known_hosts: add the git host\'s keys (ssh-keyscan HOST) under the key known_hosts, or set insecureIgnoreHostKey on the source to skip host key checks\n',
      );
      expect(existsSync(log)).toBe(false);
    });

    it('connects without host key checks only when SSH_INSECURE_IGNORE_HOST_KEY is true, and says so', async () => {
      // GIVEN a Pipeline that passes the source's insecureIgnoreHostKey
      const insecure: PipelineSpec = {
        ...fetchOnly,
        tasks: [{ ...fetchOnly.tasks[0], params: [...fetchOnly.tasks[0].params!, { name: 'SSH_INSECURE_IGNORE_HOST_KEY', value: 'true' }] }],
      };
      const result = await sshFetch({}, insecure);
      expect(result.taskResults.fetch.COMMIT).toBe(repo.commits.second);
      expect(result.logs['fetch/clone']).toContain('git-fetch: warning: host keys are not checked (insecureIgnoreHostKey)');
      expect(readFileSync(log, 'utf8')).toMatch(/-o StrictHostKeyChecking=no -o UserKnownHostsFile=\/dev\/null /);
    });
  });
});
