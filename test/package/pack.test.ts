import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeFiles } from '../../constructs/system/runtime-bundle';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedTarball } from '../support/packed-package';

// A construct-library consumer's view: the packed tarball installed into a fresh app outside the repo.
let work: string;
let app: string;
const run = (cmd: string, args: string[], cwd = app) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, IMAGESTREAMS_CACHE_DIR: join(work, 'cache') } });

const MAIN = `import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { System } from 'cdk8s-imagestreams';

const app = new App();
new System(app, 'imagestreams');
const web = new Chart(app, 'web');
new kplus.Deployment(web, 'web', { containers: [{ image: 'nginx:1.27', portNumber: 80 }] }).exposeViaService();
app.synth();
`;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'imagestreams-pack-'));
  app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  writeFileSync(join(app, 'main.ts'), MAIN);
  writeFileSync(join(app, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node main.ts\n');
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', esModuleInterop: true, skipLibCheck: true, types: [] } }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', packedTarball(),
    'cdk8s@2', 'cdk8s-plus-27@2', 'constructs@10', 'cdk8s-cli@2', 'ts-node@10', 'typescript@5']);
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `path kind/name` of every object in the YAML files under `dir`, in file order. */
function objects(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort().flatMap((f) =>
    parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => {
      const o = d.toJS() as { kind: string; metadata: { name: string } };
      return `${f} ${o.kind}/${o.metadata.name}`;
    }));
}

describe('the npm package, installed into a fresh cdk8s app', () => {
  it('ships compiled JavaScript, declarations, the prebuilt runtime and the bin, and no sources', () => {
    const files = readdirSync(join(app, 'node_modules', 'cdk8s-imagestreams'), { recursive: true }).map(String);
    expect(files).toContain(join('build', 'constructs', 'index.js'));
    expect(files).toContain(join('build', 'constructs', 'index.d.ts'));
    expect(files).toContain(join('build', 'runtime', 'imagestreams-runtime.js'));
    expect(files).toContain(join('bin', 'imagestreams.js'));
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('synthesizes with `imagestreams synth`', () => {
    run(join(app, 'node_modules', '.bin', 'imagestreams'), ['synth']);
    const all = objects(join(app, 'dist'));
    const crds = all.filter((o) => o.includes(' CustomResourceDefinition/'));
    expect(crds).toContain('00-definitions/imagestreams.k8s.yaml CustomResourceDefinition/imagestreams.imagestreams.dev');
    expect(all.slice(0, crds.length)).toEqual(crds); // definitions first
    expect(all.slice(crds.length)).toEqual([
      expect.stringMatching(/^00-definitions\/imagestreams\.k8s\.yaml Namespace\/imagestreams-system$/),
      ...runtimeFiles().map((_, i) => expect.stringMatching(new RegExp(`^01-resources/imagestreams\\.k8s\\.yaml ConfigMap/imagestreams-runtime-[0-9a-f]{10}-${i}$`))),
      expect.stringMatching(/^01-resources\/web\.k8s\.yaml Deployment\/web-[0-9a-f]{8}$/),
      expect.stringMatching(/^01-resources\/web\.k8s\.yaml Service\/web-service-[0-9a-f]{8}$/),
    ]);
  });

  it('synthesizes the same objects with `cdk8s synth` (cdk8s-cli from npm, ts-node, cdk8s.yaml)', () => {
    run(join(app, 'node_modules', '.bin', 'cdk8s'), ['synth', '--output', 'cdk8s-out']);
    // The same objects; imagestreams puts the definitions in a folder of their own.
    const kindAndName = (dir: string) => objects(dir).map((o) => o.split(' ')[1]).sort();
    expect(kindAndName(join(app, 'cdk8s-out'))).toEqual(kindAndName(join(app, 'dist')));
  });

  it("type-checks against the package's declarations (what the user's editor sees)", () => {
    expect(run(join(app, 'node_modules', '.bin', 'imagestreams'), ['check'])).toBe('');
    expect(run(join(app, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.'])).toBe('');
  });
});
