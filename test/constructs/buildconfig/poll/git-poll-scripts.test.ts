import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildSource, BuildTrigger } from '../../../../constructs/buildconfig';
import { testKube, type TestKube } from '../../../support/kube';
import { startGitHttpServer, type GitHttpServer } from '../../../support/tekton/git-http-server';
import { startTriggerCluster } from '../../../runtime/controller/cluster';
import { eventually } from '../../../runtime/controller/eventually';
import { fooBuild, one, seedChart, synth, type Manifest } from '../webhook/fixture';

// The emitted scripts, run for real: git ls-remote against real repositories (file:// and smart
// HTTP with basic auth), curl against the real API server with the token of the poller's own
// ServiceAccount (as synthesized, with its Role), which answers 409 when the commit's run exists.

const work = mkdtempSync(join(tmpdir(), 'imagestreams-git-poll-'));
const repo = join(work, 'repos', 'foo');
let t: TestKube;
/** The poller's ServiceAccount folder (token, ca.crt) in t's namespace. */
let saDir: string;
let gitHttp: GitHttpServer;
/** Alpine's /bin/sh is busybox ash: run the scripts with busybox when the machine has it. */
const shell = spawnSync('busybox', ['true']).status === 0 ? ['busybox', 'sh'] : ['sh'];

const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
function commit(message: string): string {
  writeFileSync(join(repo, 'file.txt'), message);
  git('add', 'file.txt');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', message);
  return git('rev-parse', 'HEAD');
}

type Container = { command: string[]; env: { name: string; value: string }[] };
/** The two containers of the synthesized CronJob of foo in `namespace`, polling `uri` at main; foo's objects. */
function pollContainers(uri: string, namespace = t.namespace): { lsRemote: Container; createRun: Container; objects: Manifest[] } {
  const { chart, foo } = seedChart(namespace);
  fooBuild(chart, foo, { source: BuildSource.git({ uri, ref: 'main' }), triggers: [BuildTrigger.gitPoll({ interval: Duration.minutes(5) })] });
  const objects = synth(chart);
  const pod = one(objects, 'CronJob').spec.jobTemplate.spec.template.spec;
  return { lsRemote: pod.initContainers[0], createRun: pod.containers[0], objects };
}

/** Creates the poller's ServiceAccount, Role and RoleBinding as synthesized, and mounts its token as the pod would. */
async function pollerAccount(kube: TestKube, objects: Manifest[]): Promise<string> {
  const account = one(objects, 'ServiceAccount', 'foo-git-poll');
  await kube.apply([account, one(objects, 'Role', 'foo-git-poll'), one(objects, 'RoleBinding', 'foo-git-poll')]);
  const dir = mkdtempSync(join(work, 'sa-'));
  writeFileSync(join(dir, 'token'), await kube.cluster.tokenFor(kube.namespace, account.metadata.name));
  writeFileSync(join(dir, 'ca.crt'), kube.cluster.caPem);
  return dir;
}

interface Ran { status: number | null; stdout: string; stderr: string }

/**
 * Runs a container's `sh -c script` here, its env with the given overrides (paths of this machine).
 * Asynchronously: the API and git servers answer from this very process.
 */
function run(container: Container, overrides: Record<string, string>): Promise<Ran> {
  const env = { PATH: process.env.PATH ?? '', ...Object.fromEntries(container.env.map((e) => [e.name, e.value])), ...overrides };
  const child = spawn(shell[0], [...shell.slice(1), '-c', container.command[2]], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** One poll, as the Job runs it: ls-remote, then (if it succeeded) create-run. */
async function poll(containers: { lsRemote: Container; createRun: Container }, gitOverrides: Record<string, string> = {}, account = saDir): Promise<Ran> {
  const dir = mkdtempSync(join(work, 'job-'));
  const paths = { COMMIT_FILE: join(dir, 'commit'), HOME: dir, TMPDIR: dir };
  const listed = await run(containers.lsRemote, { ...paths, ...gitOverrides });
  if (listed.status !== 0) return listed;
  const created = await run(containers.createRun, { ...paths, API_SERVER: t.cluster.url, SERVICE_ACCOUNT_DIR: account });
  return { status: created.status, stdout: listed.stdout + created.stdout, stderr: listed.stderr + created.stderr };
}

async function runs() {
  return (await t.pipelineRuns().list()).items;
}

beforeAll(async () => {
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo]);
  t = await testKube('git-poll');
  saDir = await pollerAccount(t, pollContainers(`file://${repo}`).objects);
  gitHttp = await startGitHttpServer(join(work, 'repos'), 'poller', 's3cret');
});

afterAll(async () => {
  t?.close();
  await gitHttp?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the git poll scripts', () => {
  it('start exactly one build per new commit, and none when the branch has not moved', async () => {
    // GIVEN a repository whose main is at a first commit, and foo's poll CronJob for it
    const first = commit('one');
    const containers = pollContainers(`file://${repo}`);
    // WHEN it polls
    const created = await poll(containers);
    // THEN one pending run named after the commit builds exactly that commit
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain(`git-poll: refs/heads/main of file://${repo} is at ${first}`);
    expect(created.stdout).toContain(`git-poll: new commit ${first}: created PipelineRun foo-poll-${first.slice(0, 12)}`);
    let all = await runs();
    expect(all.map((r) => r.metadata.name)).toEqual([`foo-poll-${first.slice(0, 12)}`]);
    expect(all[0].spec.params).toEqual([{ name: 'URL', value: `file://${repo}` }, { name: 'REVISION', value: first }, { name: 'CONTEXT_DIR', value: '.' }]);
    expect(all[0].spec.status).toBe('PipelineRunPending');
    expect(all[0].metadata.labels).toEqual({ 'imagestreams.dev/buildconfig': 'foo' });
    expect(all[0].metadata.annotations).toMatchObject({ 'imagestreams.dev/cause': 'GitPoll', 'imagestreams.dev/commit': first, 'imagestreams.dev/ref': 'refs/heads/main' });

    // WHEN it polls again with no change (the same commit: the API answers 409 AlreadyExists)
    const unchanged = await poll(containers);
    // THEN it succeeds and starts nothing
    expect(unchanged.status).toBe(0);
    expect(unchanged.stdout).toContain(`git-poll: commit ${first} already has PipelineRun foo-poll-${first.slice(0, 12)}: nothing to do`);
    expect((await runs()).length).toBe(1);

    // WHEN a commit is pushed to main, and another branch moves too
    const second = commit('two');
    git('branch', '--quiet', 'feature');
    const moved = await poll(containers);
    // THEN exactly one more run, for the new commit of main
    expect(moved.status).toBe(0);
    all = await runs();
    expect(all.map((r) => r.metadata.name).sort()).toEqual([`foo-poll-${first.slice(0, 12)}`, `foo-poll-${second.slice(0, 12)}`].sort());
    expect(all.find((r) => r.metadata.name === `foo-poll-${second.slice(0, 12)}`)?.spec.params).toEqual([{ name: 'URL', value: `file://${repo}` }, { name: 'REVISION', value: second }, { name: 'CONTEXT_DIR', value: '.' }]);
  });

  it('lists a private repository over https with the basic-auth Secret', async () => {
    // GIVEN the repository behind basic auth, and a mounted kubernetes.io/basic-auth Secret
    const head = git('rev-parse', 'HEAD');
    const containers = pollContainers(`file://${repo}`);
    const credentials = join(work, 'credentials');
    mkdirSync(credentials, { recursive: true });
    writeFileSync(join(credentials, 'username'), 'poller');
    writeFileSync(join(credentials, 'password'), 's3cret');
    const url = `${gitHttp.url}/foo/.git`;
    // WHEN it polls with the Secret
    const listed = await run(containers.lsRemote, { COMMIT_FILE: join(credentials, '..', 'commit-auth'), HOME: work, GIT_URL: url, CREDENTIALS_DIR: credentials });
    // THEN it finds the branch head, saying which credentials it used
    expect(listed.stderr).toBe('git-poll: using basic-auth credentials from the source secret\n');
    expect(listed.stdout).toContain(`is at ${head}`);
    // AND with a wrong password it fails without prompting
    writeFileSync(join(credentials, 'password'), 'wrong');
    const refused = await run(containers.lsRemote, { COMMIT_FILE: join(work, 'commit-refused'), HOME: work, GIT_URL: url, CREDENTIALS_DIR: credentials });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(`git-poll: git ls-remote '${url}' failed`);
  });

  it('fails, creating nothing, when the branch does not exist', async () => {
    const containers = pollContainers(`file://${repo}`);
    const before = (await runs()).length;
    const missing = await poll(containers, { GIT_REF: 'refs/heads/nope' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`git-poll: 'file://${repo}' has no branch refs/heads/nope`);
    expect((await runs()).length).toBe(before);
  });

  it('fails with the API answer when the run cannot be created', async () => {
    // GIVEN a request the API refuses (the Job's NAMESPACE is not the run's, where the poller has no rights)
    const containers = pollContainers(`file://${repo}`);
    const dir = mkdtempSync(join(work, 'job-'));
    const paths = { COMMIT_FILE: join(dir, 'commit'), HOME: dir, TMPDIR: dir };
    expect((await run(containers.lsRemote, paths)).status).toBe(0);
    // WHEN the run is created there
    const failed = await run(containers.createRun, { ...paths, API_SERVER: t.cluster.url, SERVICE_ACCOUNT_DIR: saDir, NAMESPACE: 'kube-system' });
    // THEN the Job fails with the status code and the API's message
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^git-poll: creating PipelineRun foo-poll-[0-9a-f]{12}: HTTP 403: \{/);
    expect(failed.stderr).toContain(`"message": "pipelineruns.tekton.dev is forbidden: User \\"system:serviceaccount:${t.namespace}:foo-git-poll\\" cannot create resource \\"pipelineruns\\" in API group \\"tekton.dev\\" in the namespace \\"kube-system\\""`);
  });

  it('hands the request to the BuildConfig controller, which builds it as build 1 and admits it', async () => {
    // GIVEN foo in a namespace of its own with the controller and its BuildConfig reconciler
    const cluster = await startTriggerCluster('git-poll-controller');
    try {
      const containers = pollContainers(`file://${repo}`, cluster.namespace);
      await cluster.apply([one(containers.objects, 'BuildConfig')]);
      const account = await pollerAccount(cluster, containers.objects);
      await cluster.startController({ builds: { debounceSeconds: 0 } });
      // WHEN the poll finds main's head
      const head = git('rev-parse', 'refs/heads/main');
      expect((await poll(containers, {}, account)).status).toBe(0);
      // THEN that run is build 1, admitted (Tekton may start it), building the polled commit
      const runs = cluster.pipelineRuns();
      const build = await eventually(async () => {
        const found = await runs.get('foo-1');
        expect(found.metadata.annotations?.['imagestreams.dev/request']).toBe(`foo-poll-${head.slice(0, 12)}`);
        expect(found.spec.status).toBeUndefined();
        return found;
      });
      // AND the request stays, consumed, so that the next poll of the same commit builds nothing
      expect((await runs.get(`foo-poll-${head.slice(0, 12)}`)).metadata.annotations?.['imagestreams.dev/build']).toBe('foo-1');
      expect(build.spec.params).toEqual([{ name: 'URL', value: `file://${repo}` }, { name: 'REVISION', value: head }, { name: 'CONTEXT_DIR', value: '.' }]);
    } finally {
      await cluster.close();
    }
  });
});
