/**
 * Pod Security on the real API server: every pod our manifests make — from dist/ (every example) and
 * from an app that uses every strategy, trigger and the in-cluster registry — is created as a Pod
 * (server-side dry run: the whole admission chain runs, nothing is stored) in a namespace labelled
 * `pod-security.kubernetes.io/enforce=<the level we claim>`, and the real PodSecurity admission admits
 * it; the same pod made privileged is refused. Build pods need baseline, and restricted refuses them,
 * as README "Security model" says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, ImageStream, RegistryReceiver, StreamRegistry } from '../../constructs';
import { uniqueNamespace, useCluster } from '../support/cluster';
import { synthApp, type Manifest } from '../support/synth-app';
import { REPO_ROOT } from '../support/temp-app';
import { podCases, privileged, type Level, type PodCase } from './pod-templates';

/** Every object of every YAML file under dist/. */
function distObjects(): Manifest[] {
  const dir = join(REPO_ROOT, 'dist');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).sort();
  return files.flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as Manifest).filter(Boolean));
}

/** An app with each strategy (Dockerfile, S2I, Buildpacks, inline Dockerfile), a user-namespace build, image sources, webhooks, git polling, secrets, an import, a registry receiver (the controller listens) and the in-cluster registry. */
function everyStrategy(): Manifest[] {
  return [...synthApp(({ chart }) => {
    const c = chart('builds');
    const base = new ImageStream(c, 'base', { pullSecrets: ['hub'] });
    base.importTag('latest', { from: 'docker.io/library/alpine:3.20' });
    new RegistryReceiver(c, 'hub', { type: 'DockerHub', secretName: 'hub-hook' });
    const out = new ImageStream(c, 'out');
    const git = BuildSource.git({ uri: 'https://git.example.com/team/app.git', ref: 'main', sourceSecret: 'git-credentials' });
    const build = (name: string, props: Omit<ConstructorParameters<typeof BuildConfig>[2], 'output'>) =>
      new BuildConfig(c, name, { ...props, name, output: BuildOutput.imageStreamTag(out.tag(name)) });
    build('docker', {
      source: git, strategy: BuildStrategy.dockerfile({ from: base.tag('latest'), pullSecret: 'hub' }),
      triggers: [BuildTrigger.webhook({ type: 'GitHub', secret: 'hook' }), BuildTrigger.gitPoll({ interval: Duration.minutes(5) })],
    });
    build('s2i', { source: git, strategy: BuildStrategy.sourceToImage({ builderImage: base.tag('latest') }) });
    build('cnb', { source: git, strategy: BuildStrategy.buildpacks({ builder: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.480' }) });
    build('inline', { source: BuildSource.dockerfile('FROM docker.io/library/alpine:3.20\nRUN true\n'), strategy: BuildStrategy.dockerfile() });
    build('userns', { source: git, strategy: BuildStrategy.dockerfile({ from: base.tag('latest') }), userNamespace: true });
    const images = [{ from: base.tag('latest'), paths: [{ sourcePath: '/etc/os-release', destinationDir: 'etc' }] }];
    build('images', { source: BuildSource.git({ uri: 'https://git.example.com/team/app.git', ref: 'main', images }), strategy: BuildStrategy.dockerfile({ from: base.tag('latest') }) });
  }, { registry: StreamRegistry.inCluster() }).objects];
}

const dist = podCases(distObjects());
const synthesized = podCases(everyStrategy());
const sources = (cases: readonly PodCase[]) => cases.map((c) => `${c.level} ${c.source}`).sort();
/** `git-fetch` of `Task/ns/git-fetch-1a2b3c4d (run by …)`. */
const taskName = (source: string) => /^Task\/[^/]+\/(.+)-[0-9a-f]{8} /.exec(source)?.[1] ?? source;

/**
 * The build pods by BuildConfig, with the Tasks whose pods restricted refuses (all but the
 * buildpacks lifecycle, which runs as the builder's CNB user with a RuntimeDefault profile; its
 * build still needs baseline for the git fetch that runs as root).
 */
function buildsOf(pods: readonly PodCase[]): [string, string, PodCase[]][] {
  const byBuild = new Map<string, PodCase[]>();
  for (const pod of pods.filter((p) => p.level === 'baseline')) {
    const bc = /run by (BuildConfig\/\S+)\)$/.exec(pod.source)![1];
    byBuild.set(bc, [...(byBuild.get(bc) ?? []), pod]);
  }
  return [...byBuild].map(([bc, list]) => [bc, list.map((p) => taskName(p.source)).filter((t) => t !== 'buildpacks').join(' and '), list]);
}

const cluster = useCluster();
/** A namespace enforcing each level, with the ServiceAccounts the pods name. */
const enforcing: Partial<Record<Level, string>> = {};

beforeAll(async () => {
  const accounts = new Set([...dist.pods, ...synthesized.pods].map((p) => p.serviceAccountName));
  for (const level of ['restricted', 'baseline'] as const) {
    const ns = await uniqueNamespace(`sec-pss-${level}`, { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': 'latest' });
    for (const name of accounts) {
      if (name === 'default') continue;
      await cluster.api('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } } });
    }
    enforcing[level] = ns;
  }
}, 120_000);

let created = 0;
/** Creates the pod in the namespace enforcing `level`, dry run; the status and the server's message. */
async function createPod(level: Level, pod: PodCase, spec = pod.spec): Promise<{ status: number; message: string }> {
  const ns = enforcing[level]!;
  const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${++created}`, labels: pod.labels }, spec: { ...spec, serviceAccountName: pod.serviceAccountName } };
  const res = await cluster.request('POST', `/api/v1/namespaces/${ns}/pods?dryRun=All`, { body });
  return { status: res.status, message: typeof res.body === 'object' ? String(res.body.message ?? '') : String(res.body) };
}

describe.each([
  ['dist/ (every example)', dist],
  ['an app with every strategy, webhooks, git polling and the in-cluster registry', synthesized],
])('Pod Security of %s', (_, cases) => {
  it.each(cases.pods.map((p) => [`${p.level}: ${p.source}`, p] as const))('%s is admitted, and refused once privileged', async (_, pod) => {
    expect(await createPod(pod.level, pod)).toEqual({ status: 201, message: '' });
    const refused = await createPod(pod.level, pod, privileged(pod.spec));
    expect(refused.status).toBe(403);
    expect(refused.message).toContain(`violates PodSecurity "${pod.level}:latest": privileged (container "${pod.spec.containers[0].name}" must not set securityContext.privileged=true)`);
  });

  it.each(buildsOf(cases.pods))('the builds of %s need baseline: restricted refuses %s', async (_, expected, pods) => {
    const refused: string[] = [];
    for (const pod of pods) {
      const answer = await createPod('restricted', pod);
      if (answer.status === 403 && answer.message.includes('violates PodSecurity "restricted:latest"')) refused.push(pod.source);
      else expect(answer).toEqual({ status: 201, message: '' });
    }
    expect(refused.map(taskName).join(' and ')).toBe(expected);
  });
});

describe('the pods checked', () => {
  it('are all of ours in dist/: the controller, the registry and its credentials Job, each import CronJob and each build Task', () => {
    const checked = sources(dist.pods);
    expect(checked).toContainEqual(expect.stringMatching(/^restricted Deployment\/imagestreams-system\/imagestreams-controller$/));
    expect(checked).toContainEqual(expect.stringMatching(/^restricted Deployment\/imagestreams-system\/imagestreams-registry$/));
    expect(checked).toContainEqual(expect.stringMatching(/^restricted Job\/imagestreams-system\/imagestreams-registry-credentials-[0-9a-f]{8}$/));
    expect(checked).toContainEqual(expect.stringMatching(/^restricted CronJob\/imagestreams-system\/seed-jdk8-import$/));
    expect(checked).toContainEqual(expect.stringMatching(/^baseline Task\/seed\/buildah-build-[0-9a-f]{8} \(run by BuildConfig\/seed\/foo\)$/));
    expect(checked).toContainEqual(expect.stringMatching(/^baseline Task\/seed\/git-fetch-[0-9a-f]{8} \(run by BuildConfig\/seed\/foo\)$/));
    // The examples' own workloads claim no level of ours.
    expect(dist.others.every((o) => !o.includes('imagestreams'))).toBe(true);
  });

  it('cover every kind of pod of the every-strategy app', () => {
    const checked = sources(synthesized.pods).map((s) => s.replace(/-[0-9a-f]{8}( \(|$)/, '$1'));
    expect(checked).toEqual([
      'baseline Task/builds/git-fetch (run by BuildConfig/builds/docker)',
      'baseline Task/builds/buildah-build (run by BuildConfig/builds/docker)',
      'baseline Task/builds/git-fetch (run by BuildConfig/builds/s2i)',
      'baseline Task/builds/s2i-generate (run by BuildConfig/builds/s2i)',
      'baseline Task/builds/buildah-build (run by BuildConfig/builds/s2i)',
      'baseline Task/builds/git-fetch (run by BuildConfig/builds/cnb)',
      'baseline Task/builds/buildpacks (run by BuildConfig/builds/cnb)',
      'baseline Task/builds/inline-dockerfile (run by BuildConfig/builds/inline)',
      'baseline Task/builds/buildah-build (run by BuildConfig/builds/inline)',
      'baseline Task/builds/git-fetch (run by BuildConfig/builds/userns)',
      'baseline Task/builds/buildah-build (run by BuildConfig/builds/userns)',
      'baseline Task/builds/git-fetch (run by BuildConfig/builds/images)',
      'baseline Task/builds/image-sources (run by BuildConfig/builds/images)',
      'baseline Task/builds/buildah-build (run by BuildConfig/builds/images)',
      'restricted CronJob/imagestreams-system/builds-base-import',
      'restricted CronJob/builds/docker-git-poll',
      'restricted Deployment/imagestreams-system/imagestreams-controller',
      'restricted Deployment/imagestreams-system/imagestreams-registry',
      'restricted Job/imagestreams-system/imagestreams-registry-credentials',
    ].sort());
    expect(synthesized.others).toEqual([]);
    // The user-namespace build runs its pods with hostUsers: false.
    expect(synthesized.pods.filter((p) => p.source.includes('BuildConfig/builds/userns')).map((p) => p.spec.hostUsers)).toEqual([false, false]);
  });
});
