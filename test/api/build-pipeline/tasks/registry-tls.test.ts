import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../support/registry/exec';
import { startRegistry, type RunningRegistry } from '../../../support/registry/registry';
import { makeTestCa, type TestCa } from '../../../support/registry/test-ca';
import { makeGitRepo, pushBusyboxBase } from '../../../support/tekton/build-fixtures';
import { buildTasks, dockerfilePipeline } from '../../../support/tekton/build-pipelines';
import { runPipeline } from '../../../support/tekton/run-pipeline';

/**
 * TLS per registry, with the real registry over https and a CA made for the test: `insecure` for one
 * host (a registries.conf drop-in) never relaxes another's verification, and a CA in the
 * registry-cas workspace (`<host>/ca.crt`, certs.d layout) is trusted for its host.
 */

let plain: RunningRegistry;
let secure: RunningRegistry;
let ca: TestCa;
let dir: string;
/** A certs.d-style directory holding the test CA for `secure`: what the registry-cas workspace binds. */
let cas: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'registry-tls-'));
  ca = await makeTestCa(path.join(dir, 'ca'));
  plain = await startRegistry();
  secure = await startRegistry({ tls: { certificate: ca.certificate, key: ca.key } });
  await pushBusyboxBase(plain.host, 'base:1', 'plain');
  cas = path.join(dir, 'registry-cas');
  mkdirSync(path.join(cas, secure.host), { recursive: true });
  copyFileSync(ca.caCertificate, path.join(cas, secure.host, 'ca.crt'));
  // The provenance step reads the workspace as uid 1000, as a pod's ConfigMap or Secret volume lets it.
  chmodSync(dir, 0o755);
  chmodSync(path.join(cas, secure.host, 'ca.crt'), 0o644);
  await run('skopeo', ['copy', '--src-tls-verify=false', '--dest-cert-dir', path.join(cas, secure.host),
    `docker://${plain.host}/base:1`, `docker://${secure.host}/base:1`]);
});
afterAll(async () => {
  await plain?.close();
  await secure?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function build(name: string, from: string, image: string, insecure: string[], withCas: boolean) {
  const repo = await makeGitRepo(path.join(dir, `repo-${name}`), { Dockerfile: `FROM ${from}\nRUN echo ${name} > /built\n` });
  return runPipeline({
    pipeline: dockerfilePipeline(), tasks: buildTasks(),
    params: { URL: repo.url, IMAGE: image, INSECURE_REGISTRIES: insecure },
    workspaces: { source: path.join(dir, `source-${name}`), ...(withCas ? { 'registry-cas': cas } : {}) },
  });
}

const servedDigest = async (repoTag: string) =>
  JSON.parse(await run('skopeo', ['inspect', '--cert-dir', path.join(cas, secure.host), `docker://${secure.host}/${repoTag}`])).Digest as string;

describe('TLS per registry (buildah-build)', () => {
  it('an insecure registry does not make the others unverified: pushing to an https registry of an unknown CA fails', async () => {
    // GIVEN the base on the plain-http registry, marked insecure, and an output on the https one, whose CA nothing trusts
    // WHEN built (TLS_VERIFY=false used to turn verification off for every registry of the build)
    const result = await build('leak', `${plain.host}/base:1`, `${secure.host}/app:leak`, [plain.host], false);
    // THEN the base came over http, and the push was refused for the certificate
    expect(result).toMatchObject({ succeeded: false, failedStep: 'push' });
    expect(result.logs['build/push']).toMatch(/x509: certificate signed by unknown authority/);
    expect(result.logs['build/build']).toContain(`buildah-build: ${plain.host}: plain http or unverified https (insecure), for this registry only`);
  });

  it('trusts the registry\'s CA from the registry-cas workspace, for push and pull, and IMAGE_DIGEST is what it serves', async () => {
    // GIVEN the CA as <host>/ca.crt in the registry-cas workspace, no registry insecure
    // WHEN built FROM the https registry and pushed to it
    const result = await build('trusted', `${secure.host}/base:1`, `${secure.host}/app:trusted`, [], true);
    // THEN both worked over verified https
    expect(result.message).toBeUndefined();
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest('app:trusted'));
    expect(result.logs['build/build']).toContain(`buildah-build: ${secure.host}: trusting its CA from the registry-cas workspace`);
    // AND the provenance statement went over verified https too
    expect(result.logs['build/provenance']).toContain(`provenance: pushed the SLSA provenance of ${secure.host}/app@${result.results.IMAGE_DIGEST}`);
  });

  it('without the CA, pulling a base from the https registry fails in the build step', async () => {
    const result = await build('untrusted', `${secure.host}/base:1`, `${plain.host}/app:untrusted`, [plain.host], false);
    expect(result).toMatchObject({ succeeded: false, failedStep: 'build' });
    expect(result.logs['build/build']).toMatch(/x509: certificate signed by unknown authority/);
  });

  it('refuses an INSECURE_REGISTRIES item that is not a host', async () => {
    const result = await build('bad-host', `${plain.host}/base:1`, `${plain.host}/app:bad`, [plain.host, '--tls-verify=false'], false);
    expect(result.logs['build/build']).toContain("buildah-build: param INSECURE_REGISTRIES item '--tls-verify=false' is not a registry host[:port]");
  });
});
