/**
 * `imagestreams new-app` on real local git repositories (file://): a Dockerfile app, a Node.js app
 * and a Java (Maven) app; each generated app type-checks, synthesizes, and passes the shared
 * manifest validator with Pod Security "restricted" required.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cli } from '../../support/cli';
import { REPO_ROOT } from '../../support/temp-app';
import { validateManifests } from '../../support/validate-manifests';
import { appDir } from '../convert/app-dir';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

let root: string;
beforeAll(() => {
  mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
  root = mkdtempSync(join(REPO_ROOT, 'tmp', 'new-app-'));
  process.env.IMAGESTREAMS_CACHE_DIR = join(root, '.cache');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A git repository with `files`, committed on `branch`; its file:// URL. */
function gitRepo(name: string, files: Record<string, string>, branch = 'main'): string {
  const dir = join(root, 'repos', name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', branch);
  git('add', '-A');
  git('-c', 'user.email=dev@example.com', '-c', 'user.name=dev', 'commit', '-q', '-m', 'init');
  return `file://${dir}`;
}

/** Synthesizes the app in `dir`, writes it to app.yaml, and returns its objects. */
async function synth(dir: string): Promise<{ objects: Obj[]; file: string }> {
  const checked = await cli(dir, 'check', 'main.ts');
  expect(checked.stderr).toBe('');
  const run = await cli(dir, 'synth', 'main.ts', '--stdout');
  expect(run.stderr).toBe('');
  const file = join(dir, 'app.yaml');
  writeFileSync(file, run.stdout);
  return { objects: parseAllDocuments(run.stdout).map((d) => d.toJS()).filter(Boolean), file };
}

const one = (objects: Obj[], kind: string, name: string): Obj => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found, `${kind} ${name}`).toHaveLength(1);
  return found[0];
};
const triggers = (o: Obj) => JSON.parse(o.metadata.annotations['imagestreams.dev/triggers']);

async function expectValid(file: string): Promise<void> {
  const result = await validateManifests([file]);
  expect(result.output).toMatch(/: 0 errors, /);
  expect(result.code).toBe(0);
}

describe('imagestreams new-app', () => {
  it('a repository with a Dockerfile: Docker strategy, its FROM imported as a stream, its EXPOSE as the Service', async () => {
    // GIVEN a repository whose Dockerfile builds FROM eclipse-temurin and exposes 8080 and 8443
    const url = gitRepo('greeter', {
      Dockerfile: '# the app\nFROM --platform=linux/amd64 docker.io/library/eclipse-temurin:21-jre AS run\nCOPY app.jar /app.jar\nEXPOSE 8080 \\\n  8443/tcp\nUSER 1001\nCMD ["java", "-jar", "/app.jar"]\n',
      'app.jar': 'jar',
    });
    const dir = appDir(root, 'docker');
    // WHEN new-app writes main.ts
    const run = await cli(dir, 'new-app', url);
    // THEN it says what it made and what to run next
    expect(run.code).toBe(0);
    expect(run.stderr).toBe([
      'wrote main.ts, in namespace default:',
      '  system      the CRDs, the controller and an in-cluster registry behind streams (NodePort 32000)',
      '  imagestream eclipse-temurin, importing docker.io/library/eclipse-temurin:21-jre into tag 21-jre every 15 minutes',
      '  imagestream greeter, which builds push to (tag latest)',
      '  buildconfig greeter, Docker strategy (Dockerfile FROM eclipse-temurin:21-jre)',
      '  deployment  greeter, following greeter:latest by digest',
      '  service     greeter, ports 8080, 8443',
      'next:',
      '  imagestreams check main.ts && imagestreams synth main.ts',
      '  kubectl apply -f dist/00-definitions && kubectl wait --for condition=Established --all crd && kubectl apply -f dist/01-resources',
      '  imagestreams start-build greeter -n default --follow',
      '',
    ].join('\n'));
    expect(readFileSync(join(dir, 'main.ts'), 'utf8')).toContain(`new GitApp(default_, 'greeter', {
  git: { uri: '${url}', ref: 'main' },
  base: AppBase.importImage('docker.io/library/eclipse-temurin:21-jre', { stream: 'eclipse-temurin', tag: '21-jre' }),
  ports: [8080, 8443],
});`);
    // AND the app synthesizes to the stream, the build from it, the Deployment following the output, the Service
    const { objects, file } = await synth(dir);
    expect(one(objects, 'ImageStream', 'eclipse-temurin').spec.tags[0].from).toEqual({ kind: 'DockerImage', name: 'docker.io/library/eclipse-temurin:21-jre' });
    const bc = one(objects, 'BuildConfig', 'greeter');
    // The registry's pull Secret: the base is a stream tag, pulled from that registry.
    expect(bc.spec.strategy).toEqual({ type: 'Docker', dockerStrategy: { from: { kind: 'ImageStreamTag', name: 'eclipse-temurin:21-jre' }, pullSecret: { name: 'imagestreams-registry' } } });
    expect(bc.spec.source.git).toEqual({ uri: url, ref: 'main' });
    expect(bc.spec.triggers.map((t: Obj) => t.type)).toEqual(['ImageChange', 'ConfigChange']);
    expect(triggers(one(objects, 'Deployment', 'greeter'))[0].from).toEqual({ kind: 'ImageStreamTag', name: 'greeter:latest', namespace: 'default' });
    expect(one(objects, 'Service', 'greeter').spec.ports.map((p: Obj) => p.port)).toEqual([8080, 8443]);
    // AND the manifests pass the shared validator
    await expectValid(file);
  }, 300_000);

  it('a Node.js repository: S2I with the Node.js builder imported as a stream, on 8080', async () => {
    const url = gitRepo('storefront', { 'package.json': '{"name":"storefront","scripts":{"start":"node server.js"}}\n', 'server.js': 'require("http").createServer((q, s) => s.end("ok")).listen(8080);\n' });
    const dir = appDir(root, 'node');
    const run = await cli(dir, 'new-app', url, '--namespace', 'shop');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('  buildconfig storefront, S2I strategy for nodejs on nodejs-20:1\n');
    const { objects, file } = await synth(dir);
    expect(one(objects, 'BuildConfig', 'storefront').spec.strategy).toEqual({ type: 'Source', sourceStrategy: { from: { kind: 'ImageStreamTag', name: 'nodejs-20:1' }, pullSecret: { name: 'imagestreams-registry' } } });
    expect(one(objects, 'ImageStream', 'nodejs-20').spec.tags[0].from.name).toBe('registry.access.redhat.com/ubi9/nodejs-20:1');
    expect(one(objects, 'Deployment', 'storefront').metadata.namespace).toBe('shop');
    await expectValid(file);
  }, 300_000);

  it('a Java (Maven) repository with a UI package.json: java wins, as S2I detects it', async () => {
    const url = gitRepo('orders', {
      'pom.xml': '<project><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>orders</artifactId><version>1.0</version></project>\n',
      'src/main/java/Orders.java': 'public class Orders {}\n',
      'ui/package.json': '{}\n',
      'package.json': '{"private":true}\n',
    }, 'trunk');
    const dir = appDir(root, 'java');
    const run = await cli(dir, 'new-app', url, '--name', 'order-service');
    expect(run.code).toBe(0);
    const code = readFileSync(join(dir, 'main.ts'), 'utf8');
    expect(code).toContain("// with S2I, java (found pom.xml) on registry.access.redhat.com/ubi9/openjdk-17:1; deployed, following its image.\n");
    expect(code).toContain(`git: { uri: '${url}', ref: 'trunk' },`);
    const { objects, file } = await synth(dir);
    expect(one(objects, 'BuildConfig', 'order-service').spec.strategy.sourceStrategy.from).toEqual({ kind: 'ImageStreamTag', name: 'openjdk-17:1' });
    expect(one(objects, 'Pipeline', 'order-service').spec.params.find((p: Obj) => p.name === 'REVISION').default).toBe('trunk');
    await expectValid(file);
  }, 300_000);

  it('adds to an existing main.ts: its App, System and chart are reused, and an app name is taken once', async () => {
    const web = gitRepo('web', { Dockerfile: 'FROM docker.io/nginxinc/nginx-unprivileged:1.27-alpine\nEXPOSE 8080\n' });
    const api = gitRepo('api', { 'go.mod': 'module example.com/api\n', 'main.go': 'package main\nfunc main() {}\n' });
    const dir = appDir(root, 'extend');
    expect((await cli(dir, 'new-app', web)).code).toBe(0);
    const second = await cli(dir, 'new-app', api, '--image', 'registry.access.redhat.com/ubi9/go-toolset:1.22');
    expect(second.stderr).toMatch(/^added to main\.ts, in namespace default:\n {2}imagestream go-toolset, importing registry\.access\.redhat\.com\/ubi9\/go-toolset:1\.22/);
    const code = readFileSync(join(dir, 'main.ts'), 'utf8');
    expect(code.match(/new System\(/g)).toHaveLength(1);
    expect(code.match(/new Chart\(/g)).toHaveLength(1);
    expect(code.match(/^import .* from 'cdk8s-imagestreams';$/gm)).toEqual(["import { AppBase, GitApp, StreamRegistry, System } from 'cdk8s-imagestreams';"]);
    const { objects } = await synth(dir);
    expect(objects.filter((o) => o.kind === 'BuildConfig').map((o) => o.metadata.name)).toEqual(['web', 'api']);
    expect(await cli(dir, 'new-app', web)).toEqual({ code: 1, stdout: '', stderr: 'error: main.ts has an app named web already\n  note: choose another name with --name\n' });
  }, 300_000);

  it('refuses what it cannot build, with the fix', async () => {
    const dir = appDir(root, 'refusals');
    const empty = gitRepo('empty', { 'README.md': '# nothing to build\n' });
    expect((await cli(dir, 'new-app', empty)).stderr).toBe(`error: ${empty}: cannot tell the language of the repository: it has no Dockerfile and none of pom.xml, build.gradle, build.gradle.kts, go.mod, requirements.txt, setup.py, Pipfile, pyproject.toml, Gemfile, composer.json, global.json, package.json, index.php; give the builder with --image\n`);
    expect((await cli(dir, 'new-app', empty, '--strategy', 'docker')).stderr).toBe(`error: ${empty}: --strategy docker, but the repository has no Dockerfile (or Containerfile)\n`);
    expect((await cli(dir, 'new-app', empty, '--strategy', 'podman')).stderr).toBe("error: --strategy must be docker or source, not 'podman'\nsee 'imagestreams new-app --help'\n");
    const missing = await cli(dir, 'new-app', `file://${join(root, 'repos', 'no-such-repo')}`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: cannot clone file:\/\/.*no-such-repo: .*\n {2}note: new-app reads the repository to choose how to build it/);
    expect((await cli(dir, 'new-app')).code).toBe(2);
  }, 120_000);
});
