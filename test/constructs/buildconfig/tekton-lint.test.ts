import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../../constructs/buildconfig';
import { REPO_ROOT } from '../../support/temp-app';

const work = mkdtempSync(join(tmpdir(), 'imagestreams-tekton-lint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface LintProblem { level: 'error' | 'warning'; rule: string; message: string }

/** Every strategy and source in one namespace, so that shared Tasks and all Pipelines are linted. */
function tektonObjects(): object[] {
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push' }) });
  const chart = new Chart(app, 'apps', { namespace: 'apps' });
  const base = new ImageStream(chart, 'base');
  base.importTag('latest', { from: 'docker.io/library/eclipse-temurin:8-jdk' });
  const out = new ImageStream(chart, 'out');
  const git = BuildSource.git({ uri: 'https://github.com/example/app.git', ref: 'main', sourceSecret: 'git-creds' });
  new BuildConfig(chart, 'docker', { source: git, strategy: BuildStrategy.dockerfile({ from: base.tag('latest'), buildArgs: { A: '1' } }), output: BuildOutput.imageStreamTag(out.tag('docker')) });
  new BuildConfig(chart, 's2i', { source: git, strategy: BuildStrategy.sourceToImage({}), output: BuildOutput.imageStreamTag(out.tag('s2i')) });
  new BuildConfig(chart, 'cnb', { source: git, strategy: BuildStrategy.buildpacks({ builder: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.300' }), output: BuildOutput.imageStreamTag(out.tag('cnb')) });
  new BuildConfig(chart, 'inline', { source: BuildSource.dockerfile('FROM busybox:1.36\nRUN true\n'), strategy: BuildStrategy.dockerfile({}), output: BuildOutput.imageStreamTag(out.tag('inline')) });
  // OpenShift's build inputs: Secrets and ConfigMaps in RUN, a postCommit hook, uploaded (Binary) sources.
  const inputs = BuildSource.git({ uri: 'https://github.com/example/app.git', secrets: [{ secret: 'npm', destinationDir: 'run/npm' }], configMaps: [{ configMap: 'maven', destinationDir: 'etc/maven' }] });
  new BuildConfig(chart, 'inputs', { source: inputs, strategy: BuildStrategy.dockerfile({}), output: BuildOutput.imageStreamTag(out.tag('inputs')), postCommit: { script: 'make test' } });
  new BuildConfig(chart, 'binary', { source: BuildSource.binary(), strategy: BuildStrategy.dockerfile({}), output: BuildOutput.imageStreamTag(out.tag('binary')) });
  // Image sources: a stream tag and an image with its own pull Secret, after the clone; and a source of images only.
  const images = [
    { from: base.tag('latest'), paths: [{ sourcePath: '/etc/os-release', destinationDir: 'etc' }] },
    { from: 'registry.example.com/libs:1', paths: [{ sourcePath: '/usr/lib/.', destinationDir: 'lib' }], pullSecret: 'libs' },
  ];
  new BuildConfig(chart, 'images', { source: BuildSource.git({ uri: 'https://github.com/example/app.git', images }), strategy: BuildStrategy.dockerfile({}), output: BuildOutput.imageStreamTag(out.tag('images')) });
  new BuildConfig(chart, 'images-only', { source: BuildSource.image({ images }), strategy: BuildStrategy.sourceToImage({}), output: BuildOutput.imageStreamTag(out.tag('images-only')) });
  return (Testing.synth(chart) as { apiVersion: string }[]).filter((o) => o.apiVersion.startsWith('tekton.dev/'));
}

function lint(objects: object[]): LintProblem[] {
  const file = join(work, 'tekton.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  const bin = join(REPO_ROOT, 'node_modules', '@ibm', 'tekton-lint', 'dist', 'lint.js');
  // tekton-lint exits 1 on errors; its JSON report is on stdout either way.
  let out: string;
  try {
    out = execFileSync('node', [bin, '--format', 'json', file], { cwd: work, encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  return JSON.parse(out) as LintProblem[];
}

describe('the emitted Tekton objects under @ibm/tekton-lint', () => {
  it('have no errors; the only warnings are about UPPER_CASE param names', () => {
    const objects = tektonObjects();
    expect(objects.length).toBeGreaterThanOrEqual(8); // 4 Pipelines + the shared Tasks
    const problems = lint(objects);
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);
    // IMAGE, IMAGE_DIGEST, BASE_IMAGE … follow the Tekton catalog's convention for build Tasks.
    expect([...new Set(problems.map((p) => p.rule))]).toEqual(problems.length ? ['prefer-kebab-case'] : []);
  });

  it('would catch a broken object (the linter really runs)', () => {
    const broken = { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'broken' }, spec: { tasks: [{ name: 't', taskRef: { name: 'missing-task' } }] } };
    expect(lint([broken]).filter((p) => p.level === 'error').map((p) => p.rule)).toContain('no-missing-resource');
  });
});
