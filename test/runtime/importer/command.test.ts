import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportCommand, logLine, parseImportArgs } from '../../../lib/runtime/importer/command';
import { runtimeKubeConfig } from '../../../lib/runtime/runtime-config';
import { pushImage } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { localTag, startCluster, type TestCluster } from './cluster';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImportArgs', () => {
  it('reads the options', () => {
    expect(parseImportArgs(['--namespace', 'ns', '--stream', 's', '--scheduled', '--concurrency', '3'])).toEqual({ namespace: 'ns', stream: 's', scheduled: true, concurrency: 3 });
    expect(parseImportArgs(['--namespace', 'ns', '--stream', 's'])).toEqual({ namespace: 'ns', stream: 's', scheduled: false, concurrency: undefined });
  });

  it('says what is wrong', () => {
    expect(parseImportArgs(['--stream', 's'])).toBe('--namespace and --stream are required');
    expect(parseImportArgs(['--namespace', 'n', '--stream', 's', '--concurrency', '0'])).toBe("--concurrency must be a positive integer, not '0'");
    expect(parseImportArgs(['--namespace', 'n', '--stream', 's', '--bogus'])).toMatch(/^Unknown option '--bogus'/);
  });
});

describe('logLine', () => {
  it('shows the digest for imports and the reason for failures', () => {
    expect(logLine({ tag: 'v1', from: 'x', ok: true, image: DIGEST, dockerImageReference: `x@${DIGEST}` }, true)).toBe(`v1 ${DIGEST} moved`);
    expect(logLine({ tag: 'v1', from: 'x', ok: true, image: DIGEST, dockerImageReference: `x@${DIGEST}` }, false)).toBe(`v1 ${DIGEST} unchanged`);
    expect(logLine({ tag: 'v1', from: 'x', ok: false, reason: 'NotFound', message: 'x not found' }, false)).toBe('v1 NotFound: x not found');
  });
});

describe('the runtime import command', () => {
  let cluster: TestCluster;
  let registry: RunningRegistry;
  beforeAll(async () => {
    [cluster, registry] = await Promise.all([startCluster(), startRegistry()]);
  });
  afterAll(async () => {
    await cluster?.close();
    await registry?.close();
  });

  async function runCommand(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const command = createImportCommand({
      loadConfig: () => runtimeKubeConfig({ IMAGESTREAMS_KUBECONFIG: cluster.kubeconfigPath }),
      stdout: (t) => { stdout += t; },
      stderr: (t) => { stderr += t; },
    });
    return { code: await command.run(argv), stdout, stderr };
  }

  it('logs one line per tag and exits 1 when a tag failed', async () => {
    // GIVEN a stream with a good and a missing tag
    const { digest } = await pushImage(registry.host, 'team/cmd:v1');
    await cluster.createStream('cmd', { tags: [localTag('good', `${registry.host}/team/cmd:v1`), localTag('gone', `${registry.host}/team/cmd:gone`)] });
    // WHEN the command runs THEN
    expect(await runCommand('--namespace', cluster.namespace, '--stream', 'cmd', '--concurrency', '1')).toEqual({
      code: 1,
      stdout: `good ${digest} moved\ngone NotFound: ${registry.host}/team/cmd:gone not found: manifest unknown\n`,
      stderr: '',
    });
  });

  it('exits 0 when every tag imported, and says when no scheduled tag is due', async () => {
    const { digest } = await pushImage(registry.host, 'team/cmd2:v1');
    await cluster.createStream('cmd2', { tags: [localTag('v1', `${registry.host}/team/cmd2:v1`, { scheduled: true })] });
    expect(await runCommand('--namespace', cluster.namespace, '--stream', 'cmd2', '--scheduled')).toEqual({ code: 0, stdout: `v1 ${digest} moved\n`, stderr: '' });
    expect(await runCommand('--namespace', cluster.namespace, '--stream', 'cmd2', '--scheduled')).toEqual({ code: 0, stdout: 'cmd2: no tag to import (none due)\n', stderr: '' });
  });

  it('exits 1 with a clear message for a missing stream, 2 for bad arguments', async () => {
    expect(await runCommand('--namespace', cluster.namespace, '--stream', 'nope')).toEqual({ code: 1, stdout: '', stderr: `error: imagestream "nope" not found in namespace "${cluster.namespace}"\n` });
    expect((await runCommand('--stream', 'x')).code).toBe(2);
  });

  it('fails clearly outside a cluster by default', async () => {
    const command = createImportCommand({ stderr: () => {} });
    const saved = { ...process.env };
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      await expect(command.run(['--namespace', 'n', '--stream', 's'])).rejects.toThrowError(
        'not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set',
      );
    } finally {
      process.env = saved;
    }
  });
});
