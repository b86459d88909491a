import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PipelineSpec, Step } from '../../../../constructs/tekton';
import { buildpacksTask, CNB_PLATFORM_API } from '../../../../lib/api/build-pipeline/tasks';
import { restrictedProblems } from '../../../../constructs/buildconfig/pod-security-warning';
import { writeFiles } from '../../../support/tekton/build-fixtures';
import { runPipeline } from '../../../support/tekton/run-pipeline';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;
const IMAGE = 'reg.test:5000/team/app:1';
/** In the push secret only: wherever it shows up, the credentials are there. */
const MARK = 'dTpwCREDMARK';
const SECRET = `{"auths":{"reg.test:5000":{"auth":"${MARK}"}}}`;
const PHASES = ['analyzer', 'detector', 'restorer', 'builder', 'exporter'] as const;
type Phase = typeof PHASES[number];

/**
 * The inputs of each phase that have an environment variable, as the Platform Interface
 * Specification 0.13 lists them (its Inputs tables), and CNB_PLATFORM_API, which every phase reads.
 */
const SPEC_ENV: Record<Phase, readonly string[]> = {
  analyzer: ['CNB_ANALYZED_PATH', 'CNB_CACHE_IMAGE', 'CNB_USE_DAEMON', 'CNB_GROUP_ID', 'CNB_INSECURE_REGISTRIES', 'CNB_LAYERS_DIR', 'CNB_USE_LAYOUT', 'CNB_LAYOUT_DIR', 'CNB_LAUNCH_CACHE_DIR', 'CNB_LOG_LEVEL', 'CNB_PREVIOUS_IMAGE', 'CNB_RUN_PATH', 'CNB_RUN_IMAGE', 'CNB_SKIP_LAYERS', 'CNB_USER_ID'],
  detector: ['CNB_ANALYZED_PATH', 'CNB_APP_DIR', 'CNB_BUILD_CONFIG_DIR', 'CNB_BUILDPACKS_DIR', 'CNB_EXTENSIONS_DIR', 'CNB_GENERATED_DIR', 'CNB_GROUP_PATH', 'CNB_LAYERS_DIR', 'CNB_LOG_LEVEL', 'CNB_ORDER_PATH', 'CNB_PLAN_PATH', 'CNB_PLATFORM_DIR', 'CNB_RUN_PATH'],
  restorer: ['CNB_ANALYZED_PATH', 'CNB_BUILD_IMAGE', 'CNB_CACHE_DIR', 'CNB_CACHE_IMAGE', 'CNB_USE_DAEMON', 'CNB_GROUP_ID', 'CNB_GROUP_PATH', 'CNB_INSECURE_REGISTRIES', 'CNB_LAYERS_DIR', 'CNB_LOG_LEVEL', 'CNB_SKIP_LAYERS', 'CNB_USER_ID'],
  builder: ['CNB_ANALYZED_PATH', 'CNB_APP_DIR', 'CNB_BUILD_CONFIG_DIR', 'CNB_BUILDPACKS_DIR', 'CNB_GROUP_PATH', 'CNB_LAYERS_DIR', 'CNB_LOG_LEVEL', 'CNB_PLAN_PATH', 'CNB_PLATFORM_DIR'],
  exporter: ['CNB_ANALYZED_PATH', 'CNB_APP_DIR', 'CNB_CACHE_DIR', 'CNB_CACHE_IMAGE', 'CNB_USE_DAEMON', 'CNB_EXTENDED_DIR', 'CNB_GROUP_ID', 'CNB_GROUP_PATH', 'CNB_INSECURE_REGISTRIES', 'CNB_LAUNCH_CACHE_DIR', 'CNB_LAYERS_DIR', 'CNB_USE_LAYOUT', 'CNB_LAYOUT_DIR', 'CNB_LOG_LEVEL', 'CNB_PARALLEL_EXPORT', 'CNB_PROCESS_TYPE', 'CNB_PROJECT_METADATA_PATH', 'CNB_REPORT_PATH', 'CNB_RUN_PATH', 'CNB_USER_ID'],
};
/** The Task's step for each phase. */
const STEP_OF: Record<Phase, string> = { analyzer: 'analyze', detector: 'detect', restorer: 'restore', builder: 'build', exporter: 'export' };

let dir: string;
let stubDir: string;
let seen: string;
let umask: number;
beforeAll(() => {
  // The kubelet makes emptyDir volumes 0777; the step runner makes them root's with mkdir, under
  // the umask. Without this the CNB user's steps could not write the volumes they share.
  umask = process.umask(0);
});
afterAll(() => process.umask(umask));
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'buildpacks-test-'));
  chmodSync(dir, 0o755); // the steps run as the CNB user, not root
  stubDir = path.join(dir, 'bin');
  seen = path.join(dir, 'seen');
  mkdirSync(stubDir);
  mkdirSync(seen, { mode: 0o777 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Stand-ins for the lifecycle's five phases, one script under each name. Each records in
 * $SEEN/<phase>/ its arguments, uid, CNB_ variables, whole environment and the credentials it can
 * use (DOCKER_CONFIG, SSL_CERT_DIR), and does what its phase leaves for the next: analyzed.toml,
 * group.toml, a layer, report.toml. `hunt DIR...` lists the files holding the secret's MARK.
 */
function installStubLifecycle(report: string): void {
  writeFileSync(path.join(stubDir, 'report.toml'), report);
  const script = `#!/bin/sh
set -eu
phase="\${0##*/}"
out="$SEEN/$phase"
mkdir -p "$out"
echo "$phase" >> "$SEEN/order"
hunt() { grep -rl "${MARK}" "$@" 2>/dev/null || true; }
printf '%s\\n' "$@" > "$out/args"
id -u > "$out/uid"
env | grep '^CNB_' | sort > "$out/cnb-env"
env > "$out/env"
if [ -n "\${DOCKER_CONFIG:-}" ]; then
  cp "$DOCKER_CONFIG/config.json" "$out/docker-config"
  printf '%s' "$DOCKER_CONFIG" > "$out/docker-config-dir"
  hunt "$DOCKER_CONFIG" > "$out/hunt"
fi
[ -z "\${SSL_CERT_DIR:-}" ] || ls "$SSL_CERT_DIR" > "$out/cas"
case "$phase" in
  analyzer) echo '[run-image]' > "$CNB_LAYERS_DIR/analyzed.toml";;
  detector)
    ls -A "$CNB_APP_DIR" > "$out/app"
    for f in "$CNB_PLATFORM_DIR"/env/*; do [ -e "$f" ] || continue; printf '%s=%s\\n' "\${f##*/}" "$(cat "$f")"; done > "$out/platform-env"
    echo '[[group]]' > "$CNB_LAYERS_DIR/group.toml";;
  restorer) ls "$CNB_LAYERS_DIR" > "$out/layers";;
  builder)
    touch "$CNB_APP_DIR/written-by-buildpack"
    mkdir -p "$CNB_LAYERS_DIR/bp/layer"
    # Everything this step shares with the others, its HOME, and where analyze kept its copy.
    hunt "$CNB_APP_DIR" "$CNB_LAYERS_DIR" "$CNB_PLATFORM_DIR" "$HOME" > "$out/hunt"
    analyze_copy="$(cat "$SEEN/analyzer/docker-config-dir" 2>/dev/null || true)"
    if [ -n "$analyze_copy" ] && [ -e "$analyze_copy" ]; then echo "$analyze_copy" >> "$out/hunt"; fi;;
  exporter)
    ls "$CNB_LAYERS_DIR" > "$out/layers"
    ls -A "$CNB_APP_DIR" > "$out/app"
    for arg do case "$arg" in -report=*) cp "${stubDir}/report.toml" "\${arg#-report=}";; esac; done;;
esac
`;
  for (const phase of PHASES) writeFileSync(path.join(stubDir, phase), script, { mode: 0o755 });
}

const pipeline: PipelineSpec = {
  params: [{ name: 'IMAGE' }, { name: 'INSECURE_REGISTRIES', type: 'array', default: [] }, { name: 'ENV', type: 'array', default: [] }, { name: 'CONTEXT', default: '.' }],
  workspaces: [{ name: 'source' }, { name: 'dockerconfig', optional: true }, { name: 'registry-cas', optional: true }],
  results: [{ name: 'IMAGE_DIGEST', value: '$(tasks.build.results.IMAGE_DIGEST)' }, { name: 'IMAGE_URL', value: '$(tasks.build.results.IMAGE_URL)' }],
  tasks: [{
    name: 'build',
    taskRef: { name: 'buildpacks' },
    params: [
      { name: 'IMAGE', value: '$(params.IMAGE)' }, { name: 'INSECURE_REGISTRIES', value: ['$(params.INSECURE_REGISTRIES[*])'] },
      { name: 'ENV', value: ['$(params.ENV[*])'] }, { name: 'CONTEXT', value: '$(params.CONTEXT)' },
      { name: 'BUILDER_IMAGE', value: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.400' },
    ],
    workspaces: [{ name: 'source', workspace: 'source' }, { name: 'dockerconfig', workspace: 'dockerconfig' }, { name: 'registry-cas', workspace: 'registry-cas' }],
  }],
};

async function runBuild(params: Record<string, string | string[]>, workspaces: Record<string, string> = {}) {
  const source = path.join(dir, 'source');
  await writeFiles(source, { 'app/package.json': '{}', 'app/.git/HEAD': 'ref', 'app/.env': 'x', 'README.md': 'root' });
  return runPipeline({
    pipeline,
    tasks: { buildpacks: buildpacksTask() },
    params,
    workspaces: { source, ...workspaces },
    env: { PATH: `${stubDir}:${process.env.PATH}`, SEEN: seen },
  });
}

/** A push secret, and a CA for reg.test:5000 in the certs.d layout of the registry-cas workspace. */
async function secretAndCas(secret = SECRET): Promise<Record<string, string>> {
  const dockerconfig = path.join(dir, 'secret');
  const cas = path.join(dir, 'cas');
  await writeFiles(dockerconfig, { '.dockerconfigjson': secret });
  await writeFiles(cas, { 'reg.test:5000/ca.crt': 'a CA' });
  return { dockerconfig, 'registry-cas': cas };
}

const read = (phase: Phase, name: string) => readFileSync(path.join(seen, phase, name), 'utf8');
const lines = (phase: Phase, name: string) => read(phase, name).split('\n').filter((line) => line !== '');
/** The CNB_ variables a phase ran with. */
const cnbEnv = (phase: Phase) => Object.fromEntries(lines(phase, 'cnb-env').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
const has = (phase: Phase, name: string) => existsSync(path.join(seen, phase, name));
const stepNamed = (name: string): Step => buildpacksTask().steps.find((s) => s.name === name)!;
const stepsBinding = (workspace: string) => buildpacksTask().steps.filter((s) => s.workspaces?.some((w) => w.name === workspace)).map((s) => s.name);

describe('buildpacksTask', () => {
  it('runs a step per lifecycle phase, in the order of the platform spec, after a prepare step', () => {
    expect(buildpacksTask().steps.map((s) => s.name)).toEqual(['prepare', 'analyze', 'detect', 'restore', 'build', 'export']);
    expect(CNB_PLATFORM_API).toBe('0.13');
  });

  it('binds the push credentials to the analyze and export steps only, and no env of another step names them', () => {
    // THEN only the two steps that run nothing but the lifecycle list dockerconfig (Tekton then
    // mounts it into them alone), and registry-cas with it; only prepare reads the sources
    expect(stepsBinding('dockerconfig')).toEqual(['analyze', 'export']);
    expect(stepsBinding('registry-cas')).toEqual(['analyze', 'export']);
    expect(stepsBinding('source')).toEqual(['prepare']);
    // AND the build step (the buildpacks, the user's code) has neither a variable nor a script line about them
    for (const name of ['prepare', 'detect', 'restore', 'build']) {
      const step = stepNamed(name);
      expect(JSON.stringify(step.env)).not.toMatch(/dockerconfig|DOCKER|registry-cas/);
      expect(step.script).not.toMatch(/DOCKER|dockerconfig/);
    }
  });

  it('runs every step as the CNB user with nothing added: Pod Security "restricted"', () => {
    // GIVEN the default Task and one for a builder with other ids
    const task = buildpacksTask();
    const custom = buildpacksTask({ userId: 1001, groupId: 1000 });
    // THEN each step is non-root, drops everything and keeps seccomp; the ids reach the lifecycle
    for (const step of task.steps) {
      expect(step.securityContext).toEqual({
        runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(step.image).toBe('$(params.BUILDER_IMAGE)');
    }
    expect(restrictedProblems('buildpacks', task)).toEqual([]);
    for (const step of custom.steps) expect(step.securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 1000 });
    expect(custom.steps.find((s) => s.name === 'export')!.env).toEqual(expect.arrayContaining([{ name: 'CNB_USER_ID', value: '1001' }, { name: 'CNB_GROUP_ID', value: '1000' }]));
  });

  it('shares the lifecycle\'s directories as emptyDir volumes, each mounted where a phase reads or writes it', () => {
    const task = buildpacksTask();
    expect(task.volumes).toEqual([{ name: 'cnb-app', emptyDir: {} }, { name: 'cnb-layers', emptyDir: {} }, { name: 'cnb-platform', emptyDir: {} }]);
    const mounts = Object.fromEntries(task.steps.map((s) => [s.name, (s.volumeMounts ?? []).map((m) => `${m.name}:${m.mountPath}`)]));
    expect(mounts).toEqual({
      prepare: ['cnb-app:/workspace/app', 'cnb-platform:/platform'],
      analyze: ['cnb-layers:/layers'],
      detect: ['cnb-app:/workspace/app', 'cnb-layers:/layers', 'cnb-platform:/platform'],
      restore: ['cnb-layers:/layers'],
      build: ['cnb-app:/workspace/app', 'cnb-layers:/layers', 'cnb-platform:/platform'],
      export: ['cnb-app:/workspace/app', 'cnb-layers:/layers'],
    });
  });

  it('gives each phase only CNB_ variables that the platform spec lists as its inputs', () => {
    for (const phase of PHASES) {
      const names = (stepNamed(STEP_OF[phase]).env ?? []).map((e) => e.name).filter((n) => n.startsWith('CNB_'));
      expect(names).toContain('CNB_PLATFORM_API');
      expect(names.filter((n) => n !== 'CNB_PLATFORM_API' && !SPEC_ENV[phase].includes(n))).toEqual([]);
    }
  });

  it('never pastes a param into a script: they arrive as env vars and args', () => {
    for (const step of buildpacksTask().steps) expect(step.script).not.toMatch(/\$\((params|workspaces|results)\./);
    const args = Object.fromEntries(buildpacksTask().steps.map((s) => [s.name, s.args ?? []]));
    expect(args).toEqual({
      prepare: ['$(params.ENV[*])'], analyze: ['$(params.INSECURE_REGISTRIES[*])'], detect: [], restore: [], build: [],
      export: ['$(params.INSECURE_REGISTRIES[*])'],
    });
  });

  it('runs the phases in order on a copy of the sources, with the platform env, the spec\'s args and env, and reports the export\'s digest', async () => {
    // GIVEN stub phases, the export's report.toml as the lifecycle writes it, a push secret and a CA
    installStubLifecycle(`[image]\n  tags = ["${IMAGE}"]\n  digest = "${DIGEST}"\n  manifest-size = 1234\n`);
    // WHEN the Task runs on the app directory, with values that Tekton and the kubelet would rewrite
    const result = await runBuild(
      { IMAGE, INSECURE_REGISTRIES: ['reg.test:5000'], ENV: ['BP_NODE_VERSION=20.*', 'BPE_GREETING=hello world', 'BPE_LITERAL=%24(HOME) %25'], CONTEXT: 'app' },
      await secretAndCas(),
    );
    // THEN the export's digest and the image are the results
    expect(result.message).toBeUndefined();
    expect(result.results).toEqual({ IMAGE_DIGEST: DIGEST, IMAGE_URL: IMAGE });
    // AND the phases ran in the spec's order, each on what the one before left, as the CNB user
    expect(readFileSync(path.join(seen, 'order'), 'utf8')).toBe('analyzer\ndetector\nrestorer\nbuilder\nexporter\n');
    for (const phase of PHASES) expect(read(phase, 'uid')).toBe('1000\n');
    expect(read('restorer', 'layers')).toBe('analyzed.toml\ngroup.toml\n');
    expect(lines('exporter', 'layers')).toEqual(['analyzed.toml', 'bp', 'group.toml']);
    // AND detect saw a copy of CONTEXT without .git, and each env item decoded in a file of <platform>/env
    expect(read('detector', 'app')).toBe('.env\npackage.json\n');
    expect(read('exporter', 'app')).toBe('.env\npackage.json\nwritten-by-buildpack\n');
    expect(read('detector', 'platform-env')).toBe('BPE_GREETING=hello world\nBPE_LITERAL=$(HOME) %\nBP_NODE_VERSION=20.*\n');
    expect(existsSync(path.join(dir, 'source', 'app', 'written-by-buildpack'))).toBe(false);
    // AND each phase got the spec's flags and variables: the image last, -insecure-registry for that host only
    expect(lines('analyzer', 'args')).toEqual(['-insecure-registry=reg.test:5000', IMAGE]);
    expect(lines('exporter', 'args')).toEqual(['-insecure-registry=reg.test:5000', expect.stringMatching(/^-report=\/.+\/report\.toml$/), IMAGE]);
    for (const phase of ['detector', 'restorer', 'builder'] as const) expect(read(phase, 'args')).toBe('\n');
    const api = { CNB_PLATFORM_API: CNB_PLATFORM_API };
    const ids = { CNB_USER_ID: '1000', CNB_GROUP_ID: '1000' };
    const dirs = { CNB_APP_DIR: '/workspace/app', CNB_LAYERS_DIR: '/layers', CNB_PLATFORM_DIR: '/platform' };
    expect(cnbEnv('analyzer')).toEqual({ ...api, CNB_LAYERS_DIR: '/layers', ...ids });
    expect(cnbEnv('detector')).toEqual({ ...api, ...dirs });
    expect(cnbEnv('restorer')).toEqual({ ...api, CNB_LAYERS_DIR: '/layers', ...ids });
    expect(cnbEnv('builder')).toEqual({ ...api, ...dirs });
    expect(cnbEnv('exporter')).toEqual({ ...api, CNB_APP_DIR: '/workspace/app', CNB_LAYERS_DIR: '/layers', ...ids });
  });

  it('lets only analyze and export use the credentials and CAs; the build phase finds them nowhere', async () => {
    // GIVEN stub phases, a push secret and a CA
    installStubLifecycle(`[image]\ndigest = "${DIGEST}"\n`);
    // WHEN the Task runs
    const result = await runBuild({ IMAGE, CONTEXT: 'app' }, await secretAndCas());
    expect(result.message).toBeUndefined();
    // THEN analyze and export pushed with the secret (a private copy, where hunt finds it) and trust the CA
    for (const phase of ['analyzer', 'exporter'] as const) {
      expect(read(phase, 'docker-config')).toBe(SECRET);
      expect(lines(phase, 'hunt')).toEqual([`${read(phase, 'docker-config-dir')}/config.json`]);
      expect(read(phase, 'cas')).toBe('reg.test:5000.crt\n');
    }
    // AND no other phase has DOCKER_CONFIG or SSL_CERT_DIR
    for (const phase of ['detector', 'restorer', 'builder'] as const) {
      expect(has(phase, 'docker-config')).toBe(false);
      expect(has(phase, 'cas')).toBe(false);
    }
    // AND the build phase, which runs the buildpacks, finds no credentials: no variable names or holds
    // them, no file it shares with the other steps or its HOME holds them, analyze's copy is gone
    expect(read('builder', 'env')).not.toMatch(new RegExp(`${MARK}|DOCKER|dockerconfig|registry-cas`, 'i'));
    expect(read('builder', 'hunt')).toBe('');
    expect(existsSync(read('analyzer', 'docker-config-dir'))).toBe(false);
  });

  it('verifies TLS by default and pushes without credentials when none are bound', async () => {
    installStubLifecycle(`[image]\ndigest = "${DIGEST}"\n`);
    const result = await runBuild({ IMAGE: 'reg.test/team/app:1' });
    expect(result.succeeded).toBe(true);
    expect(lines('analyzer', 'args')).toEqual(['reg.test/team/app:1']);
    expect(lines('exporter', 'args')).toEqual([expect.stringMatching(/^-report=/), 'reg.test/team/app:1']);
    for (const phase of PHASES) expect(has(phase, 'docker-config') || has(phase, 'cas')).toBe(false);
  });

  it('fails clearly when report.toml has no digest', async () => {
    installStubLifecycle('[build]\n');
    const result = await runBuild({ IMAGE });
    expect(result.succeeded).toBe(false);
    expect(result.failedStep).toBe('export');
    expect(result.logs['build/export']).toBe("buildpacks: the lifecycle's report.toml has no image digest\n");
  });

  it('fails clearly when the image is no CNB builder', async () => {
    // GIVEN no lifecycle anywhere on PATH (no stubs installed)
    const result = await runBuild({ IMAGE });
    expect(result.failedStep).toBe('analyze');
    expect(result.logs['build/analyze']).toBe("buildpacks: no lifecycle 'analyzer' in /cnb/lifecycle: param BUILDER_IMAGE must be a Cloud Native Buildpacks builder\n");
  });

  it('rejects an env item that is not NAME=value', async () => {
    installStubLifecycle(`[image]\ndigest = "${DIGEST}"\n`);
    for (const item of ['1BAD=x', 'NOVALUE']) {
      const result = await runBuild({ IMAGE, ENV: [item] });
      expect(result.logs['build/prepare']).toBe(`buildpacks: param ENV item '${item}' is not NAME=value\n`);
    }
  });

  it('rejects an insecure registry that is not a host[:port]', async () => {
    installStubLifecycle(`[image]\ndigest = "${DIGEST}"\n`);
    const result = await runBuild({ IMAGE, INSECURE_REGISTRIES: ['reg.test/team'] });
    expect(result.failedStep).toBe('analyze');
    expect(result.logs['build/analyze']).toBe("buildpacks: param INSECURE_REGISTRIES item 'reg.test/team' is not a registry host[:port]\n");
  });

  it('reports a malformed push secret by its workspace, never quoting it', async () => {
    installStubLifecycle(`[image]\ndigest = "${DIGEST}"\n`);
    const result = await runBuild({ IMAGE }, await secretAndCas(`user:${MARK}`));
    expect(result.failedStep).toBe('analyze');
    expect(result.logs['build/analyze']).toBe(
      'buildpacks: the push secret (workspace dockerconfig) is not a kubernetes.io/dockerconfigjson (a JSON object with "auths"): check the Secret it is bound to (its content is not shown)\n',
    );
  });
});
