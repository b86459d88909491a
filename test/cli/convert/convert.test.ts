import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../support/cli';
import { REPO_ROOT } from '../../support/temp-app';
import { compareRoundTrip, expandInputs } from './round-trip';

const INPUTS = join(__dirname, 'inputs');
let dir: string;
beforeAll(() => {
  mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
  dir = mkdtempSync(join(REPO_ROOT, 'tmp', 'convert-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STREAM = `apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: jdk8, namespace: seed}
spec:
  tags:
  - name: latest
    from: {kind: DockerImage, name: "docker.io/library/eclipse-temurin:8-jdk"}
    importPolicy: {scheduled: true}
    annotations: {openshift.io/display-name: JDK 8}
`;

describe('imagestreams convert', () => {
  it('prints the app with -o -, and the summary on stderr: what it converted, each field it could not, what next', async () => {
    writeFileSync(join(dir, 'is.yaml'), STREAM);
    const run = await cli(dir, 'convert', 'is.yaml', '-o', '-');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("const jdk8Stream = new ImageStream(seed, 'jdk8');\n");
    expect(run.stdout).toContain("jdk8Stream.importTag('latest', { from: 'docker.io/library/eclipse-temurin:8-jdk' });\n");
    expect(run.stdout).toContain('// TODO(convert): spec.tags[0].annotations: tag annotations (display name, description, builder tags for the console) have no equivalent: tags carry no annotations here\n');
    expect(run.stderr).toBe([
      'converted 1 object (1 ImageStream) into stdout',
      '1 field has no equivalent (each is a TODO(convert) in stdout):',
      '  is.yaml: ImageStream/jdk8: spec.tags[0].annotations: tag annotations (display name, description, builder tags for the console) have no equivalent: tags carry no annotations here',
      '',
    ].join('\n'));
  });

  it("converts a build's source Secrets, ConfigMaps and postCommit hook, saying how their paths differ; args alone are reported", async () => {
    writeFileSync(join(dir, 'bc.yaml'), `apiVersion: build.openshift.io/v1
kind: BuildConfig
metadata: {name: app, namespace: seed}
spec:
  source:
    git: {uri: "https://git.example.com/app.git", ref: main}
    secrets: [{secret: {name: maven-settings}, destinationDir: .m2}]
    configMaps: [{configMap: {name: ca}, destinationDir: /etc/pki/extra/}, {configMap: {name: root}}]
  strategy: {dockerStrategy: {}}
  output: {to: {kind: DockerImage, name: "registry.example.com/app:1"}}
  postCommit: {command: [make], args: [test]}
`);
    const run = await cli(dir, 'convert', 'bc.yaml', '-o', '-');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("secrets: [{ secret: 'maven-settings', destinationDir: '.m2' }], configMaps: [{ configMap: 'ca', destinationDir: 'etc/pki/extra' }]");
    expect(run.stdout).toContain("postCommit: { command: ['make'], args: ['test'] }");
    expect(run.stdout).toContain('// source secrets and configMaps: OpenShift copied their files into the build context; here RUN instructions see them read-only in /<destinationDir>');
    expect(run.stderr).toContain('spec.source.configMaps[1]: a ConfigMap without a destinationDir was copied into the context\'s root');
    writeFileSync(join(dir, 'hook.yaml'), readFileSync(join(dir, 'bc.yaml'), 'utf8').replace('postCommit: {command: [make], args: [test]}', 'postCommit: {args: [test]}'));
    expect((await cli(dir, 'convert', 'hook.yaml', '-o', '-')).stderr).toContain("spec.postCommit: args alone ran the image's entrypoint with them");
  });

  it('writes main.ts, refuses to overwrite it without --force, and says what to run next', async () => {
    const sub = join(dir, 'write');
    mkdirSync(sub);
    writeFileSync(join(sub, 'is.yaml'), STREAM);
    const first = await cli(sub, 'convert', 'is.yaml');
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('next: imagestreams check main.ts && imagestreams synth main.ts\n');
    expect(readFileSync(join(sub, 'main.ts'), 'utf8')).toMatch(/^\/\/ Converted by `imagestreams convert is.yaml` from 1 OpenShift object\.\n/);
    expect(await cli(sub, 'convert', 'is.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: main.ts exists\n  note: pass --force to overwrite it, or choose another file with --out\n',
    });
    expect((await cli(sub, 'convert', 'is.yaml', '--force')).code).toBe(0);
  });

  it('reads every YAML and JSON file under a folder', async () => {
    const run = await cli(dir, 'convert', INPUTS, '-o', '-');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("new ImageStream(web, 'nginx')");
    expect(run.stdout).toContain("new ImageStream(json, 'httpd')");
    expect(run.stdout).toContain('export class NodejsPostgresqlExample extends Construct {');
  });

  it('turns Template parameters into props: defaults, required ones, ${{X}} as numbers', async () => {
    const run = await cli(dir, 'convert', join(INPUTS, '23-template-docker-params.yaml'), '-o', '-');
    expect(run.stdout).toContain('export interface GoServiceProps {');
    expect(run.stdout).toContain('  readonly gitUrl: string;\n');
    expect(run.stdout).toContain('  readonly replicas?: string;\n');
    expect(run.stdout).toContain("const p = { app: 'go-service', goVersion: '1.22', appVersion: '1.0.0', replicas: '2', port: '8080', logLevel: 'info', ...props };");
    expect(run.stdout).toContain('replicas: Number(p.replicas),');
    expect(run.stdout).toContain("golangStream.importTag(p.goVersion, { from: `docker.io/library/golang:${p.goVersion}` });");
    expect(run.stdout).toContain("gitUrl: 'https://git.example.com/change-me.git', // TODO(convert): parameter GIT_URL is required");
  });

  it('reports a usage error without input, and unreadable input with its place', async () => {
    expect(await cli(dir, 'convert')).toMatchObject({ code: 2, stderr: "error: give the OpenShift manifests to convert: a file, a folder, or - for stdin\nsee 'imagestreams convert --help'\n" });
    writeFileSync(join(dir, 'bad.yaml'), 'kind: [unclosed\n');
    const bad = await cli(dir, 'convert', 'bad.yaml', '-o', '-');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^bad\.yaml:2:1: error: not YAML or JSON: /);
    writeFileSync(join(dir, 'nokind.yaml'), 'apiVersion: v1\nmetadata: {name: x}\n');
    expect((await cli(dir, 'convert', 'nokind.yaml', '-o', '-')).stderr).toBe('error: nokind.yaml: an object has no kind: every object needs apiVersion and kind, as oc get -o yaml writes them\n');
    expect((await cli(dir, 'convert', 'nothere.yaml')).stderr).toBe('error: nothere.yaml does not exist\n');
  });
});

describe('the round-trip comparison (it can fail)', () => {
  const input = expandInputs([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n', labels: { app: 's' } }, spec: { ports: [{ port: 80 }], selector: { app: 's' } } }]);
  const output = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n', labels: { app: 's' } }, spec: { ports: [{ port: 80 }], selector: { app: 's' } } };

  it('passes when every field is carried, and reports a dropped or changed one', () => {
    expect(compareRoundTrip(input, [output], [])).toEqual([]);
    const dropped = { ...output, metadata: { name: 's', namespace: 'n' } };
    expect(compareRoundTrip(input, [dropped], [])).toEqual(["Service/s: metadata.labels.app (\"s\"): metadata.labels.app is undefined"]);
    const changed = { ...output, spec: { ...output.spec, ports: [{ port: 8080 }] } };
    expect(compareRoundTrip(input, [changed], [])).toEqual(['Service/s: spec.ports[0].port (80): spec.ports[0].port is 8080']);
  });

  it('accepts a dropped field the converter reported, and nothing else', () => {
    const dropped = { ...output, metadata: { name: 's', namespace: 'n' } };
    expect(compareRoundTrip(input, [dropped], [{ object: 'Service/s', field: 'metadata.labels' }])).toEqual([]);
    expect(compareRoundTrip(input, [dropped], [{ object: 'Service/other', field: 'metadata.labels' }])).toHaveLength(1);
    expect(compareRoundTrip(input, [], [])).toEqual(['Service/s: no Service s in namespace n was synthesized']);
  });
});
