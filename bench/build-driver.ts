/**
 * What the build bench drives, loaded by tsx: the real registry, the Pipeline and Tasks a BuildConfig
 * synthesizes, run by the step runner of the tests (real git and buildah, each run on fresh storage
 * as a new build pod is), and buildah run directly for comparison.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../constructs/buildconfig';
import type { PipelineSpec, TaskSpec } from '../constructs/tekton';
import { run } from '../test/support/registry/exec';
import { startRegistry, type RunningRegistry } from '../test/support/registry/registry';
import { commitFiles, makeGitRepo, pushBusyboxBase, type GitRepo } from '../test/support/tekton/build-fixtures';
import { runPipeline } from '../test/support/tekton/run-pipeline';

export interface BuildBench {
  readonly registry: RunningRegistry;
  readonly repo: GitRepo;
  /** Our pipeline, cold (an empty cache repository `cache`) or from the cache `cache` holds. */
  pipeline(cache: string, image: string): Promise<{ ms: number; digest: string; log: string; steps: Record<string, number> }>;
  /** buildah bud + push of the same Dockerfile and context, on fresh storage. */
  direct(image: string): Promise<{ ms: number }>;
  /** Commits a change of one line of the app's sources. */
  changeOneLine(n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The app: dependencies installed by a RUN (1,500 files written by a shell loop, the cost of a small
 * `npm ci` or `pip install` here), then the sources copied and "built" (hashed).
 */
function appFiles(base: string): Record<string, string> {
  return {
    Dockerfile: [
      `FROM ${base}`,
      'RUN mkdir /deps && i=0 && while [ $i -lt 1500 ]; do seq 1 200 > /deps/lib$i.txt; i=$((i+1)); done',
      'COPY src /app/src',
      'RUN sha256sum /app/src/* > /app/build.txt',
      'CMD ["cat", "/app/build.txt"]',
    ].join('\n'),
    ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`src/module${i}.txt`, `module ${i}\nversion 1\n`])),
  };
}

export async function startBuildBench(): Promise<BuildBench> {
  const registry = await startRegistry();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'build-bench-'));
  await pushBusyboxBase(registry.host, 'bench/base:1', 'bench');
  const base = `${registry.host}/bench/base:1`;
  const repo = await makeGitRepo(path.join(dir, 'repo'), appFiles(base));

  const app = Testing.app();
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  new BuildConfig(chart, 'app', {
    source: BuildSource.git({ uri: repo.url, ref: 'main' }),
    strategy: BuildStrategy.dockerfile(),
    output: BuildOutput.image(`${registry.host}/bench/app:latest`, { insecure: true }),
  });
  const objects = Testing.synth(chart) as { kind: string; metadata: { name: string }; spec: unknown }[];
  const pipeline = objects.find((o) => o.kind === 'Pipeline')!.spec as PipelineSpec;
  const tasks = Object.fromEntries(objects.filter((o) => o.kind === 'Task').map((o) => [o.metadata.name, o.spec as TaskSpec]));
  let runs = 0;

  return {
    registry,
    repo,
    async pipeline(cache, image) {
      const source = mkdtempSync(path.join(dir, 'source-'));
      const started = performance.now();
      const result = await runPipeline({
        pipeline, tasks, name: `app-${++runs}`, workspaces: { source },
        params: { REVISION: '', CACHE_REPOSITORY: cache, IMAGE: image },
      });
      const ms = performance.now() - started;
      rmSync(source, { recursive: true, force: true });
      if (!result.succeeded) throw new Error(`pipeline failed: ${result.message}\n${Object.values(result.logs).join('\n')}`);
      return { ms, digest: result.results.IMAGE_DIGEST, log: result.logs['build/build'], steps: result.durations };
    },
    async direct(image) {
      const storage = mkdtempSync(path.join(dir, 'buildah-'));
      const context = mkdtempSync(path.join(dir, 'context-'));
      await run('git', ['-C', repo.dir, 'archive', '--format=tar', '-o', path.join(context, 'src.tar'), 'HEAD']);
      await run('tar', ['-xf', path.join(context, 'src.tar'), '-C', context]);
      rmSync(path.join(context, 'src.tar'));
      const flags = ['--root', path.join(storage, 'root'), '--runroot', path.join(storage, 'runroot'), '--storage-driver', 'vfs'];
      const started = performance.now();
      await run('buildah', [...flags, 'bud', '--isolation', 'chroot', '--tls-verify=false', '-t', image, context]);
      await run('buildah', [...flags, 'push', '--tls-verify=false', image, `docker://${image}`]);
      const ms = performance.now() - started;
      rmSync(storage, { recursive: true, force: true });
      rmSync(context, { recursive: true, force: true });
      return { ms };
    },
    async changeOneLine(n) {
      await commitFiles(repo, `change ${n}`, { 'src/module7.txt': `module 7\nversion ${n + 1}\n` });
    },
    async close() {
      await registry.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
