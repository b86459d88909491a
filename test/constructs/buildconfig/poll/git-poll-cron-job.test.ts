import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { BuildSource, BuildTrigger } from '../../../../constructs/buildconfig';
import { CREATE_RUN_SCRIPT, LS_REMOTE_SCRIPT } from '../../../../constructs/buildconfig/poll/git-poll-scripts';
import { DEFAULT_IMAGES } from '../../../../lib/api/build-pipeline/tasks/images';
import { find, fooBuild, one, seedChart, synth } from '../webhook/fixture';

const poll = (minutes = 5) => BuildTrigger.gitPoll({ interval: Duration.minutes(minutes) });
type Container = { name: string; image: string; command: string[]; env: { name: string; value: string }[]; volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[]; securityContext: object };
const envOf = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value]));

describe('GitPollCronJob (BuildTrigger.gitPoll on a BuildConfig)', () => {
  it('emits a CronJob that lists the branch with git, then creates the pending run of its commit with curl', () => {
    // GIVEN foo, built from main, polled every 5 minutes
    const { chart, foo } = seedChart();
    fooBuild(chart, foo, { triggers: [poll()] });
    // WHEN synthesized
    const objects = synth(chart);
    const cronJob = one(objects, 'CronJob', 'foo-git-poll');
    // THEN the schedule is every 5 minutes, one Job at a time
    expect(cronJob.spec.schedule).toMatch(/^[0-4]-59\/5 \* \* \* \*$/);
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    // AND the pod is Pod Security restricted, as Alpine's nobody, with no automounted token
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('foo-git-poll');
    const [lsRemote] = pod.initContainers as Container[];
    const [createRun] = pod.containers as Container[];
    for (const c of [lsRemote, createRun]) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });
    }
    // AND git ls-remote runs in the pinned git image, on the BuildConfig's repository and branch
    expect(lsRemote).toMatchObject({ name: 'ls-remote', image: DEFAULT_IMAGES.git, command: ['/bin/sh', '-c', LS_REMOTE_SCRIPT] });
    expect(envOf(lsRemote)).toEqual({ GIT_URL: 'https://github.com/example/foo.git', GIT_REF: 'refs/heads/main', COMMIT_FILE: '/work/commit', CREDENTIALS_DIR: '', HOME: '/tmp', SSH_INSECURE_IGNORE_HOST_KEY: 'false' });
    // AND only the curl container gets an API token
    expect(createRun).toMatchObject({ name: 'create-run', image: DEFAULT_IMAGES.curl, command: ['/bin/sh', '-c', CREATE_RUN_SCRIPT] });
    expect(lsRemote.volumeMounts.map((m) => m.name)).toEqual(['work', 'tmp']);
    expect(createRun.volumeMounts.map((m) => m.name)).toEqual(['work', 'tmp', 'api-token']);
    const env = envOf(createRun);
    expect(env).toMatchObject({ COMMIT_FILE: '/work/commit', RUN_NAME_PREFIX: 'foo-poll-', API_SERVER: 'https://kubernetes.default.svc', NAMESPACE: 'seed', SERVICE_ACCOUNT_DIR: '/var/run/secrets/imagestreams/api' });
    const tokenVolume = pod.volumes.find((v: { name: string }) => v.name === 'api-token');
    expect(tokenVolume.projected.sources).toEqual([
      { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    ]);
    // AND the run template is the BuildConfig's pending run, REVISION = the polled commit
    const run = JSON.parse(env.RUN_TEMPLATE);
    expect(run.metadata).toEqual({
      name: '@@NAME@@', namespace: 'seed', labels: { 'imagestreams.dev/buildconfig': 'foo' },
      annotations: { 'imagestreams.dev/cause': 'GitPoll', 'imagestreams.dev/commit': '@@COMMIT@@', 'imagestreams.dev/ref': 'refs/heads/main' },
    });
    expect(run.spec.params).toEqual([{ name: 'URL', value: 'https://github.com/example/foo.git' }, { name: 'REVISION', value: '@@COMMIT@@' }, { name: 'CONTEXT_DIR', value: '.' }]);
    expect(run.spec.status).toBe('PipelineRunPending');
    expect(run.spec.workspaces).toEqual(one(objects, 'BuildConfig').spec.workspaces);
  });

  it('may create PipelineRuns in its namespace and nothing else', () => {
    const { chart, foo } = seedChart();
    fooBuild(chart, foo, { triggers: [poll()] });
    const objects = synth(chart);
    expect(one(objects, 'Role', 'foo-git-poll').rules).toEqual([{ apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['create'] }]);
    expect(one(objects, 'RoleBinding', 'foo-git-poll')).toMatchObject({
      roleRef: { kind: 'Role', name: 'foo-git-poll' }, subjects: [{ kind: 'ServiceAccount', name: 'foo-git-poll', namespace: 'seed' }],
    });
    expect(one(objects, 'ServiceAccount', 'foo-git-poll').automountServiceAccountToken).toBe(false);
    expect(one(objects, 'BuildConfig').spec.triggers).toEqual([{ type: 'GitPoll', gitPoll: { interval: '5m0s' } }]);
  });

  it('mounts the source Secret for git ls-remote only', () => {
    const { chart, foo } = seedChart();
    fooBuild(chart, foo, { source: BuildSource.git({ uri: 'git@github.com:example/foo.git', ref: 'main', sourceSecret: 'git-ssh' }), triggers: [poll()] });
    const pod = one(synth(chart), 'CronJob').spec.jobTemplate.spec.template.spec;
    const [lsRemote] = pod.initContainers as Container[];
    expect(envOf(lsRemote).CREDENTIALS_DIR).toBe('/credentials');
    expect(lsRemote.volumeMounts).toContainEqual({ name: 'credentials', mountPath: '/credentials', readOnly: true });
    expect((pod.containers as Container[])[0].volumeMounts.map((m) => m.name)).not.toContain('credentials');
    expect(pod.volumes).toContainEqual({ name: 'credentials', secret: { secretName: 'git-ssh', defaultMode: 0o440 } });
  });

  it('lists an ssh remote only with the secret\'s known_hosts, or with insecureIgnoreHostKey said out loud', () => {
    // GIVEN an ssh source whose secret has a key but no known_hosts, polled with and without insecureIgnoreHostKey
    const lsRemoteOf = (insecureIgnoreHostKey: boolean) => {
      const { chart, foo } = seedChart();
      fooBuild(chart, foo, { source: BuildSource.git({ uri: 'ssh://git@example.com/foo.git', ref: 'main', sourceSecret: 'git-ssh', insecureIgnoreHostKey }), triggers: [poll()] });
      return (one(synth(chart), 'CronJob').spec.jobTemplate.spec.template.spec.initContainers as Container[])[0];
    };
    const dir = mkdtempSync(join(tmpdir(), 'git-poll-ssh-'));
    try {
      mkdirSync(join(dir, 'creds'));
      writeFileSync(join(dir, 'creds', 'ssh-privatekey'), 'KEY');
      // A stand-in ssh that records it was called and fails: no git host here.
      writeFileSync(join(dir, 'ssh'), `#!/bin/sh\necho "$*" > ${dir}/ssh.log\nexit 255\n`, { mode: 0o755 });
      const runScript = (container: Container) => spawnSync('sh', ['-c', container.command[2]], {
        env: { ...envOf(container), PATH: `${dir}:${process.env.PATH}`, CREDENTIALS_DIR: join(dir, 'creds'), COMMIT_FILE: join(dir, 'commit'), HOME: dir, TMPDIR: dir },
        encoding: 'utf8',
      });
      // WHEN ls-remote runs as emitted THEN without the option it refuses before connecting
      const strict = lsRemoteOf(false);
      expect(envOf(strict).SSH_INSECURE_IGNORE_HOST_KEY).toBe('false');
      const refused = runScript(strict);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe("git-poll: the source secret has no known_hosts: add the git host's keys (ssh-keyscan HOST) under the key known_hosts, or set insecureIgnoreHostKey on the source to skip host key checks\n");
      // AND with it, ssh is called without host key checks, and the log says so
      const insecure = lsRemoteOf(true);
      expect(envOf(insecure).SSH_INSECURE_IGNORE_HOST_KEY).toBe('true');
      const unchecked = runScript(insecure);
      expect(unchecked.stderr).toContain('git-poll: warning: host keys are not checked (insecureIgnoreHostKey)');
      expect(spawnSync('cat', [join(dir, 'ssh.log')], { encoding: 'utf8' }).stdout).toContain('-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('escapes env values for the kubelet, which would read $(NAME) and $$ in them', () => {
    const { chart, foo } = seedChart();
    fooBuild(chart, foo, { source: BuildSource.git({ uri: 'https://git.example.com/$(HOME)/a$$b.git', ref: 'main' }), triggers: [poll()] });
    const [lsRemote] = one(synth(chart), 'CronJob').spec.jobTemplate.spec.template.spec.initContainers as Container[];
    expect(envOf(lsRemote).GIT_URL).toBe('https://git.example.com/$$(HOME)/a$$$$b.git');
  });

  it('bounds the CronJob and run names of a long BuildConfig name', () => {
    const { chart, foo } = seedChart();
    const name = `a${'b'.repeat(61)}c`;
    fooBuild(chart, foo, { name, triggers: [poll()] });
    const objects = synth(chart);
    const [cronJob] = find(objects, 'CronJob');
    expect(cronJob.metadata.name.length).toBeLessThanOrEqual(52);
    const prefix = envOf(cronJob.spec.jobTemplate.spec.template.spec.containers[0]).RUN_NAME_PREFIX;
    expect(prefix.length + 12).toBe(63);
    expect(prefix).toMatch(/^ab+-[0-9a-f]{8}-poll-$/);
  });

  it('refuses a poll without an explicit branch, and a second poll', () => {
    const { chart, foo } = seedChart();
    expect(() => fooBuild(chart, foo, { source: BuildSource.git({ uri: 'https://github.com/example/foo.git' }), triggers: [poll()] })).toThrowError(
      "[seed/foo-build] a gitPoll trigger follows one branch, but the git source has no 'ref': set it, e.g. BuildSource.git({ uri, ref: 'main' })",
    );
    expect(() => fooBuild(chart, foo, { triggers: [poll(5), poll(10)] }, 'other')).toThrowError("[seed/other] 'triggers' has the gitPoll trigger twice: keep one");
  });
});
