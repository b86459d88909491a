import { ApiObject, App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, type BuildConfigProps } from '../../../constructs/buildconfig';

afterEach(() => vi.restoreAllMocks());

/** An app with a System (by default with an external registry), jdk8 (imported) and foo in namespace seed. */
function setup(registry: StreamRegistry | 'none' = StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push' })) {
  const app = Testing.app();
  new System(app, 'imagestreams', registry === 'none' ? {} : { registry });
  const chart = new Chart(app, 'seed', { namespace: 'seed' });
  const jdk8 = new ImageStream(chart, 'jdk8');
  jdk8.importTag('latest', { from: 'docker.io/library/eclipse-temurin:8-jdk' });
  const foo = new ImageStream(chart, 'foo');
  return { app, chart, jdk8, foo };
}

const git = () => BuildSource.git({ uri: 'https://github.com/example/foo.git', ref: 'main' });
type Manifest = { kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, any>; [key: string]: unknown };
const synth = (chart: Chart) => Testing.synth(chart) as Manifest[];
const find = (objects: Manifest[], kind: string, name?: string) => objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('BuildConfig', () => {
  it('synthesizes the BuildConfig, its Pipeline, the shared Tasks and the builder ServiceAccount', () => {
    // GIVEN the seed's foo: git → Dockerfile FROM jdk8:latest → foo:latest
    const { chart, jdk8, foo } = setup();
    new BuildConfig(chart, 'foo-build', {
      name: 'foo',
      source: git(),
      strategy: BuildStrategy.dockerfile({ from: jdk8.tag('latest') }),
      output: BuildOutput.imageStreamTag(foo.tag('latest')),
    });
    // WHEN synthesized
    const objects = synth(chart);
    // THEN the custom resource says what starts builds and how runs get their inputs
    const [bc] = find(objects, 'BuildConfig');
    expect(bc).toEqual({
      apiVersion: 'imagestreams.dev/v1alpha1',
      kind: 'BuildConfig',
      metadata: { name: 'foo', namespace: 'seed' },
      spec: {
        pipelineRef: { name: 'foo' },
        source: { type: 'Git', git: { uri: 'https://github.com/example/foo.git', ref: 'main' } },
        strategy: { type: 'Docker', dockerStrategy: { from: { kind: 'ImageStreamTag', name: 'jdk8:latest' } } },
        output: { to: { kind: 'ImageStreamTag', name: 'foo:latest' }, pushSecret: { name: 'push' } },
        triggers: [{ type: 'ImageChange', imageChange: {} }, { type: 'ConfigChange', configChange: {} }],
        runPolicy: 'Serial',
        successfulBuildsHistoryLimit: 5,
        failedBuildsHistoryLimit: 5,
        serviceAccountName: 'imagestreams-builder',
        workspaces: [
          { name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } },
          { name: 'dockerconfig', secret: { secretName: 'push' } },
        ],
        podTemplate: { automountServiceAccountToken: false },
      },
    });
    // AND the Pipeline carries the settings as defaults, fetch → build
    const [pipeline] = find(objects, 'Pipeline');
    expect(pipeline.metadata).toEqual({ name: 'foo', namespace: 'seed', labels: { 'imagestreams.dev/buildconfig': 'foo' } });
    const defaults = Object.fromEntries(pipeline.spec.params.map((p: { name: string; default: unknown }) => [p.name, p.default]));
    expect(defaults).toEqual({
      REVISION: 'main', URL: 'https://github.com/example/foo.git', BASE_IMAGE: '', CONTEXT_DIR: '.',
      IMAGE: 'registry.example.com/seed/foo:latest', INSECURE_REGISTRIES: [], ENV: [], RUN_ENV: [], LABELS: [], DOCKERFILE: 'Dockerfile', BUILD_ARGS: [], RUN_BUILD_ARGS: [],
      NO_CACHE: 'false', STAGE_IMAGES: [],
      CACHE_REPOSITORY: 'registry.example.com/seed/foo/cache',
    });
    expect(pipeline.spec.tasks.map((t: { name: string }) => t.name)).toEqual(['fetch', 'build']);
    expect(pipeline.spec.results.map((r: { name: string }) => r.name)).toEqual(['IMAGE_DIGEST', 'IMAGE_URL', 'COMMIT', 'BASE_IMAGE']);
    // AND the Tasks it refers to are emitted once each, in its namespace, with hashed names
    const taskNames = find(objects, 'Task').map((t) => `${t.metadata.namespace}/${t.metadata.name}`);
    expect(taskNames).toEqual(pipeline.spec.tasks.map((t: { taskRef: { name: string } }) => `seed/${t.taskRef.name}`));
    expect(taskNames).toEqual([expect.stringMatching(/^seed\/git-fetch-[0-9a-f]{8}$/), expect.stringMatching(/^seed\/buildah-build-[0-9a-f]{8}$/)]);
    // AND build pods run as a ServiceAccount without a token, bound to no Role
    expect(find(objects, 'ServiceAccount', 'imagestreams-builder')).toEqual([expect.objectContaining({ automountServiceAccountToken: false })]);
    expect(find(objects, 'RoleBinding').map((b) => (b as unknown as { subjects: { name: string }[] }).subjects[0].name)).not.toContain('imagestreams-builder');
    // AND the output tag is declared on the stream
    expect(foo.hasTag('latest')).toBe(true);
  });

  it('shares identical Tasks between the BuildConfigs of a namespace, and only those', () => {
    // GIVEN two Dockerfile builds in seed, one with other resources, and one build in another namespace
    const { app, chart, foo } = setup();
    const props = (image: string): BuildConfigProps => ({ source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image(image) });
    new BuildConfig(chart, 'a', props('r.io/a:1'));
    new BuildConfig(chart, 'b', props('r.io/b:1'));
    new BuildConfig(chart, 'c', { ...props('r.io/c:1'), resources: { cpu: { request: Cpu.millis(500) }, memory: { limit: Size.gibibytes(2) } } });
    const other = new Chart(app, 'other', { namespace: 'other' });
    new BuildConfig(other, 'd', props('r.io/d:1'));
    void foo;
    // WHEN synthesized
    const tasks = find(synth(chart), 'Task');
    const otherTasks = find(synth(other), 'Task');
    // THEN seed has one git-fetch and two buildah-builds (the resources differ); other has its own copies
    expect(tasks.map((t) => t.metadata.name.replace(/-[0-9a-f]{8}$/, ''))).toEqual(['git-fetch', 'buildah-build', 'buildah-build']);
    const limited = tasks[2].spec.steps.find((s: { name: string }) => s.name === 'build');
    expect(limited.computeResources).toEqual({ requests: { cpu: '500m' }, limits: { memory: '2Gi' } });
    expect(otherTasks.map((t) => t.metadata.name)).toEqual(tasks.slice(0, 2).map((t) => t.metadata.name));
    expect(otherTasks.every((t) => t.metadata.namespace === 'other')).toBe(true);
  });

  it('records the optional settings where the controller copies them into each PipelineRun', () => {
    const { chart } = setup();
    new BuildConfig(chart, 'app', {
      source: BuildSource.git({ uri: 'git@github.com:example/app.git', ref: 'main', contextDir: 'svc', sourceSecret: 'git-ssh' }),
      strategy: BuildStrategy.dockerfile({ from: 'docker.io/library/alpine:3.20', pullSecret: 'pull' }),
      output: BuildOutput.image('registry.example.com/team/app:dev', { pushSecret: 'team-push', imageLabels: { team: 'a' } }),
      triggers: [BuildTrigger.webhook({ type: 'GitHub', secret: 'hook' })],
      runPolicy: 'SerialLatestOnly',
      successfulBuildsHistoryLimit: 2,
      failedBuildsHistoryLimit: 0,
      timeout: Duration.minutes(90),
      nodeSelector: { 'kubernetes.io/arch': 'amd64' },
      serviceAccount: 'builder',
      userNamespace: true,
    });
    const objects = synth(chart);
    const [bc] = find(objects, 'BuildConfig');
    expect(bc.spec).toMatchObject({
      source: { type: 'Git', git: { uri: 'git@github.com:example/app.git', ref: 'main' }, contextDir: 'svc', sourceSecret: { name: 'git-ssh' } },
      strategy: { type: 'Docker', dockerStrategy: { from: { kind: 'DockerImage', name: 'docker.io/library/alpine:3.20' }, pullSecret: { name: 'pull' } } },
      output: { to: { kind: 'DockerImage', name: 'registry.example.com/team/app:dev' }, pushSecret: { name: 'team-push' }, imageLabels: [{ name: 'team', value: 'a' }] },
      triggers: [{ type: 'GitHub', github: { secretReference: { name: 'hook' } } }],
      runPolicy: 'SerialLatestOnly',
      successfulBuildsHistoryLimit: 2,
      failedBuildsHistoryLimit: 0,
      timeout: '1h30m0s',
      serviceAccountName: 'builder',
      podTemplate: { nodeSelector: { 'kubernetes.io/arch': 'amd64' }, hostUsers: false, automountServiceAccountToken: false },
    });
    expect(bc.spec.workspaces.map((w: { name: string; secret?: { secretName: string } }) => [w.name, w.secret?.secretName])).toEqual([
      ['source', undefined], ['git-credentials', 'git-ssh'], ['dockerconfig', 'team-push'], ['pull-dockerconfig', 'pull'],
    ]);
    // A given ServiceAccount is the user's: none is generated
    expect(find(objects, 'ServiceAccount', 'imagestreams-builder')).toEqual([]);
    const [pipeline] = find(objects, 'Pipeline');
    const defaults = Object.fromEntries(pipeline.spec.params.map((p: { name: string; default: unknown }) => [p.name, p.default]));
    expect(defaults).toMatchObject({ REVISION: 'main', BASE_IMAGE: 'docker.io/library/alpine:3.20', CONTEXT_DIR: 'svc', LABELS: ['team=a'] });
  });

  it('has only a configChange trigger by default when the base is no stream tag, and none with triggers: []', () => {
    const { chart } = setup();
    const plain = new BuildConfig(chart, 'plain', { source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image('r.io/a:1') });
    const manual = new BuildConfig(chart, 'manual', { source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image('r.io/b:1'), triggers: [] });
    expect(plain.triggers.map((t) => t.type)).toEqual(['ConfigChange']);
    expect(manual.triggers).toEqual([]);
    expect(find(synth(chart), 'BuildConfig', 'manual')[0].spec.triggers).toEqual([]);
  });

  it('stages: recorded in the spec, fixed images as the Pipeline\'s STAGE_IMAGES default, stream-tag stages trigger builds', () => {
    // GIVEN a multi-stage build: the image FROM jdk8, the build stage FROM a stream tag, a tools stage FROM a fixed image
    const { chart, jdk8, foo } = setup(StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push', pullSecret: 'pull' }));
    const jdk17 = new ImageStream(chart, 'jdk17');
    jdk17.importTag('latest', { from: 'docker.io/library/eclipse-temurin:17-jdk' });
    const bc = new BuildConfig(chart, 'multi', {
      source: git(), output: BuildOutput.imageStreamTag(foo.tag('latest')),
      strategy: BuildStrategy.dockerfile({ from: jdk8.tag('latest'), stages: { build: jdk17.tag('latest'), tools: 'alpine:3.20', again: jdk8.tag('latest') } }),
    });
    const objects = synth(chart);
    const spec = find(objects, 'BuildConfig', 'multi')[0].spec;
    // THEN the spec lists every stage for the controller, the Pipeline has the fixed ones as default
    expect(spec.strategy).toEqual({
      type: 'Docker',
      dockerStrategy: {
        from: { kind: 'ImageStreamTag', name: 'jdk8:latest' },
        stages: [
          { name: 'again', from: { kind: 'ImageStreamTag', name: 'jdk8:latest' } },
          { name: 'build', from: { kind: 'ImageStreamTag', name: 'jdk17:latest' } },
          { name: 'tools', from: { kind: 'DockerImage', name: 'docker.io/library/alpine:3.20' } },
        ],
        pullSecret: { name: 'pull' },
      },
    });
    const pipeline = find(objects, 'Pipeline', 'multi')[0].spec;
    expect(pipeline.params.find((p: { name: string }) => p.name === 'STAGE_IMAGES')).toMatchObject({ type: 'array', default: ['tools=docker.io/library/alpine:3.20'] });
    expect(pipeline.tasks[1].params).toContainEqual({ name: 'STAGE_IMAGES', value: ['$(params.STAGE_IMAGES[*])'] });
    // AND the base and the other stream tag start builds, once each; the registry's pull secret pulls them
    expect(bc.imageTriggerTags()).toEqual(['seed/jdk8:latest', 'seed/jdk17:latest']);
    expect(spec.workspaces).toContainEqual({ name: 'pull-dockerconfig', secret: { secretName: 'pull' } });
  });

  it('layer cache: under the output\'s repository, pulled with the registry\'s pull secret; noCache turns it off', () => {
    const { chart, foo } = setup(StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push', pullSecret: 'pull' }));
    new BuildConfig(chart, 'cached', { source: git(), strategy: BuildStrategy.dockerfile({ from: 'alpine:3.20' }), output: BuildOutput.imageStreamTag(foo.tag('latest')) });
    new BuildConfig(chart, 'uncached', { source: git(), strategy: BuildStrategy.sourceToImage({ builderImage: 'r.io/s2i:1', noCache: true }), output: BuildOutput.image('r.io/team/app:2') });
    const objects = synth(chart);
    const defaults = (name: string) => Object.fromEntries(find(objects, 'Pipeline', name)[0].spec.params.map((p: { name: string; default: unknown }) => [p.name, p.default]));
    expect(defaults('cached')).toMatchObject({ NO_CACHE: 'false', CACHE_REPOSITORY: 'registry.example.com/seed/foo/cache' });
    expect(defaults('uncached')).toMatchObject({ NO_CACHE: 'true', CACHE_REPOSITORY: 'r.io/team/app/cache' });
    expect(find(objects, 'BuildConfig', 'cached')[0].spec.workspaces).toContainEqual({ name: 'pull-dockerconfig', secret: { secretName: 'pull' } });
    expect(find(objects, 'BuildConfig', 'uncached')[0].spec.workspaces.map((w: { name: string }) => w.name)).not.toContain('pull-dockerconfig');
  });

  it('counts triggers added after construction', () => {
    const { chart, jdk8 } = setup();
    const bc = new BuildConfig(chart, 'late', { source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image('r.io/a:1'), triggers: [] });
    bc.addTrigger(BuildTrigger.imageChange({ from: jdk8.tag('latest') }));
    expect(find(synth(chart), 'BuildConfig')[0].spec.triggers).toEqual([{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'jdk8:latest' } } }]);
  });

  it('pushes stream outputs to the in-cluster registry over http', () => {
    const { chart, foo } = setup(StreamRegistry.inCluster());
    const bc = new BuildConfig(chart, 'foo-build', { source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.imageStreamTag(foo.tag('v1')) });
    expect(bc.pushImage).toBe('imagestreams-registry.imagestreams-system.svc:5000/seed/foo:v1');
    const params = find(synth(chart), 'Pipeline')[0].spec.params;
    expect(params.find((p: { name: string }) => p.name === 'INSECURE_REGISTRIES').default).toEqual(['imagestreams-registry.imagestreams-system.svc:5000']);
  });

  it('is recognised by its brand', () => {
    const { chart } = setup();
    const bc = new BuildConfig(chart, 'x', { source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image('r.io/a:1') });
    expect(BuildConfig.isBuildConfig(bc)).toBe(true);
    expect(BuildConfig.isBuildConfig(chart)).toBe(false);
  });

  describe('a base written as a short name (jdk8:latest)', () => {
    const props = (from: string, stages?: Record<string, string>): BuildConfigProps => ({ source: git(), strategy: BuildStrategy.dockerfile({ from, stages }), output: BuildOutput.image('r.io/a:1') });
    const strategyOf = (chart: Chart) => find(synth(chart), 'BuildConfig')[0].spec.strategy;

    it("means the app's stream of that name in the build's namespace, and follows it", () => {
      const { chart } = setup();
      new BuildConfig(chart, 'x', props('jdk8:latest', { build: 'jdk8:latest' }));
      expect(strategyOf(chart)).toMatchObject({ type: 'Docker', dockerStrategy: { from: { kind: 'ImageStreamTag', name: 'jdk8:latest' }, stages: [{ name: 'build', from: { kind: 'ImageStreamTag', name: 'jdk8:latest' } }] } });
      expect(find(synth(chart), 'BuildConfig')[0].spec.triggers).toContainEqual({ type: 'ImageChange', imageChange: {} });
    });

    it('means Docker Hub when no stream has that name, or when written in full', () => {
      const { chart } = setup();
      new BuildConfig(chart, 'x', props('nginx:1.27'));
      new BuildConfig(chart, 'y', props('docker.io/library/jdk8:latest'));
      const [x, y] = find(synth(chart), 'BuildConfig').map((bc) => bc.spec.strategy.dockerStrategy.from);
      expect([x, y]).toEqual([{ kind: 'DockerImage', name: 'docker.io/library/nginx:1.27' }, { kind: 'DockerImage', name: 'docker.io/library/jdk8:latest' }]);
    });

    it('is refused, naming both readings, when only another namespace has a stream of that name', () => {
      const { app, chart } = setup();
      new ImageStream(new Chart(app, 'base', { namespace: 'base' }), 'builder').importTag('17', { from: 'busybox:1' });
      expect(() => new BuildConfig(chart, 'x', props('builder:17'))).toThrowError(
        "[seed/x] 'from' (builder:17) reads two ways: the Docker Hub image docker.io/library/builder:17, or tag '17' of ImageStream base/builder in this app: write ImageStreamTag.external('base/builder:17') (or the stream's .tag('17')) for the stream, or 'docker.io/library/builder:17' for Docker Hub",
      );
    });

    it('is refused at synthesis when the stream of that name is defined after the BuildConfig', () => {
      const { app, chart } = setup();
      new BuildConfig(chart, 'x', props('later:1'));
      new ImageStream(chart, 'later').importTag('1', { from: 'busybox:1' });
      expect(() => app.synth()).toThrowError("'from' (later:1) reads two ways: the Docker Hub image docker.io/library/later:1, or tag '1' of ImageStream seed/later in this app");
    });
  });

  describe('refuses at synth time', () => {
    const base = (): BuildConfigProps => ({ source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image('r.io/a:1') });

    it('a build pushing to, or building from, a stream of another namespace that grants it nothing', () => {
      // GIVEN the shared stream web/app, and a BuildConfig in seed that builds from and pushes to it
      const { app, chart } = setup();
      const shared = new ImageStream(new Chart(app, 'web', { namespace: 'web' }), 'app');
      shared.importTag('base', { from: 'busybox:1' });
      new BuildConfig(chart, 'intruder', { source: git(), strategy: BuildStrategy.dockerfile({ from: shared.tag('base') }), output: BuildOutput.imageStreamTag(shared.tag('latest')) });
      // WHEN synthesized THEN both uses are refused, with the grant that would allow them
      expect(() => synth(chart)).toThrowError([
        'Validation failed with the following errors:',
        "  [seed/intruder] builds from web/app:base: namespace 'seed' may not pull from ImageStream 'web/app': it grants Pull to namespaces it lists in spec.grants (the stream's owner adds { namespace: 'seed', access: 'Pull' }, or stream.allowPull('seed') in the constructs)",
        "  [seed/intruder] 'output' pushes to web/app:latest: namespace 'seed' may not push to ImageStream 'web/app': it grants Push to namespaces it lists in spec.grants (the stream's owner adds { namespace: 'seed', access: 'Push' }, or stream.allowPush('seed') in the constructs)",
      ].join('\n'));
      // WHEN the stream grants Push (which includes Pull) THEN it synthesizes
      shared.allowPush('seed');
      expect(find(synth(chart), 'BuildConfig', 'intruder')[0].spec.output.to).toEqual({ kind: 'ImageStreamTag', name: 'app:latest', namespace: 'web' });
    });

    it('a stream output when the System has no registry', () => {
      const { chart, foo } = setup('none');
      expect(() => new BuildConfig(chart, 'foo-build', { ...base(), output: BuildOutput.imageStreamTag(foo.tag('latest')) })).toThrowError(
        "[seed/foo-build] 'output' pushes to the stream tag seed/foo:latest, but the System has no registry to push to: set one, new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com' }) }) or StreamRegistry.inCluster(), or push to an image with BuildOutput.image('registry.example.com/team/app:tag')",
      );
    });

    it('a name Tekton cannot use', () => {
      const { chart } = setup();
      const long = 'a'.repeat(64);
      expect(() => new BuildConfig(chart, 'x', { ...base(), name: long })).toThrowError(
        `[seed/x] 'name' (${long}) must be a DNS label of at most 63 characters (lowercase letters, digits and '-'), as Tekton puts it in label values: set a shorter 'name'`,
      );
      expect(() => new BuildConfig(chart, 'Foo', base())).toThrowError(
        "[seed/Foo] 'id' (Foo) must be a DNS label of at most 63 characters (lowercase letters, digits and '-'), as Tekton puts it in label values: set a shorter 'name'",
      );
    });

    it('a duplicate trigger', () => {
      const { chart, jdk8 } = setup();
      const props = { ...base(), strategy: BuildStrategy.dockerfile({ from: jdk8.tag('latest') }) };
      expect(() => new BuildConfig(chart, 'x', { ...props, triggers: [BuildTrigger.configChange(), BuildTrigger.configChange({ onSpecChange: true })] })).toThrowError(
        "[seed/x] 'triggers' has the configChange trigger twice: keep one",
      );
      expect(() => new BuildConfig(chart, 'y', { ...props, triggers: [BuildTrigger.imageChange(), BuildTrigger.imageChange()] })).toThrowError(
        "[seed/y] 'triggers' has the imageChange (the strategy's base) trigger twice: keep one",
      );
    });

    it('an image change trigger that follows a base that is not a stream tag', () => {
      const { chart } = setup();
      const props = { ...base(), strategy: BuildStrategy.dockerfile({ from: 'docker.io/library/alpine:3.20' }) };
      expect(() => new BuildConfig(chart, 'x', { ...props, triggers: [BuildTrigger.imageChange()] })).toThrowError(
        "[seed/x] an imageChange trigger without 'from' follows the strategy's base, which is not a stream tag (docker.io/library/alpine:3.20): set the base to stream.tag('...') or give the trigger 'from: stream.tag(...)'",
      );
    });

    it('a timeout that is not positive', () => {
      const { chart } = setup();
      expect(() => new BuildConfig(chart, 'x', { ...base(), timeout: Duration.seconds(0) })).toThrowError(
        "[seed/x] 'timeout' (0ms) must be positive, e.g. Duration.minutes(30); leave it out for Tekton's default",
      );
    });

    it('run policies and history limits outside their range', () => {
      const { chart } = setup();
      expect(() => new BuildConfig(chart, 'x', { ...base(), runPolicy: 'Queued' as 'Serial' })).toThrowError(
        "[seed/x] 'runPolicy' (Queued) must be one of Serial, Parallel, SerialLatestOnly",
      );
      expect(() => new BuildConfig(chart, 'y', { ...base(), failedBuildsHistoryLimit: -1 })).toThrowError(
        "[seed/y] 'failedBuildsHistoryLimit' (-1) must be a whole number from 0 to 1000",
      );
    });

    it('a service account name that cannot exist', () => {
      const { chart } = setup();
      expect(() => new BuildConfig(chart, 'x', { ...base(), serviceAccount: 'Builder' })).toThrowError(
        "[seed/x] 'serviceAccount' (Builder) must be the name of a ServiceAccount: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
      );
    });

    it('combinations a strategy cannot build', () => {
      const { chart } = setup();
      const cnb = BuildStrategy.buildpacks({ builder: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.400' });
      expect(() => new BuildConfig(chart, 'x', { ...base(), strategy: cnb, output: BuildOutput.image('r.io/a:1', { imageLabels: { a: 'b' } }) })).toThrowError(
        "[seed/x] 'imageLabels' are not supported with BuildStrategy.buildpacks(): set BP_IMAGE_LABELS in the strategy's env (Paketo's image-labels buildpack)",
      );
      expect(() => new BuildConfig(chart, 'y', { ...base(), source: BuildSource.dockerfile('FROM a:1'), strategy: BuildStrategy.sourceToImage() })).toThrowError(
        "[seed/y] 'source' is an inline Dockerfile, which BuildStrategy.sourceToImage() cannot build: use BuildStrategy.dockerfile()",
      );
      const withInputs = BuildSource.git({ uri: 'https://h/r.git', configMaps: [{ configMap: 'maven', destinationDir: 'etc/maven' }] });
      expect(() => new BuildConfig(chart, 'z', { ...base(), source: withInputs, strategy: cnb })).toThrowError(
        "[seed/z] 'source' has configMaps (maven), which BuildStrategy.buildpacks() cannot mount into its phases: use BuildStrategy.dockerfile() or .sourceToImage(), or leave them out",
      );
    });

    it('a postCommit hook without a command, with two, empty, or on Buildpacks', () => {
      const { chart } = setup();
      expect(() => new BuildConfig(chart, 'h1', { ...base(), postCommit: { args: ['x'] } })).toThrowError(
        "[seed/h1] 'postCommit' needs 'script' (run with /bin/sh -c) or 'command' (an exec array): an image's own entrypoint is not run as a hook here",
      );
      expect(() => new BuildConfig(chart, 'h2', { ...base(), postCommit: { script: 'make test', command: ['make'] } })).toThrowError(
        "[seed/h2] 'postCommit' has both 'script' and 'command': give one (a script runs with /bin/sh -c)",
      );
      expect(() => new BuildConfig(chart, 'h3', { ...base(), postCommit: { script: ' ' } })).toThrowError(
        "[seed/h3] 'postCommit.script' (\" \") is empty: write the commands to run, e.g. 'npm test'",
      );
      expect(() => new BuildConfig(chart, 'h4', { ...base(), postCommit: { command: [] } })).toThrowError(
        "[seed/h4] 'postCommit.command' ([]) must name a program, e.g. ['npm', 'test']",
      );
      const cnb = BuildStrategy.buildpacks({ builder: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.400' });
      expect(() => new BuildConfig(chart, 'h5', { ...base(), strategy: cnb, postCommit: { command: ['npm', 'test'] } })).toThrowError(
        "[seed/h5] 'postCommit' is not supported with BuildStrategy.buildpacks(): run the command in a later Pipeline task, or use BuildStrategy.dockerfile()",
      );
    });

    it('a trigger on a Binary BuildConfig, which only start-build can start', () => {
      const { chart } = setup();
      expect(() => new BuildConfig(chart, 'bin', { ...base(), source: BuildSource.binary(), triggers: [BuildTrigger.configChange()] })).toThrowError(
        "[seed/bin] 'triggers' has a configChange trigger, but BuildSource.binary() builds what imagestreams start-build --from-dir/--from-file/--from-archive uploads, so nothing else can start it: remove the trigger (triggers: [])",
      );
    });

    it('a BuildConfig without a namespace', () => {
      const app = Testing.app();
      new System(app, 'imagestreams');
      const chart = new Chart(app, 'nons');
      expect(() => new BuildConfig(chart, 'x', base())).toThrowError(
        "[nons/x] a BuildConfig needs a namespace: set the 'namespace' prop or the chart's namespace",
      );
    });

    it.each([
      [{ namespace: 'Seed' }, "[seed/x] 'namespace' (Seed) is not a namespace name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (a DNS-1123 label)"],
      [{ nodeSelector: { 'kubernetes.io/arch': 'amd 64' } }, `[seed/x] 'nodeSelector.kubernetes.io/arch' ("amd 64") is no label value: a label value is at most 63 letters`],
      [{ nodeSelector: { 'Bad_Prefix/arch': 'amd64' } }, `[seed/x] 'nodeSelector' has the key "Bad_Prefix/arch", which is no label key: a label key is an optional DNS subdomain prefix and '/'`],
      [{ nodeSelector: { [`x/${'a'.repeat(64)}`]: 'amd64' } }, "[seed/x] 'nodeSelector' has the key"],
      [{ nodeSelector: { gpu: true } }, "[seed/x] 'nodeSelector.gpu' (true) must be a string: write it quoted, 'true'"],
      [{ nodeSelector: ['gpu'] }, "[seed/x] 'nodeSelector' (an array of 1) must be an object of strings, e.g. { 'kubernetes.io/arch': 'amd64' }"],
      [{ timeout: 1800 }, "[seed/x] 'timeout' (1800) must be a cdk8s Duration, e.g. Duration.minutes(30)"],
      [{ failedBuildsHistoryLimit: '5' }, `[seed/x] 'failedBuildsHistoryLimit' ("5") must be a number, e.g. 5`],
      [{ triggers: BuildTrigger.configChange() }, "[seed/x] 'triggers' (a BuildTrigger) must be a list, e.g. [BuildTrigger.configChange()]"],
      [{ triggers: [{ type: 'ConfigChange' }] }, "[seed/x] 'triggers[0]' must be made by BuildTrigger: .imageChange(), .configChange(), .gitPoll(), .github({ secret }) …"],
      [{ serviceAcount: 'builder' }, "[seed/x] props has an unknown key 'serviceAcount': did you mean 'serviceAccount'?"],
      [{ userNamespace: 'true' }, `[seed/x] 'userNamespace' ("true") must be true or false`],
      [{ serviceAccount: 7 }, "[seed/x] 'serviceAccount' (7) must be a string, e.g. 'builder'"],
    ])('a wrong prop %j: named with where, the value and the fix', (props, message) => {
      const { chart } = setup();
      expect(() => new BuildConfig(chart, 'x', { ...base(), ...props } as unknown as BuildConfigProps)).toThrowError(message);
    });

    it('a chart whose namespace is no namespace name', () => {
      const app = Testing.app();
      new System(app, 'imagestreams');
      expect(() => new BuildConfig(new Chart(app, 'c', { namespace: 'My Team' }), 'x', base())).toThrowError(
        "[c/x] the namespace of chart 'c' (My Team) is not a namespace name",
      );
    });

    it('accepts a nodeSelector of prefixed keys and an empty value', () => {
      const { chart } = setup();
      new BuildConfig(chart, 'x', { ...base(), nodeSelector: { 'kubernetes.io/arch': 'amd64', 'node.example.com/builder': '' } });
      expect(find(synth(chart), 'BuildConfig')[0].spec.podTemplate.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64', 'node.example.com/builder': '' });
    });

    it('a base tag that its stream does not define, when the app is synthesized', () => {
      const { app, chart, jdk8 } = setup();
      new BuildConfig(chart, 'x', { ...base(), strategy: BuildStrategy.dockerfile({ from: jdk8.tag('17') }) });
      expect(() => app.synth()).toThrowError(
        "'seed/jdk8:17' is not a tag of its stream: define it (importTag, aliasTag …) or refer to it with ImageStreamTag.external('seed/jdk8:17')",
      );
    });
  });

  describe('Pod Security', () => {
    function appWithNamespace(level: string): { app: App; chart: Chart } {
      const app = Testing.app(); // a temporary outdir: app.synth() writes files
      new System(app, 'imagestreams');
      const chart = new Chart(app, 'seed', { namespace: 'seed' });
      new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'seed', labels: { 'pod-security.kubernetes.io/enforce': level } } });
      return { app, chart };
    }

    it('warns once when the app\'s Namespace enforces "restricted" and the build needs "baseline"', () => {
      // GIVEN a restricted namespace and a Dockerfile build in it
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const { app, chart } = appWithNamespace('restricted');
      const bc = new BuildConfig(chart, 'foo', { source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image('r.io/a:1') });
      // WHEN validated twice
      app.synth();
      app.synth();
      // THEN one warning names the path, the namespace, the steps and the fix; it is in the metadata too
      expect(warn).toHaveBeenCalledTimes(1);
      const message = String(warn.mock.calls[0][0]);
      expect(message).toMatch(/^warning: \[seed\/foo\] namespace 'seed' enforces Pod Security "restricted", but the build's pods need "baseline" \(git-fetch-[0-9a-f]{8} step clone runs as root; /);
      expect(message).toContain('step build adds CHOWN, FOWNER, SETFCAP, SETGID, SETUID');
      expect(message).toMatch(/: label the namespace pod-security.kubernetes.io\/enforce=baseline or build in another namespace$/);
      expect(bc.node.metadata.map((m) => m.type)).toEqual(['imagestreams:warning']);
    });

    it('stays quiet for a "baseline" namespace', () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const { app, chart } = appWithNamespace('baseline');
      new BuildConfig(chart, 'foo', { source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image('r.io/a:1') });
      app.synth();
      expect(warn).not.toHaveBeenCalled();
    });
  });
});
