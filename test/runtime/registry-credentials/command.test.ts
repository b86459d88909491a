/**
 * The in-cluster registry's credentials Job on the real API server: its command, with the exact
 * arguments the System synthesizes, run as its own ServiceAccount bound by the synthesized Roles,
 * makes the auth Secret and the dockerconfigjson Secrets where builds and workloads name them —
 * and nothing else; a second run changes nothing, a new address updates them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as kplus from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../../constructs/buildconfig';
import { ImageStream, StreamRegistry } from '../../../constructs';
import { REGISTRY_AUTH_KEYS } from '../../../lib/api/registry-credentials';
import type { KubeObject } from '../../../lib/api/kube-object';
import { createRegistryCredentialsCommand } from '../../../lib/runtime/registry-credentials/command';
import { loadKubeconfig } from '../../../lib/runtime/kube/kubeconfig';
import { useTestKube } from '../../support/kube';
import { synthApp, type Manifest } from '../../support/synth-app';

type Secret = KubeObject & { type: string; data: Record<string, string> };
const text = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

const t = useTestKube('registry-credentials');

/** An app whose builds run in `builds` (FROM a stream, to a stream) and whose Deployment in `web` follows a stream. */
function synthesize(system: string, builds: string, web: string, options: Parameters<typeof StreamRegistry.inCluster>[0] = {}): Manifest[] {
  return [...synthApp(({ chart }) => {
    const c = chart(builds);
    const base = new ImageStream(c, 'base');
    const app = new ImageStream(c, 'app');
    app.allowPull(web);
    new BuildConfig(c, 'base-build', { name: 'base', source: BuildSource.dockerfile('FROM scratch\n'), strategy: BuildStrategy.dockerfile(), output: BuildOutput.imageStreamTag(base.tag('latest')) });
    new BuildConfig(c, 'app-build', {
      name: 'app', source: BuildSource.dockerfile('FROM scratch\n'), strategy: BuildStrategy.dockerfile({ from: base.tag('latest') }), output: BuildOutput.imageStreamTag(app.tag('latest')),
    });
    const deployment = new kplus.Deployment(chart(web), 'web', { containers: [{ name: 'web', image: 'nginx:1.27' }] });
    app.tag('latest').deployTo(deployment, { container: 'web' });
  }, { namespace: system, createNamespace: false, createAppNamespaces: false, registry: StreamRegistry.inCluster(options) }).objects];
}

/** Runs the synthesized Job's command as the Job's ServiceAccount, as its pod would. */
async function runJob(objects: readonly Manifest[], system: string): Promise<{ code: number; out: string; err: string }> {
  const job = objects.find((o) => o.kind === 'Job')!;
  const spec = job.spec.template.spec;
  const token = await t.cluster.tokenFor(system, spec.serviceAccountName);
  const kubeconfig = t.cluster.kubeconfigFor(token, { namespace: system });
  let out = '';
  let err = '';
  const command = createRegistryCredentialsCommand({ loadConfig: () => loadKubeconfig({ path: kubeconfig }), stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  const argv: string[] = spec.containers[0].command;
  expect(argv.slice(0, 3)).toEqual(['node', '/opt/imagestreams/imagestreams-runtime.js', 'registry-credentials']);
  return { code: await command.run(argv.slice(3)), out, err };
}

const rbacAndAccounts = (objects: readonly Manifest[]) => objects.filter((o) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind) && /registry-credentials/.test(o.metadata.name));

describe('the registry-credentials Job', () => {
  it('makes the password once, a dockerconfigjson Secret where builds and workloads use the registry, and nothing else', async () => {
    // GIVEN the System in one namespace, builds in a second, a Deployment following a stream in a third, and a fourth with nothing
    const system = t.namespace;
    const [builds, web, other] = [await t.newNamespace('rc-builds'), await t.newNamespace('rc-web'), await t.newNamespace('rc-other')];
    const objects = synthesize(system, builds, web);
    await t.apply(rbacAndAccounts(objects));
    const secrets = (ns: string) => t.kube.resource<Secret>({ apiVersion: 'v1', resource: 'secrets', namespace: ns });
    await secrets(builds).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'team-secret' }, type: 'Opaque', data: { token: Buffer.from('x').toString('base64') } } as Secret);
    // WHEN its Job runs
    const first = await runJob(objects, system);
    // THEN it made the password and the two Secrets, and printed no secret
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toBe(`${system}/imagestreams-registry-auth: password created\n${builds}/imagestreams-registry: created\n${web}/imagestreams-registry: created\n`);
    const auth = await secrets(system).get('imagestreams-registry-auth');
    expect(auth.type).toBe('Opaque');
    expect(Object.keys(auth.data).sort()).toEqual(Object.values(REGISTRY_AUTH_KEYS).sort());
    const password = text(auth.data.password);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.out).not.toContain(password);
    // AND the htpasswd line verifies with that password (Apache's htpasswd checks bcrypt), and only with it
    const dir = mkdtempSync(join(tmpdir(), 'htpasswd-'));
    try {
      writeFileSync(join(dir, 'htpasswd'), text(auth.data.htpasswd));
      execFileSync('htpasswd', ['-vb', join(dir, 'htpasswd'), 'imagestreams', password], { stdio: 'pipe' });
      expect(() => execFileSync('htpasswd', ['-vb', join(dir, 'htpasswd'), 'imagestreams', `${password}x`], { stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // AND each namespace's Secret carries it for the registry's address (nodes and builds use the same one here)
    for (const ns of [builds, web]) {
      const secret = await secrets(ns).get('imagestreams-registry');
      expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
      const auths = JSON.parse(text(secret.data['.dockerconfigjson'])).auths;
      expect(Object.keys(auths)).toEqual([`imagestreams-registry.${system}.svc:5000`]);
      expect(text(auths[`imagestreams-registry.${system}.svc:5000`].auth)).toBe(`imagestreams:${password}`);
    }
    expect((await secrets(other).list()).items.map((s) => s.metadata.name)).not.toContain('imagestreams-registry');
    // AND the build and the Deployment name that Secret: the build for its push and its base, the pod in imagePullSecrets
    const bc = objects.find((o) => o.kind === 'BuildConfig' && o.metadata.name === 'app')!;
    expect(bc.spec.workspaces.filter((w: { secret?: object }) => w.secret)).toEqual([
      { name: 'dockerconfig', secret: { secretName: 'imagestreams-registry' } },
      { name: 'pull-dockerconfig', secret: { secretName: 'imagestreams-registry' } },
    ]);
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === web)!;
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'imagestreams-registry' }]);

    // WHEN it runs again THEN nothing changes: the same password, the same Secrets
    const again = await runJob(objects, system);
    expect(again.out).toBe(`${system}/imagestreams-registry-auth: password kept\n${builds}/imagestreams-registry: unchanged\n${web}/imagestreams-registry: unchanged\n`);
    expect(text((await secrets(system).get('imagestreams-registry-auth')).data.password)).toBe(password);

    // WHEN the app opens a NodePort THEN a new Job (another name) adds the nodes' address, same password
    const withNodePort = synthesize(system, builds, web, { nodePort: 32000 });
    expect(withNodePort.find((o) => o.kind === 'Job')!.metadata.name).not.toBe(objects.find((o) => o.kind === 'Job')!.metadata.name);
    expect((await runJob(withNodePort, system)).out).toContain(`${web}/imagestreams-registry: updated\n`);
    const auths = JSON.parse(text((await secrets(web).get('imagestreams-registry')).data['.dockerconfigjson'])).auths;
    expect(Object.keys(auths)).toEqual([`imagestreams-registry.${system}.svc:5000`, 'localhost:32000']);
    expect(text(auths['localhost:32000'].auth)).toBe(`imagestreams:${password}`);
  });

  it('reads no Secret but its own: its token is refused every other', async () => {
    // GIVEN the Job's ServiceAccount bound as synthesized, and a Secret of the team's in the build namespace
    const system = t.namespace;
    const builds = await t.newNamespace('rc-read');
    await t.apply(rbacAndAccounts(synthesize(system, builds, builds)));
    await t.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: builds }).create({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'team-secret' }, type: 'Opaque', data: { token: Buffer.from('x').toString('base64') },
    } as KubeObject);
    const job = await t.clientAs('imagestreams-registry-credentials', system);
    // WHEN it reads or lists the team's Secrets THEN the API server refuses
    await expect(job.resource({ apiVersion: 'v1', resource: 'secrets', namespace: builds }).get('team-secret')).rejects.toThrow(/forbidden/i);
    await expect(job.resource({ apiVersion: 'v1', resource: 'secrets', namespace: builds }).list()).rejects.toThrow(/forbidden/i);
  });
});
