/**
 * The peer ranges of package.json are true: the packed package, installed from npm next to the
 * lowest and the newest versions each range allows, type-checks and synthesizes the examples, and
 * both give the same manifests.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerApp, type ConsumerApp } from '../support/packed-package';
import { REPO_ROOT } from '../support/temp-app';

const PEERS = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> }).peerDependencies;

/** Every version npm has of `name` within `range`, lowest first. */
function versionsIn(name: string, range: string): string[] {
  const out = JSON.parse(execFileSync('npm', ['view', `${name}@${range}`, 'version', '--json'], { encoding: 'utf8' })) as string | string[];
  return (Array.isArray(out) ? out : [out]).sort(semver.compare);
}

/** The lowest or newest version of each peer, as `name@version` for npm install. */
function peersAt(end: 'lowest' | 'newest'): string[] {
  return Object.entries(PEERS).map(([name, range]) => {
    const versions = versionsIn(name, range);
    return `${name}@${end === 'lowest' ? versions[0] : versions[versions.length - 1]}`;
  });
}

/** The seed example and a GitApp (which loads cdk8s-plus at synth time), as a user's files. */
const EXAMPLE_FILES: Record<string, string> = {
  ...Object.fromEntries(readdirSync(join(REPO_ROOT, 'examples', 'seed')).filter((f) => f.endsWith('.ts'))
    .map((f) => [join('seed', f), readFileSync(join(REPO_ROOT, 'examples', 'seed', f), 'utf8')])),
  'git-app.ts': `import { App, Chart } from 'cdk8s';
import { AppBase, GitApp, StreamRegistry, System } from 'cdk8s-imagestreams';

const app = new App();
new System(app, 'imagestreams', { registry: StreamRegistry.inCluster({ nodePort: 32000 }) });
new GitApp(new Chart(app, 'shop', { namespace: 'shop' }), 'shop', {
  git: { uri: 'https://github.com/example/shop.git', ref: 'main' },
  base: AppBase.importImage('docker.io/library/node:20-alpine', { stream: 'node' }),
});
app.synth();
`,
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', noEmit: true, types: [] } }),
};

/** What `imagestreams synth` wrote under `out`, file by file. */
function written(app: ConsumerApp, out: string): Record<string, string> {
  const dir = app.path(out);
  return Object.fromEntries((readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

const apps: Partial<Record<'lowest' | 'newest', ConsumerApp>> = {};
afterAll(() => Object.values(apps).forEach((a) => a.remove()));

describe.each(['lowest', 'newest'] as const)('the package with the %s peer versions its ranges allow', (end) => {
  let app: ConsumerApp;
  beforeAll(() => {
    // GIVEN a fresh app with the packed package and each peer at that end of its range
    app = apps[end] = consumerApp(['TARBALL', ...peersAt(end), 'typescript@5'], EXAMPLE_FILES);
  }, 300_000);

  it('installs exactly those versions', () => {
    const installed = Object.keys(PEERS).map((name) => `${name}@${(JSON.parse(readFileSync(app.path(join('node_modules', name, 'package.json')), 'utf8')) as { version: string }).version}`);
    expect(installed).toEqual(peersAt(end));
  });

  it('type-checks the examples against the declarations', () => {
    expect(app.run(app.path('node_modules/.bin/tsc'), ['-p', '.'])).toBe('');
  });

  it('synthesizes the examples, the same manifests as with the other end of the ranges', () => {
    const imagestreams = app.path('node_modules/.bin/imagestreams');
    app.run(imagestreams, ['synth', 'seed/main.ts', '--out', 'dist/seed']);
    app.run(imagestreams, ['synth', 'git-app.ts', '--out', 'dist/git-app']);
    const seed = written(app, 'dist/seed');
    expect(Object.keys(seed)).toContain('01-resources/seed.k8s.yaml');
    if (apps.lowest && apps.newest && end === 'newest') {
      expect(seed).toEqual(written(apps.lowest, 'dist/seed'));
      expect(written(app, 'dist/git-app')).toEqual(written(apps.lowest, 'dist/git-app'));
    }
  });

  it('refuses, naming both, an app made with a copy of cdk8s other than the one the package loads', () => {
    // GIVEN a second cdk8s under the package (what npm does when the app's cdk8s is outside the peer range, or npm link)
    const nested = app.path('node_modules/cdk8s-imagestreams/node_modules/cdk8s');
    cpSync(app.path('node_modules/cdk8s'), nested, { recursive: true });
    try {
      // WHEN the app synthesizes THEN it fails with the two folders and the fix, not cdk8s's "can't render non-simple object"
      const failure = (() => {
        try {
          app.run(app.path('node_modules/.bin/imagestreams'), ['synth', 'seed/main.ts', '--out', 'dist/two-copies']);
        } catch (error) {
          return (error as Error).message;
        }
        return 'succeeded';
      })();
      expect(failure).toContain('exited 1');
      expect(failure).toContain('[imagestreams] this app was made with another copy of cdk8s');
      expect(failure).toContain(app.path('node_modules/cdk8s'));
      expect(failure).toContain(nested);
      expect(failure).toContain('npm dedupe');
    } finally {
      rmSync(nested, { recursive: true, force: true });
    }
  });
});
