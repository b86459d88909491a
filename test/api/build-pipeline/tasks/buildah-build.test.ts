import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TaskSpec } from '../../../../constructs/tekton';
import { BUILDAH_CAPABILITIES, buildahBuildTask } from '../../../../lib/api/build-pipeline/tasks';
import { run } from '../../../support/registry/exec';
import { startRegistry, type RunningRegistry } from '../../../support/registry/registry';
import {
  commitFiles, imageConfig, imageLayers, makeGitRepo, pushBusyboxBase, readFileFromImage, servedDigest,
} from '../../../support/tekton/build-fixtures';
import { buildTasks, dockerfilePipeline } from '../../../support/tekton/build-pipelines';
import { runPipeline, type RunPipelineOptions } from '../../../support/tekton/run-pipeline';

let registry: RunningRegistry;
let baseOneLayers: string[];
let baseTwoLayers: string[];
let dir: string;

beforeAll(async () => {
  registry = await startRegistry();
  await pushBusyboxBase(registry.host, 'base:one', 'one');
  await pushBusyboxBase(registry.host, 'base:two', 'two');
  baseOneLayers = await imageLayers(registry.host, 'base:one');
  baseTwoLayers = await imageLayers(registry.host, 'base:two');
});
afterAll(async () => registry.close());
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'buildah-build-test-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function build(files: Record<string, string>, params: Record<string, string | string[]>, extra: Partial<RunPipelineOptions> = {}) {
  const repo = await makeGitRepo(path.join(dir, 'repo'), files);
  return runPipeline({
    pipeline: dockerfilePipeline(),
    tasks: buildTasks(),
    params: { URL: repo.url, INSECURE_REGISTRIES: [registry.host], ...params },
    workspaces: { source: path.join(dir, 'source') },
    ...extra,
  });
}

const simpleDockerfile = () => `FROM ${registry.host}/base:one\nRUN echo built > /built\n`;

describe('buildahBuildTask', () => {
  it('runs as root with five capabilities, no privileges and no hostPath', () => {
    const task = buildahBuildTask();
    expect(task.stepTemplate?.securityContext).toEqual({
      runAsUser: 0, runAsGroup: 0, privileged: false, allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['CHOWN', 'FOWNER', 'SETFCAP', 'SETGID', 'SETUID'] },
    });
    expect(task.volumes).toEqual([{ name: 'varlibcontainers', emptyDir: {} }]);
  });

  it('sets a seccomp profile only when given one (RuntimeDefault refuses buildah\'s unshare)', () => {
    const profile = { type: 'Localhost' as const, localhostProfile: 'profiles/buildah.json' };
    expect(buildahBuildTask({ seccompProfile: profile }).stepTemplate?.securityContext?.seccompProfile).toEqual(profile);
  });

  it('gives the push credentials to the push step only, and the pull credentials to the build step only', () => {
    const [buildStep, pushStep] = buildahBuildTask().steps;
    expect(JSON.stringify(buildStep)).not.toContain('workspaces.dockerconfig');
    expect(buildStep.workspaces).toEqual([{ name: 'pull-dockerconfig' }, { name: 'registry-cas' }]);
    expect(JSON.stringify(pushStep)).not.toContain('pull-dockerconfig');
    expect(pushStep.workspaces).toEqual([{ name: 'dockerconfig' }, { name: 'registry-cas' }]);
  });

  it('clones, builds and pushes; IMAGE_DIGEST is the digest the registry serves', async () => {
    // GIVEN a repository with a Dockerfile FROM the busybox base
    // WHEN the Dockerfile pipeline runs
    const result = await build({ Dockerfile: simpleDockerfile() }, { IMAGE: `${registry.host}/app:latest` });
    // THEN the pushed manifest is the one reported, labelled with the commit, on base one
    expect(result.succeeded).toBe(true);
    expect(result.results.IMAGE_DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'app', 'latest'));
    expect(result.results.IMAGE_URL).toBe(`${registry.host}/app:latest`);
    const config = await imageConfig(registry.host, 'app:latest');
    expect(config.config.Labels?.['io.imagestreams.commit']).toBe(result.results.COMMIT);
    expect((await imageLayers(registry.host, 'app:latest'))[0]).toBe(baseOneLayers[0]);
  });

  it('BASE_IMAGE replaces the base of the Dockerfile', async () => {
    // GIVEN a Dockerfile FROM base:one WHEN built with BASE_IMAGE base:two
    const result = await build({ Dockerfile: simpleDockerfile() }, {
      IMAGE: `${registry.host}/rebased:latest`, BASE_IMAGE: `${registry.host}/base:two`,
    });
    // THEN the image stands on base two's layer and carries its marker
    expect(result.succeeded).toBe(true);
    const layers = await imageLayers(registry.host, 'rebased:latest');
    expect(layers[0]).toBe(baseTwoLayers[0]);
    expect(layers[0]).not.toBe(baseOneLayers[0]);
    expect(await readFileFromImage(registry.host, 'rebased:latest', 'etc/base-marker')).toBe('two\n');
  });

  describe('multi-stage Dockerfiles', () => {
    // Two stages on base one: a builder that records its base's marker, and the image, which copies it.
    const multiStage = () => [
      `FROM ${registry.host}/base:one AS build`,
      'RUN cat /etc/base-marker > /built-on',
      '# a comment: FROM nothing',
      'RUN echo "a line saying" \\',
      '  from nowhere > /said',
      `FROM ${registry.host}/base:one`,
      'COPY --from=build /built-on /said /',
    ].join('\n');

    it('BASE_IMAGE replaces the last FROM, the stage that becomes the image (OpenShift\'s rule)', async () => {
      // GIVEN a two-stage Dockerfile WHEN built with BASE_IMAGE base:two
      const result = await build({ Dockerfile: multiStage() }, { IMAGE: `${registry.host}/multi:last`, BASE_IMAGE: `${registry.host}/base:two` });
      // THEN the image stands on base two, and its builder stage kept base one
      expect(result.message).toBeUndefined();
      expect((await imageLayers(registry.host, 'multi:last'))[0]).toBe(baseTwoLayers[0]);
      expect(await readFileFromImage(registry.host, 'multi:last', 'etc/base-marker')).toBe('two\n');
      expect(await readFileFromImage(registry.host, 'multi:last', 'built-on')).toBe('one\n');
      expect(await readFileFromImage(registry.host, 'multi:last', 'said')).toBe('a line saying from nowhere\n');
    });

    it('STAGE_IMAGES replaces the image of a named stage, BASE_IMAGE the last', async () => {
      // WHEN the build stage is given base two, by its name in another case, and the image base one
      const result = await build({ Dockerfile: multiStage() }, {
        IMAGE: `${registry.host}/multi:stages`, STAGE_IMAGES: [`BUILD=${registry.host}/base:two`], BASE_IMAGE: `${registry.host}/base:one`,
      });
      // THEN the builder ran on base two and the image stands on base one
      expect(result.message).toBeUndefined();
      expect(await readFileFromImage(registry.host, 'multi:stages', 'built-on')).toBe('two\n');
      expect(await readFileFromImage(registry.host, 'multi:stages', 'etc/base-marker')).toBe('one\n');
    });

    it('fails before building when STAGE_IMAGES names a stage the Dockerfile does not have', async () => {
      const result = await build({ Dockerfile: multiStage() }, { IMAGE: `${registry.host}/multi:x`, STAGE_IMAGES: [`builder=${registry.host}/base:two`] });
      expect(result).toMatchObject({ succeeded: false, failedStep: 'build' });
      expect(result.logs['build/build']).toBe("buildah-build: param STAGE_IMAGES names stage 'builder', which the Dockerfile does not have (its named stages: build; name one with FROM image AS name)\n");
    });
  });

  describe('reproducible images and the layer cache', () => {
    // A RUN whose output differs each time it really runs (random bytes), a COPY, a RUN after it.
    const files = (app: string) => ({
      Dockerfile: `FROM ${registry.host}/base:one\nRUN head -c 16 /dev/urandom | od -An -tx1 > /deps\nCOPY app.txt /app.txt\nRUN cat /deps /app.txt > /both\n`,
      'app.txt': app,
    });
    const again = (source: string, params: Record<string, string | string[]>) => runPipeline({
      pipeline: dockerfilePipeline(), tasks: buildTasks(), workspaces: { source: path.join(dir, source) },
      params: { URL: `file://${path.join(dir, 'repo')}`, INSECURE_REGISTRIES: [registry.host], ...params },
    });

    it('gives the same digest for the same commit and base, built twice without a cache', async () => {
      // GIVEN a Dockerfile without RUN output that varies WHEN the same commit is built twice, a second apart, on fresh storage
      const first = await build({ Dockerfile: simpleDockerfile(), 'app.txt': 'v1\n' }, { IMAGE: `${registry.host}/repro:1`, NO_CACHE: 'true' });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const second = await again('source2', { IMAGE: `${registry.host}/repro:2`, NO_CACHE: 'true' });
      // THEN both pushed the same image, labelled with the commit's time, not the build's
      expect(first.message).toBeUndefined();
      expect(second.results.IMAGE_DIGEST).toBe(first.results.IMAGE_DIGEST);
      const commitTime = Number((await run('git', ['-C', path.join(dir, 'repo'), 'log', '-1', '--format=%ct'])).trim());
      expect((await imageConfig(registry.host, 'repro:1')).config.Labels?.['org.opencontainers.image.created']).toBe(new Date(commitTime * 1000).toISOString().replace('.000', ''));
    });

    it('reuses the layers of the previous build from the cache repository, and gives the image a cold build gives', async () => {
      // GIVEN a first build that pushed its layers to the cache (three instructions, and one for the labels)
      const cache = `${registry.host}/cached/cache`;
      const first = await build(files('v1\n'), { IMAGE: `${registry.host}/cached:1`, CACHE_REPOSITORY: cache });
      expect(first.message).toBeUndefined();
      expect(first.logs['build/push']).toContain(`buildah-push: layer cache pushed to ${cache} (4 step images)`);
      // WHEN the same commit is built again on fresh storage
      const second = await again('source2', { IMAGE: `${registry.host}/cached:2`, CACHE_REPOSITORY: cache });
      // THEN every step came from the cache (the RUNs did not run again) and the image is the same
      expect(second.logs['build/build']).toContain(`--> Cache pulled from remote ${cache}:`);
      expect(await readFileFromImage(registry.host, 'cached:2', 'deps')).toBe(await readFileFromImage(registry.host, 'cached:1', 'deps'));
      expect(second.results.IMAGE_DIGEST).toBe(first.results.IMAGE_DIGEST);
      // AND the push step, with every step cached, did not replay the build to push the cache again
      expect(second.logs['build/push']).toContain('buildah-push: every step came from the layer cache: nothing new to push to it');
    });

    it('CACHE_PUSH_FROM_BUILD: the build step pushes the cache itself, the push step does not replay the build', async () => {
      // GIVEN a first build whose build step pushes the layer cache
      const cache = `${registry.host}/frombuild/cache`;
      const first = await build(files('v1\n'), { IMAGE: `${registry.host}/frombuild:1`, CACHE_REPOSITORY: cache, CACHE_PUSH_FROM_BUILD: 'true' });
      expect(first.message).toBeUndefined();
      expect(first.logs['build/build']).toContain(`--> Pushing cache ${cache}:`);
      expect(first.logs['build/push']).toContain(`buildah-push: the build step pushed the layer cache to ${cache}`);
      expect(first.logs['build/push']).not.toContain('step images');
      // WHEN the same commit is built again on fresh storage THEN every step comes from that cache, the image is the same
      const second = await again('source2', { IMAGE: `${registry.host}/frombuild:2`, CACHE_REPOSITORY: cache, CACHE_PUSH_FROM_BUILD: 'true' });
      expect(second.logs['build/build']).toContain(`--> Cache pulled from remote ${cache}:`);
      expect(await readFileFromImage(registry.host, 'frombuild:2', 'deps')).toBe(await readFileFromImage(registry.host, 'frombuild:1', 'deps'));
      expect(second.results.IMAGE_DIGEST).toBe(first.results.IMAGE_DIGEST);
    });

    it('after a change of one file, rebuilds only the layers after it', async () => {
      // GIVEN a cached first build WHEN app.txt changes in a new commit
      const cache = `${registry.host}/changed/cache`;
      const repo = await makeGitRepo(path.join(dir, 'repo'), files('v1\n'));
      const first = await again('source1', { IMAGE: `${registry.host}/changed:1`, CACHE_REPOSITORY: cache });
      await commitFiles(repo, 'second', { 'app.txt': 'v2\n' });
      const second = await again('source2', { IMAGE: `${registry.host}/changed:2`, CACHE_REPOSITORY: cache });
      // THEN the RUN before the COPY came from the cache, the layers after it are new
      expect(second.message).toBeUndefined();
      expect(await readFileFromImage(registry.host, 'changed:2', 'deps')).toBe(await readFileFromImage(registry.host, 'changed:1', 'deps'));
      const [one, two] = [await imageLayers(registry.host, 'changed:1'), await imageLayers(registry.host, 'changed:2')];
      expect(two.slice(0, 2)).toEqual(one.slice(0, 2));
      expect(two.slice(2)).not.toContain(one[2]);
      expect(second.results.IMAGE_DIGEST).not.toBe(first.results.IMAGE_DIGEST);
    });

    it('an image built partly from the cache is the image a cold build of the same commit gives', async () => {
      // GIVEN a Dockerfile whose RUNs give the same files each time, built and cached at a first commit
      const cache = `${registry.host}/partly/cache`;
      const steady = { ...files('v1\n'), Dockerfile: files('').Dockerfile.replace('head -c 16 /dev/urandom | od -An -tx1', 'echo deps') };
      const repo = await makeGitRepo(path.join(dir, 'repo'), steady);
      await again('source1', { IMAGE: `${registry.host}/partly:1`, CACHE_REPOSITORY: cache });
      // WHEN a second commit is built from the cache (its first RUN pulled, the rest built), and again cold
      await commitFiles(repo, 'second', { 'app.txt': 'v2\n' });
      const partly = await again('source2', { IMAGE: `${registry.host}/partly:2`, CACHE_REPOSITORY: cache });
      const cold = await again('source3', { IMAGE: `${registry.host}/partly:3`, NO_CACHE: 'true' });
      // THEN both are one image: buildah's history comments and base annotations, which name the cache tags it pulled, are not in it
      expect(partly.logs['build/build']).toContain('--> Cache pulled from remote');
      expect(cold.logs['build/build']).not.toContain('Using cache');
      expect(cold.results.IMAGE_DIGEST).toBe(partly.results.IMAGE_DIGEST);
    });

    it('pushes the cache without running any RUN where the push credentials are: a step that missed the cache fails, the image is pushed', async () => {
      // GIVEN the Task with a step between build and push that changes the sources, so that replaying the build misses the cache
      const task = buildahBuildTask();
      const tamper = { name: 'tamper', image: 'busybox', script: 'echo changed > "$(workspaces.source.path)/app.txt"' };
      const tampered: TaskSpec = { ...task, steps: [task.steps[0], tamper, task.steps[1]] };
      const cache = `${registry.host}/tampered/cache`;
      // WHEN built with a cache repository
      const result = await build(files('v1\n'), { IMAGE: `${registry.host}/tampered:1`, CACHE_REPOSITORY: cache }, { tasks: { ...buildTasks(), 'buildah-build': tampered } });
      // THEN the replayed RUN after the changed COPY met the runtime that runs nothing, the cache push gave up, and the built image was pushed
      expect(result.message).toBeUndefined();
      expect(result.logs['build/push']).toContain('error running container: from /bin/false');
      expect(result.logs['build/push']).toContain(`buildah-push: warning: the layer cache was not pushed to ${cache}; the next build may take longer`);
      expect(await readFileFromImage(registry.host, 'tampered:1', 'app.txt')).toBe('v1\n');
    });

    it('noCache: reuses nothing from the cache and pushes nothing to it', async () => {
      const cache = `${registry.host}/nocache/cache`;
      const first = await build(files('v1\n'), { IMAGE: `${registry.host}/nocache:1`, CACHE_REPOSITORY: cache });
      const second = await again('source2', { IMAGE: `${registry.host}/nocache:2`, CACHE_REPOSITORY: cache, NO_CACHE: 'true' });
      expect(second.message).toBeUndefined();
      expect(second.logs['build/build']).not.toContain('Cache pulled');
      expect(second.logs['build/push']).not.toContain('layer cache');
      expect(await readFileFromImage(registry.host, 'nocache:2', 'deps')).not.toBe(await readFileFromImage(registry.host, 'nocache:1', 'deps'));
      expect(second.results.IMAGE_DIGEST).not.toBe(first.results.IMAGE_DIGEST);
    });
  });

  it('applies BUILD_ARGS, CONTEXT_DIR and DOCKERFILE', async () => {
    // GIVEN a Containerfile in a sub directory that uses a build arg and a file of its context
    const files = {
      'service/hello.txt': 'from the context\n',
      'service/build/Containerfile': `FROM ${registry.host}/base:one\nARG GREETING=unset\nCOPY hello.txt /hello.txt\nRUN echo "$GREETING" > /greeting\n`,
    };
    // WHEN built with those params
    const result = await build(files, {
      IMAGE: `${registry.host}/args:latest`, CONTEXT_DIR: 'service', DOCKERFILE: 'build/Containerfile',
      BUILD_ARGS: ['GREETING=hello world'],
    });
    // THEN the argument kept its space and the context was the sub directory
    expect(result.succeeded).toBe(true);
    expect(await readFileFromImage(registry.host, 'args:latest', 'greeting')).toBe('hello world\n');
    expect(await readFileFromImage(registry.host, 'args:latest', 'hello.txt')).toBe('from the context\n');
  });

  it('puts ENV items after every FROM, so RUN in each stage and the image see them', async () => {
    // GIVEN a two-stage Dockerfile whose RUN mentions the word "from"
    const dockerfile = [
      `FROM ${registry.host}/base:one AS first`,
      'RUN echo "from $A" > /first',
      `from ${registry.host}/base:one`,
      'COPY --from=first /first /first',
      'RUN echo "$A|$B" > /second',
    ].join('\n');
    // WHEN built with env values holding quotes, dollars and spaces
    const result = await build({ Dockerfile: dockerfile }, { IMAGE: `${registry.host}/env:1`, ENV: ['A=say "hi" $HOME', 'B=x y'] });
    // THEN both stages saw them verbatim, and the image keeps them
    expect(result.succeeded).toBe(true);
    expect(await readFileFromImage(registry.host, 'env:1', 'first')).toBe('from say "hi" $HOME\n');
    expect(await readFileFromImage(registry.host, 'env:1', 'second')).toBe('say "hi" $HOME|x y\n');
    expect((await imageConfig(registry.host, 'env:1')).config.Env).toEqual(expect.arrayContaining(['A=say "hi" $HOME', 'B=x y']));
  });

  it('rejects an ENV item that is not NAME=value', async () => {
    const result = await build({ Dockerfile: simpleDockerfile() }, { IMAGE: `${registry.host}/env:2`, ENV: ['1A=x'] });
    expect(result.logs['build/build']).toBe("buildah-build: param ENV item '1A=x' is not NAME=value\n");
  });

  it('fails in the build step with buildah\'s message for a broken Dockerfile', async () => {
    const result = await build({ Dockerfile: `FROM ${registry.host}/base:one\nRUN exit 3\n` }, { IMAGE: `${registry.host}/broken:latest` });
    expect(result).toMatchObject({ succeeded: false, failedTask: 'build', failedStep: 'build' });
    expect(result.logs['build/build']).toContain('Error: building at STEP "RUN exit 3": exit status 3');
    expect(result.logs['build/push']).toBeUndefined();
  });

  it('fails clearly when the Dockerfile is missing', async () => {
    const result = await build({ 'README.md': 'no Dockerfile' }, { IMAGE: `${registry.host}/none:latest` });
    expect(result.logs['build/build']).toBe("buildah-build: param DOCKERFILE './Dockerfile' not found in context '.'\n");
  });

  it('rejects a NO_CACHE that is not a boolean before building', async () => {
    const tasks = buildTasks();
    const pipeline = dockerfilePipeline();
    const build = pipeline.tasks[1];
    const withNoCache = { ...pipeline, tasks: [pipeline.tasks[0], { ...build, params: [...(build.params ?? []), { name: 'NO_CACHE', value: 'yes' }] }] };
    const repo = await makeGitRepo(path.join(dir, 'repo'), { Dockerfile: simpleDockerfile() });
    const result = await runPipeline({
      pipeline: withNoCache, tasks, params: { URL: repo.url, IMAGE: `${registry.host}/x:1` }, workspaces: { source: path.join(dir, 'source') },
    });
    expect(result.logs['build/build']).toBe("buildah-build: param NO_CACHE must be 'true' or 'false', got 'yes'\n");
  });

  it('cannot build without SETFCAP: the capability set is the minimal one', async () => {
    // GIVEN the Task with SETFCAP removed from its capabilities
    const task = buildahBuildTask();
    const context = task.stepTemplate!.securityContext!;
    const weaker: TaskSpec = {
      ...task,
      stepTemplate: {
        securityContext: { ...context, capabilities: { drop: ['ALL'], add: BUILDAH_CAPABILITIES.filter((c) => c !== 'SETFCAP') } },
      },
    };
    // WHEN it builds THEN buildah cannot map root into its user namespace
    const result = await build({ Dockerfile: simpleDockerfile() }, { IMAGE: `${registry.host}/weak:latest` }, {
      tasks: { ...buildTasks(), 'buildah-build': weaker },
    });
    expect(result.failedStep).toBe('build');
    expect(result.logs['build/build']).toMatch(/uid_map: operation not permitted/);
  });

  describe('pushing to a registry with auth', () => {
    let secured: RunningRegistry;
    beforeAll(async () => { secured = await startRegistry({ auth: 'htpasswd' }); });
    afterAll(async () => secured.close());

    function dockerconfig(content?: object): string {
      const secret = path.join(dir, 'dockerconfig');
      mkdirSync(secret);
      chmodSync(dir, 0o755); // the provenance step reads it as uid 1000, as a pod's Secret volume lets it
      if (content) writeFileSync(path.join(secret, '.dockerconfigjson'), JSON.stringify(content));
      return secret;
    }

    it('pushes with a dockerconfigjson secret and fails without one', async () => {
      // GIVEN alice's credentials as a kubernetes.io/dockerconfigjson secret
      const auth = Buffer.from('alice:wonderland').toString('base64');
      const secret = dockerconfig({ auths: { [secured.host]: { auth } } });
      const image = `${secured.host}/private:latest`;
      // WHEN built with and without it
      const insecure = [registry.host, secured.host];
      const withSecret = await build({ Dockerfile: simpleDockerfile() }, { IMAGE: image, INSECURE_REGISTRIES: insecure }, { workspaces: { source: path.join(dir, 'source'), dockerconfig: secret } });
      const without = await runPipeline({
        pipeline: dockerfilePipeline(), tasks: buildTasks(),
        params: { URL: `file://${path.join(dir, 'repo')}`, INSECURE_REGISTRIES: insecure, IMAGE: image },
        workspaces: { source: path.join(dir, 'source2') },
      });
      // THEN the push with credentials stored the reported digest; the other was refused
      expect(withSecret.succeeded).toBe(true);
      expect(withSecret.logs['build/provenance']).toContain(`provenance: pushed the SLSA provenance of ${image.replace(':latest', '')}@${withSecret.results.IMAGE_DIGEST}`);
      const inspected = JSON.parse(await run('skopeo', ['inspect', '--tls-verify=false', '--creds', 'alice:wonderland', `docker://${image}`]));
      expect(inspected.Digest).toBe(withSecret.results.IMAGE_DIGEST);
      expect(without).toMatchObject({ succeeded: false, failedStep: 'push' });
      expect(without.logs['build/push']).toMatch(/authentication required|unauthorized/i);
    });

    it('pushes the provenance statement with Bearer tokens from the registry\'s token server, as buildah pushed the image', async () => {
      // GIVEN a registry with token auth and alice's push secret
      const tokenRegistry = await startRegistry({ auth: 'token' });
      try {
        const secret = dockerconfig({ auths: { [tokenRegistry.host]: { auth: Buffer.from('alice:wonderland').toString('base64') } } });
        const image = `${tokenRegistry.host}/team/app:1`;
        // WHEN built and pushed there
        const result = await build({ Dockerfile: simpleDockerfile() }, { IMAGE: image, INSECURE_REGISTRIES: [registry.host, tokenRegistry.host] }, { workspaces: { source: path.join(dir, 'source'), dockerconfig: secret } });
        // THEN the provenance step got a token for push and pushed the statement and the referrers index
        expect(result.message).toBeUndefined();
        expect(result.logs['build/provenance']).toContain(`provenance: pushed the SLSA provenance of ${tokenRegistry.host}/team/app@${result.results.IMAGE_DIGEST}`);
        const index = JSON.parse(await run('skopeo', ['inspect', '--raw', '--tls-verify=false', '--creds', 'alice:wonderland', `docker://${tokenRegistry.host}/team/app:${result.results.IMAGE_DIGEST.replace(':', '-')}`]));
        expect(index.manifests.map((m: { artifactType: string }) => m.artifactType)).toEqual(['application/vnd.in-toto+json']);
      } finally {
        await tokenRegistry.close();
      }
    });

    it('never lets the user\'s RUN lines see the push credentials, and still pushes', async () => {
      // GIVEN a Dockerfile whose RUN hunts for credentials everywhere it can look, and the push secret bound
      const auth = Buffer.from('alice:wonderland').toString('base64');
      const secret = dockerconfig({ auths: { [secured.host]: { auth } } });
      const hunt = [
        // every file but the kernel's (/proc, /sys, /dev)
        `for d in $(ls / | grep -v -e '^proc$' -e '^sys$' -e '^dev$'); do grep -rls -e wonderland -e ${auth} /$d 2>/dev/null; done`,
        'env | grep -i -e wonderland -e ' + auth,
        'find / \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o \\( -name .dockerconfigjson -o -name auth.json -o -name config.json \\) -print 2>/dev/null',
        'ls /workspace /run/containers 2>/dev/null',
      ].join('; ');
      const image = `${secured.host}/hunter:1`;
      const result = await build({ Dockerfile: `FROM ${registry.host}/base:one\nRUN (${hunt}) > /found; true\n` }, { IMAGE: image, INSECURE_REGISTRIES: [registry.host, secured.host] }, {
        workspaces: { source: path.join(dir, 'source'), dockerconfig: secret },
      });
      // THEN the push worked with them (the digest is the registry's) …
      expect(result.message).toBeUndefined();
      const inspected = JSON.parse(await run('skopeo', ['inspect', '--tls-verify=false', '--creds', 'alice:wonderland', `docker://${image}`]));
      expect(inspected.Digest).toBe(result.results.IMAGE_DIGEST);
      // … and the build's RUN found nothing of them
      expect(await readFileFromImage(secured.host, 'hunter:1', 'found', { username: 'alice', password: 'wonderland' })).toBe('');
    });

    it('pulls a private base with the pull-dockerconfig secret, and fails without it', async () => {
      // GIVEN the base copied into the registry with auth, and alice's credentials for pulling only
      await run('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-creds', 'alice:wonderland',
        `docker://${registry.host}/base:one`, `docker://${secured.host}/private-base:one`]);
      const auth = Buffer.from('alice:wonderland').toString('base64');
      const pull = dockerconfig({ auths: { [secured.host]: { auth } } });
      const dockerfile = `FROM ${secured.host}/private-base:one\nRUN echo built > /built\n`;
      // WHEN built with the pull secret and without it, pushing to the open registry
      const insecure = [registry.host, secured.host];
      const withSecret = await build({ Dockerfile: dockerfile }, { IMAGE: `${registry.host}/from-private:1`, INSECURE_REGISTRIES: insecure }, {
        workspaces: { source: path.join(dir, 'source'), 'pull-dockerconfig': pull },
      });
      const without = await runPipeline({
        pipeline: dockerfilePipeline(), tasks: buildTasks(),
        params: { URL: `file://${path.join(dir, 'repo')}`, INSECURE_REGISTRIES: insecure, IMAGE: `${registry.host}/from-private:2` },
        workspaces: { source: path.join(dir, 'source2') },
      });
      // THEN only the build with credentials got past the pull
      expect(withSecret.succeeded).toBe(true);
      expect(await readFileFromImage(registry.host, 'from-private:1', 'built')).toBe('built\n');
      expect(without).toMatchObject({ succeeded: false, failedStep: 'build' });
      expect(without.logs['build/build']).toMatch(/authentication required|unauthorized/i);
    });

    it('fails clearly when the dockerconfig secret has no config file', async () => {
      const result = await build({ Dockerfile: simpleDockerfile() }, { IMAGE: `${secured.host}/x:1`, INSECURE_REGISTRIES: [registry.host, secured.host] }, {
        workspaces: { source: path.join(dir, 'source'), dockerconfig: dockerconfig() },
      });
      expect(result.logs['build/push'].split('\n').slice(-2)).toEqual([
        'buildah-push: workspace dockerconfig has no .dockerconfigjson (kubernetes.io/dockerconfigjson secret) nor config.json', '',
      ]);
    });

    it.each([
      ['build', 'pull-dockerconfig', 'buildah-build: the pull secret (workspace pull-dockerconfig) is not a kubernetes.io/dockerconfigjson (a JSON object with "auths"): check the Secret it is bound to (its content is not shown)'],
      ['push', 'dockerconfig', 'buildah-push: the push secret (workspace dockerconfig) is not a kubernetes.io/dockerconfigjson (a JSON object with "auths"): check the Secret it is bound to (its content is not shown)'],
    ])('reports a malformed %s secret by its workspace, never quoting it', async (step, workspace, message) => {
      // GIVEN a secret whose file is not JSON: a password pasted where the dockerconfigjson goes
      const secret = path.join(dir, `malformed-${workspace}`);
      mkdirSync(secret);
      writeFileSync(path.join(secret, '.dockerconfigjson'), 'alice:S3CRET-PASSWORD\n');
      // AND one that is JSON but not a dockerconfigjson, for buildah to refuse
      const jsonSecret = path.join(dir, `json-${workspace}`);
      mkdirSync(jsonSecret);
      writeFileSync(path.join(jsonSecret, '.dockerconfigjson'), '{"auths": {"r": "S3CRET-PASSWORD"}, oops S3CRET-PASSWORD');
      // WHEN built with each
      await makeGitRepo(path.join(dir, 'repo'), { Dockerfile: simpleDockerfile() });
      for (const [dirOf, expected] of [[secret, message], [jsonSecret, undefined]] as const) {
        const result = await runPipeline({
          pipeline: dockerfilePipeline(), tasks: buildTasks(),
          params: { URL: `file://${path.join(dir, 'repo')}`, INSECURE_REGISTRIES: [registry.host], IMAGE: `${registry.host}/malformed:1` },
          workspaces: { source: path.join(dir, `source-${path.basename(dirOf)}`), [workspace]: dirOf },
        });
        // THEN the step fails, saying which secret, and the content is nowhere in the logs
        expect(result).toMatchObject({ succeeded: false, failedStep: step });
        if (expected) expect(result.logs[`build/${step}`]).toContain(expected);
        expect(Object.values(result.logs).join('')).not.toContain('S3CRET');
      }
    });
  });
});
