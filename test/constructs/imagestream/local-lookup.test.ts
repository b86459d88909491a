import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parse } from 'yaml';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, ImageStream, System } from '../../../constructs';
import { shortName } from '../../../constructs/imagestream/local-lookup';
import { cli } from '../../support/cli';
import { appSource, REPO_ROOT } from '../../support/temp-app';
import { TEST_REGISTRY } from '../../support/synth-app';

type Obj = { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: any };

const DIGEST = `sha256:${'1'.repeat(64)}`;
let app: App;
let team: Chart;
let jdk8: ImageStream;
beforeEach(() => {
  app = Testing.app();
  new System(app, 'imagestreams', { registry: TEST_REGISTRY() });
  team = new Chart(app, 'team', { namespace: 'team' });
  jdk8 = new ImageStream(team, 'jdk8', { lookupPolicy: { local: true } });
  jdk8.importTag('latest', { from: 'eclipse-temurin:8-jdk' });
  jdk8.pinTag('v1', `eclipse-temurin@${DIGEST}`);
});

/** What synthesis writes: the tree validated from the root down (as cdk8s and the compiler do), then each chart. */
function synth(): Obj[] {
  const problems = app.node.findAll().flatMap((c) => c.node.validate().map((p) => `[${c.node.path}] ${p}`));
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return app.charts.flatMap((c) => Testing.synth(c) as Obj[]);
}
const find = (objects: Obj[], kind: string, namespace = 'team', name?: string) => objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && (name === undefined || o.metadata.name === name))!;
const triggers = (o: Obj) => JSON.parse(o.metadata.annotations?.['imagestreams.dev/triggers'] ?? '[]');
const deployment = (scope: Chart, image: string, initImage?: string) =>
  new ApiObject(scope, 'web', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }], ...(initImage ? { initContainers: [{ name: 'setup', image: initImage }] } : {}) } } },
  });

describe('lookupPolicy local (short names resolved at synth time)', () => {
  it('makes a container named by short name follow the tag, its image the tag\'s pull spec (the digest when pinned)', () => {
    // GIVEN a Deployment of team with containers named jdk8:latest and (init) jdk8:v1
    deployment(team, 'jdk8:latest', 'jdk8:v1');
    // WHEN synthesized
    const web = find(synth(), 'Deployment');
    // THEN both follow their tags, and the images are the source and the pinned digest — never the short name
    expect(triggers(web)).toEqual([
      { from: { kind: 'ImageStreamTag', name: 'jdk8:latest', namespace: 'team' }, fieldPath: 'spec.template.spec.containers[?(@.name=="web")].image', paused: false },
      { from: { kind: 'ImageStreamTag', name: 'jdk8:v1', namespace: 'team' }, fieldPath: 'spec.template.spec.initContainers[?(@.name=="setup")].image', paused: false },
    ]);
    expect(web.spec.template.spec.containers[0].image).toBe('docker.io/library/eclipse-temurin:8-jdk');
    expect(web.spec.template.spec.initContainers[0].image).toBe(`docker.io/library/eclipse-temurin@${DIGEST}`);
    // AND the stream says so in its spec
    expect(find(synth(), 'ImageStream').spec.lookupPolicy).toEqual({ local: true });
  });

  it('works for cdk8s-plus workloads and CronJobs, with a bare name meaning :latest', () => {
    new kplus.Deployment(team, 'plus', { containers: [{ image: 'jdk8' }] });
    new ApiObject(team, 'nightly', {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'job', image: 'jdk8:latest' }] } } } } },
    });
    const objects = synth();
    const plus = find(objects, 'Deployment');
    expect(triggers(plus)).toEqual([{ from: { kind: 'ImageStreamTag', name: 'jdk8:latest', namespace: 'team' }, fieldPath: 'spec.template.spec.containers[?(@.name=="main")].image', paused: false }]);
    expect(plus.spec.template.spec.containers[0].image).toBe('docker.io/library/eclipse-temurin:8-jdk');
    const cron = find(objects, 'CronJob', 'team', 'nightly');
    expect(triggers(cron)[0].fieldPath).toBe('spec.jobTemplate.spec.template.spec.containers[?(@.name=="job")].image');
  });

  it('resolves a build\'s output to the registry behind streams, and an alias to its target', () => {
    // GIVEN app (local lookup) with a build output latest and an alias stable of jdk8:latest
    const out = new ImageStream(team, 'app', { lookupPolicy: { local: true } });
    out.aliasTag('stable', jdk8.tag('latest'));
    new BuildConfig(team, 'app-build', {
      name: 'app', source: BuildSource.git({ uri: 'https://git.example.com/app.git', ref: 'main' }),
      strategy: BuildStrategy.dockerfile({ from: jdk8.tag('latest') }), output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    const web = deployment(team, 'app:latest');
    new ApiObject(team, 'worker', {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'worker' },
      spec: { serviceName: 'worker', selector: { matchLabels: { app: 'worker' } }, template: { metadata: { labels: { app: 'worker' } }, spec: { containers: [{ name: 'w', image: 'app:stable' }] } } },
    });
    const objects = synth();
    expect(find(objects, 'Deployment').spec.template.spec.containers[0].image).toBe('registry.test/team/app:latest');
    expect(find(objects, 'StatefulSet').spec.template.spec.containers[0].image).toBe('docker.io/library/eclipse-temurin:8-jdk');
  });

  it('leaves alone other namespaces, streams without local lookup, full references, and fields that follow a tag already', () => {
    // GIVEN a workload in web naming jdk8:latest, a stream tools without local lookup, a full reference, and an explicit deployTo
    const web = new Chart(app, 'web', { namespace: 'web' });
    deployment(web, 'jdk8:latest');
    new ImageStream(team, 'tools').importTag('latest', { from: 'busybox:1' });
    new ApiObject(team, 'tools-user', {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'tools-user' },
      spec: { selector: { matchLabels: { app: 't' } }, template: { metadata: { labels: { app: 't' } }, spec: { containers: [{ name: 't', image: 'tools:latest' }, { name: 'full', image: 'docker.io/library/jdk8:latest' }] } } },
    });
    jdk8.tag('v1').deployTo(deployment(team, 'jdk8:latest'), { container: 'web' });
    const objects = synth();
    // THEN none of them gets a trigger or a new image, and the explicit one keeps its tag
    expect(find(objects, 'Deployment', 'web').metadata.annotations).toBeUndefined();
    expect(find(objects, 'Deployment', 'web').spec.template.spec.containers[0].image).toBe('jdk8:latest');
    expect(find(objects, 'DaemonSet').metadata.annotations).toBeUndefined();
    const explicit = find(objects, 'Deployment');
    expect(triggers(explicit).map((t: { from: { name: string } }) => t.from.name)).toEqual(['jdk8:v1']);
    expect(explicit.spec.template.spec.containers[0].image).toBe('jdk8:latest');
  });

  it('refuses a short name of a tag the stream does not define, naming the workload and the fix', () => {
    deployment(team, 'jdk8:nope');
    expect(() => synth()).toThrowError("[] team/web: container 'web' names 'jdk8:nope', but ImageStream 'team/jdk8' (lookupPolicy local) defines no tag 'nope': define it, or write the image in full");
  });

  it('reads short names as OpenShift does', () => {
    expect(shortName('jdk8:latest')).toEqual({ stream: 'jdk8', tag: 'latest' });
    expect(shortName('jdk8')).toEqual({ stream: 'jdk8', tag: 'latest' });
    for (const full of ['library/jdk8:1', 'quay.io/x:1', 'jdk8@sha256:abc', 'Jdk8:1', 'a:b:c', undefined]) expect(shortName(full)).toBeUndefined();
  });
});

describe('lookupPolicy local through the compiler', () => {
  // Inside the repository (its git-ignored tmp/), so that the entry's import of the constructs' sources
  // finds this package, as an app of the repository's examples does.
  let dir: string;
  beforeAll(() => {
    mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
    dir = mkdtempSync(join(REPO_ROOT, 'tmp', 'lookup-'));
    process.env.IMAGESTREAMS_CACHE_DIR = join(dir, 'cache');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imagestreams synth resolves a short name, and refuses an undefined tag with the construct path', async () => {
    const imports = `import { ImageStream, System } from '../../constructs';`;
    const body = (tag: string) => `new System(app, 'imagestreams');
const team = new Chart(app, 'team', { namespace: 'team' });
new ImageStream(team, 'jdk8', { lookupPolicy: { local: true } }).importTag('latest', { from: 'eclipse-temurin:8-jdk' });
new ApiObject(team, 'web', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'web', image: 'jdk8:${tag}' }] } } } });`;
    writeFileSync(join(dir, 'main.ts'), appSource(body('latest'), imports));
    const run = await cli(dir, 'synth', '--stdout');
    expect(run.stderr).toBe('');
    const web = run.stdout.split(/^---$/m).map((d) => parse(d) as Obj).find((o) => o?.kind === 'Deployment' && o.metadata.name === 'web')!;
    expect(web.spec.template.spec.containers[0].image).toBe('docker.io/library/eclipse-temurin:8-jdk');
    expect(triggers(web)[0].from).toEqual({ kind: 'ImageStreamTag', name: 'jdk8:latest', namespace: 'team' });
    writeFileSync(join(dir, 'main.ts'), appSource(body('nope'), imports));
    const refused = await cli(dir, 'synth', '--stdout');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("team/web: container 'web' names 'jdk8:nope', but ImageStream 'team/jdk8' (lookupPolicy local) defines no tag 'nope'");
  });
});
