import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../../../../constructs/tekton';
import { buildpacksTask } from '../../../../../constructs/buildconfig/pipeline/tasks';
import { writeFiles } from '../../../../support/tekton/build-fixtures';
import { runPipeline } from '../../../../support/tekton/run-pipeline';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

let dir: string;
let stubDir: string;
let seen: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'buildpacks-test-'));
  chmodSync(dir, 0o755); // the step runs as the CNB user, not root
  stubDir = path.join(dir, 'bin');
  seen = path.join(dir, 'seen');
  mkdirSync(stubDir);
  mkdirSync(seen, { mode: 0o777 });
  chmodSync(seen, 0o777);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for the lifecycle's creator: records what it was given, writes report.toml. */
function installStubCreator(report: string): void {
  const script = `#!/bin/sh
set -eu
printf '%s\\n' "$@" > "$SEEN/args"
id -u > "$SEEN/uid"
for arg do
  case "$arg" in
    -app=*) ls -A "\${arg#-app=}" > "$SEEN/app"; touch "\${arg#-app=}/written-by-buildpack";;
    -platform=*) for f in "\${arg#-platform=}"/env/*; do [ -e "$f" ] || continue; printf '%s=%s\\n' "\${f##*/}" "$(cat "$f")"; done > "$SEEN/env";;
    -report=*) report="\${arg#-report=}";;
  esac
done
[ -z "\${DOCKER_CONFIG:-}" ] || cp "$DOCKER_CONFIG/config.json" "$SEEN/docker-config"
printf '%s' "$CNB_PLATFORM_API" > "$SEEN/platform-api"
cat > "$report" <<'REPORT'
${report}
REPORT
`;
  writeFileSync(path.join(stubDir, 'creator'), script, { mode: 0o755 });
}

const pipeline: PipelineSpec = {
  params: [{ name: 'IMAGE' }, { name: 'INSECURE_REGISTRIES', type: 'array', default: [] }, { name: 'ENV', type: 'array', default: [] }, { name: 'CONTEXT', default: '.' }],
  workspaces: [{ name: 'source' }, { name: 'dockerconfig', optional: true }],
  results: [{ name: 'IMAGE_DIGEST', value: '$(tasks.build.results.IMAGE_DIGEST)' }, { name: 'IMAGE_URL', value: '$(tasks.build.results.IMAGE_URL)' }],
  tasks: [{
    name: 'build',
    taskRef: { name: 'buildpacks' },
    params: [
      { name: 'IMAGE', value: '$(params.IMAGE)' }, { name: 'INSECURE_REGISTRIES', value: ['$(params.INSECURE_REGISTRIES[*])'] },
      { name: 'ENV', value: ['$(params.ENV[*])'] }, { name: 'CONTEXT', value: '$(params.CONTEXT)' },
      { name: 'BUILDER_IMAGE', value: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.400' },
    ],
    workspaces: [{ name: 'source', workspace: 'source' }, { name: 'dockerconfig', workspace: 'dockerconfig' }],
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

const read = (name: string) => readFileSync(path.join(seen, name), 'utf8');

describe('buildpacksTask', () => {
  it('runs as the CNB user with nothing added: Pod Security "restricted"', () => {
    // GIVEN the default Task and one for a builder with other ids
    const [step] = buildpacksTask().steps;
    const [custom] = buildpacksTask({ userId: 1001, groupId: 1000 }).steps;
    // THEN the step is non-root, drops everything and keeps seccomp; the ids reach the lifecycle
    expect(step.securityContext).toEqual({
      runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(custom.securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 1000 });
    expect(custom.env).toEqual(expect.arrayContaining([{ name: 'CNB_USER_ID', value: '1001' }, { name: 'CNB_GROUP_ID', value: '1000' }]));
    expect(step.image).toBe('$(params.BUILDER_IMAGE)');
  });

  it('never pastes a param into the script: they arrive as env vars and args', () => {
    const [step] = buildpacksTask().steps;
    expect(step.script).not.toMatch(/\$\((params|workspaces|results)\./);
    expect(step.args).toEqual(['--insecure-registries', '$(params.INSECURE_REGISTRIES[*])', '--envs', '$(params.ENV[*])']);
  });

  it('runs creator with the app copy, platform env, credentials and insecure registry, and reports its digest', async () => {
    // GIVEN a stub creator that writes a report.toml as lifecycle does, and a push secret
    installStubCreator(`[image]\n  tags = ["reg.test:5000/team/app:1"]\n  digest = "${DIGEST}"\n  image-id = ""\n\n[build]\n`);
    const secret = path.join(dir, 'secret');
    await writeFiles(secret, { '.dockerconfigjson': '{"auths":{"reg.test:5000":{"auth":"dTpw"}}}' });
    // WHEN the Task runs on the app directory
    const result = await runBuild(
      { IMAGE: 'reg.test:5000/team/app:1', INSECURE_REGISTRIES: ['reg.test:5000'], ENV: ['BP_NODE_VERSION=20.*', 'BPE_GREETING=hello world'], CONTEXT: 'app' },
      { dockerconfig: secret },
    );
    // THEN the digest and URL are the results
    expect(result.succeeded).toBe(true);
    expect(result.results).toEqual({ IMAGE_DIGEST: DIGEST, IMAGE_URL: 'reg.test:5000/team/app:1' });
    // AND creator ran as uid 1000 on a copy of the context without .git, with each env var in a file
    expect(read('uid')).toBe('1000\n');
    expect(read('app')).toBe('.env\npackage.json\n');
    expect(read('env')).toBe('BPE_GREETING=hello world\nBP_NODE_VERSION=20.*\n');
    expect(read('docker-config')).toBe('{"auths":{"reg.test:5000":{"auth":"dTpw"}}}');
    expect(read('platform-api')).toBe('0.12');
    const args = read('args').trim().split('\n');
    expect(args.slice(-3)).toEqual(['-insecure-registry', 'reg.test:5000', 'reg.test:5000/team/app:1']);
    expect(args).toEqual(expect.arrayContaining(['-uid=1000', '-gid=1000']));
    expect(existsSync(path.join(dir, 'source', 'app', 'written-by-buildpack'))).toBe(false);
  });

  it('verifies TLS by default and pushes without credentials when none are bound', async () => {
    installStubCreator(`[image]\ndigest = "${DIGEST}"\n`);
    const result = await runBuild({ IMAGE: 'reg.test/team/app:1' });
    expect(result.succeeded).toBe(true);
    expect(read('args')).not.toContain('-insecure-registry');
    expect(existsSync(path.join(seen, 'docker-config'))).toBe(false);
  });

  it('fails clearly when report.toml has no digest', async () => {
    installStubCreator('[build]\n');
    const result = await runBuild({ IMAGE: 'reg.test/team/app:1' });
    expect(result.succeeded).toBe(false);
    expect(result.logs['build/create']).toBe("buildpacks: the lifecycle's report.toml has no image digest\n");
  });

  it('fails clearly when the image is no CNB builder', async () => {
    // GIVEN no creator anywhere on PATH (no stub installed)
    const result = await runBuild({ IMAGE: 'reg.test/team/app:1' });
    expect(result.logs['build/create']).toBe("buildpacks: no lifecycle 'creator' in /cnb/lifecycle: param BUILDER_IMAGE must be a Cloud Native Buildpacks builder\n");
  });

  it('rejects an env item that is not NAME=value', async () => {
    installStubCreator(`[image]\ndigest = "${DIGEST}"\n`);
    const result = await runBuild({ IMAGE: 'reg.test/team/app:1', ENV: ['1BAD=x'] });
    expect(result.logs['build/create']).toBe("buildpacks: param ENV item '1BAD=x' is not NAME=value\n");
  });
});
