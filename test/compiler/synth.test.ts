import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { synthesize } from '../../lib/compiler/synth';
import { appSource, tempApp, type TempApp } from '../support/temp-app';

const apps: TempApp[] = [];
function makeApp(body: string, imports = ''): TempApp {
  const app = tempApp({ 'main.ts': appSource(body, imports) });
  apps.push(app);
  return app;
}
afterEach(() => apps.splice(0).forEach((a) => a.remove()));
const cacheDir = () => mkdtempSync(join(tmpdir(), 'imagestreams-cache-'));

function kinds(yaml: string): string[] {
  return parseAllDocuments(yaml).map((d) => (d.toJS() as { kind: string }).kind);
}

const MIXED = `
new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { b: '2', a: 'on' } });
new ApiObject(chart, 'crd', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.dev' } });
new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } });
new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
`;

describe('synthesize', () => {
  it('gives byte-identical output on every run, with and without the cache', async () => {
    // GIVEN an app with cdk8s-plus workloads
    const app = makeApp(`const d = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.27', portNumber: 80 }] });
d.exposeViaService({ ports: [{ port: 80 }] });`, "import * as kplus from 'cdk8s-plus-27';");
    const dir = cacheDir();
    // WHEN it is synthesized three times: uncached, cache miss, cache hit
    const runs = [
      await synthesize('main.ts', { cwd: app.dir, noCache: true }),
      await synthesize('main.ts', { cwd: app.dir, cacheDir: dir }),
      await synthesize('main.ts', { cwd: app.dir, cacheDir: dir }),
    ];
    // THEN the files are the same bytes each time
    expect(runs.map((r) => r.cacheHit)).toEqual([false, false, true]);
    expect([...runs[1].files]).toEqual([...runs[0].files]);
    expect([...runs[2].files]).toEqual([...runs[0].files]);
    expect([...runs[0].files.keys()]).toEqual(['01-resources/main.k8s.yaml']);
    expect(kinds(runs[0].files.get('01-resources/main.k8s.yaml')!)).toEqual(['Deployment', 'Service']);
  });

  it('puts CustomResourceDefinitions and Namespaces into 00-definitions, the rest into 01-resources in cdk8s order', async () => {
    // GIVEN a chart with a CRD, a Namespace, a ConfigMap and a Service, in a mixed order
    const app = makeApp(MIXED);
    // WHEN it is synthesized
    const { files } = await synthesize('main.ts', { cwd: app.dir, noCache: true });
    // THEN the definitions are in a folder of their own, applied first (README: "Installing into a cluster")
    expect([...files.keys()]).toEqual(['00-definitions/main.k8s.yaml', '01-resources/main.k8s.yaml']);
    expect(kinds(files.get('00-definitions/main.k8s.yaml')!)).toEqual(['CustomResourceDefinition', 'Namespace']);
    expect(kinds(files.get('01-resources/main.k8s.yaml')!)).toEqual(['ConfigMap', 'Service']);
  });

  it("gives the definitions Argo CD's sync wave -1, keeps a wave of their own, and leaves the rest alone", async () => {
    // GIVEN definitions without and with a sync wave, and a ConfigMap
    const app = makeApp(`${MIXED}
new ApiObject(chart, 'ns2', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'late', annotations: { 'argocd.argoproj.io/sync-wave': '-5' } } });`);
    // WHEN it is synthesized
    const { files } = await synthesize('main.ts', { cwd: app.dir, noCache: true });
    // THEN each definition has a wave, its own where it set one; the other objects have none
    const waves = (path: string) => parseAllDocuments(files.get(path)!).map((d) => {
      const o = d.toJS() as { kind: string; metadata: { annotations?: Record<string, string> } };
      return `${o.kind} ${o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 'none'}`;
    });
    expect(waves('00-definitions/main.k8s.yaml')).toEqual(['CustomResourceDefinition -1', 'Namespace -1', 'Namespace -5']);
    expect(waves('01-resources/main.k8s.yaml')).toEqual(['ConfigMap none', 'Service none']);
    expect(files.get('00-definitions/main.k8s.yaml')).toContain('metadata:\n  name: team\n  annotations:\n    argocd.argoproj.io/sync-wave: "-1"\n');
  });

  it('writes keys in a canonical order, quotes YAML 1.1 booleans and uses LF line endings', async () => {
    const app = makeApp(MIXED);
    const yaml = (await synthesize('main.ts', { cwd: app.dir, noCache: true })).files.get('01-resources/main.k8s.yaml')!;
    expect(yaml).toContain('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "on"\n  b: "2"\n');
    expect(yaml).not.toContain('\r');
    expect(yaml.endsWith('\n')).toBe(true);
  });

  it('lays out one file per object in the same two flat folders, named chart.kind.[namespace.]name', async () => {
    const app = makeApp(`${MIXED}
new ApiObject(new Chart(app, 'apps', { namespace: 'team' }), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });`);
    const { files } = await synthesize('main.ts', { cwd: app.dir, noCache: true, layout: 'resource' });
    expect([...files.keys()]).toEqual([
      '00-definitions/main.customresourcedefinition.things.example.dev.k8s.yaml',
      '00-definitions/main.namespace.team.k8s.yaml',
      '01-resources/apps.configmap.team.settings.k8s.yaml',
      '01-resources/main.configmap.settings.k8s.yaml',
      '01-resources/main.service.web.k8s.yaml',
    ]);
    expect(kinds(files.get('00-definitions/main.namespace.team.k8s.yaml')!)).toEqual(['Namespace']);
  });

  it('refuses two objects that one file name would hold (same kind, namespace and name in two API groups)', async () => {
    const app = makeApp(`new ApiObject(chart, 'a', { apiVersion: 'a.example.dev/v1', kind: 'Widget', metadata: { name: 'w' } });
new ApiObject(chart, 'b', { apiVersion: 'b.example.dev/v1', kind: 'Widget', metadata: { name: 'w' } });`);
    await expect(synthesize('main.ts', { cwd: app.dir, noCache: true })).resolves.toBeDefined();
    const error = await synthesize('main.ts', { cwd: app.dir, noCache: true, layout: 'resource' }).catch((e) => e);
    expect(error.diagnostics).toEqual([{
      text: '[main/a] and [main/b] would both be written to 01-resources/main.widget.w.k8s.yaml',
      constructPath: 'main/a',
      notes: ['objects of two API groups with the same kind, namespace and name: rename one, or use --layout chart'],
    }]);
  });

  it('writes one file per chart, named as cdk8s names them', async () => {
    const app = makeApp(`new ApiObject(new Chart(app, 'second'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } });`);
    const { files } = await synthesize('main.ts', { cwd: app.dir, noCache: true });
    expect([...files.keys()]).toEqual(['01-resources/main.k8s.yaml', '01-resources/second.k8s.yaml']);
  });
});

describe('synthesize: errors a user makes', () => {
  it('names a missing entry', async () => {
    const app = makeApp('');
    await expect(synthesize('nope.ts', { cwd: app.dir })).rejects.toThrowError('entry nope.ts does not exist');
  });

  it('locates a syntax error in the user file', async () => {
    const app = makeApp('');
    app.write('main.ts', 'const x = ;\n');
    const error = await synthesize('main.ts', { cwd: app.dir, noCache: true }).catch((e) => e);
    expect(error.message).toBe('Unexpected ";"');
    expect(error.diagnostics[0].location).toMatchObject({ file: app.path('main.ts'), line: 1, column: 11 });
  });

  it('locates an exception thrown inside a construct at the throwing line of the user file', async () => {
    const app = makeApp(`import './construct';`);
    app.write('construct.ts', `import { Construct } from 'constructs';
export class Broken extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    throw new Error("'interval' (30s) must be at least 1 minute");
  }
}
`);
    app.write('main.ts', appSource(`new Broken(chart, 'broken');`, "import { Broken } from './construct';"));
    const error = await synthesize('main.ts', { cwd: app.dir, noCache: true }).catch((e) => e);
    expect(error.message).toBe("'interval' (30s) must be at least 1 minute");
    expect(error.diagnostics[0].location).toMatchObject({ file: app.path('construct.ts'), line: 5, column: 11 });
  });

  it('reports every node.addValidation() problem at once with its construct path', async () => {
    const app = makeApp(`chart.node.addValidation({ validate: () => ['first problem', 'second problem'] });
new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } }).node.addValidation({ validate: () => ['third problem'] });`);
    const error = await synthesize('main.ts', { cwd: app.dir, noCache: true }).catch((e) => e);
    expect(error.diagnostics).toEqual([
      { text: 'first problem', constructPath: 'main' },
      { text: 'second problem', constructPath: 'main' },
      { text: 'third problem', constructPath: 'main/cm' },
    ]);
  });

  it.each([
    ['no charts', "import { App } from 'cdk8s';\nnew App().synth();\n", "main.ts synthesized nothing: its App has no charts"],
    ['an empty chart', appSource(''), "main.ts synthesized nothing: its App's chart holds no objects"],
    ['two empty charts', appSource("new Chart(app, 'other');"), "main.ts synthesized nothing: its App's 2 charts hold no objects"],
  ])('refuses an app that synthesizes nothing (%s): it would empty the output folder', async (_, source, message) => {
    const app = makeApp('');
    app.write('main.ts', source);
    const error = await synthesize('main.ts', { cwd: app.dir, noCache: true }).catch((e) => e);
    expect(error.diagnostics).toEqual([{ text: message, notes: ["add charts with constructs to the App before app.synth(), e.g. new System(app, 'imagestreams')"] }]);
  });

  it('fails when the entry never calls app.synth()', async () => {
    const app = makeApp('');
    app.write('main.ts', "import { App } from 'cdk8s';\nnew App();\n");
    await expect(synthesize('main.ts', { cwd: app.dir, noCache: true })).rejects.toThrowError(`${app.path('main.ts')} never called app.synth()`);
  });

  it('reports bad names and duplicates after synthesis, all at once, with construct paths', async () => {
    const app = makeApp(`new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } });
new ApiObject(chart, 'one', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'twin' } });
new ApiObject(chart, 'two', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'twin' } });`);
    const error = await synthesize('main.ts', { cwd: app.dir, noCache: true }).catch((e) => e);
    expect(error.diagnostics.map((d: { constructPath: string; text: string }) => `[${d.constructPath}] ${d.text}`)).toEqual([
      '[main/bad] ConfigMap/Bad_Name name "Bad_Name" is not a valid ConfigMap name: use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (DNS-1123 subdomain)',
      '[main/one] Secret/twin is defined 2 times: [main/one], [main/two]',
    ]);
  });
});
