import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControllerCommand, parseControllerArgs } from '../../../lib/runtime/controller/command';
import { runtimeKubeConfig } from '../../../lib/runtime/runtime-config';
import type { LeaseObject } from '../../../lib/runtime/machinery/lease';
import { COMMANDS } from '../../../lib/runtime/commands';
import { follow, memoryLogger, startTriggerCluster, type TriggerCluster } from './cluster';
import { eventually } from './eventually';

describe('parseControllerArgs', () => {
  it('reads the options', () => {
    expect(parseControllerArgs(['--namespaces', 'a, b', '--workers', '4', '--lease-namespace', 'sys', '--identity', 'me', '--debounce-seconds', '2.5', '--no-builds'])).toEqual({
      namespaces: ['a', 'b'], workers: 4, leaseNamespace: 'sys', identity: 'me', debounceSeconds: 2.5, builds: false,
    });
  });

  it('defaults to all namespaces, 2 workers, the pod name as identity, builds on with a 10 s debounce', () => {
    expect(parseControllerArgs([], { POD_NAME: 'ctl-0' })).toEqual({ namespaces: undefined, workers: 2, leaseNamespace: undefined, identity: 'ctl-0', debounceSeconds: 10, builds: true });
  });

  it.each([
    [['--workers', '0'], "--workers must be a positive integer, not '0'"],
    [['--namespaces', ','], "--namespaces must list at least one namespace, not ','"],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--debounce-seconds=-1'], "--debounce-seconds must be a number >= 0, not '-1'"],
    [['--debounce-seconds', 'soon'], "--debounce-seconds must be a number >= 0, not 'soon'"],
  ])('rejects %j', (argv, message) => {
    expect(parseControllerArgs(argv)).toBe(message);
  });
});

describe('controller command', () => {
  let cluster: TriggerCluster;
  beforeAll(async () => (cluster = await startTriggerCluster()));
  afterAll(async () => cluster?.close());

  it('is registered as a runtime command', () => {
    expect(COMMANDS.map((c) => c.name)).toContain('controller');
  });

  it('exits 2 with usage on bad arguments', async () => {
    let stderr = '';
    const code = await createControllerCommand({ stderr: (t) => void (stderr += t) }).run(['--workers', 'x']);
    expect(code).toBe(2);
    expect(stderr).toBe("--workers must be a positive integer, not 'x'\nusage: imagestreams-runtime controller [--namespaces a,b] [--workers N] [--lease-namespace NS] [--identity ID] [--debounce-seconds S] [--no-builds] [--receiver-port P [--receiver-max-body-bytes N] [--receiver-debounce-ms MS]] [--notifications] [--shards N --shard I] [--stream-registry JSON] [--image-mirror JSON]\n");
  });

  it("takes the System's registry as --stream-registry JSON, checked", () => {
    const registry = { pushHost: 'registry.svc:5000', pullHost: 'localhost:32000', insecure: true, pushSecret: 'registry' };
    expect(parseControllerArgs(['--stream-registry', JSON.stringify(registry)], {})).toMatchObject({ streamRegistry: registry });
    expect(parseControllerArgs([], {})).not.toHaveProperty('streamRegistry');
    expect(parseControllerArgs(['--stream-registry', '{"pushHost": "r"}'], {})).toBe('--stream-registry must be {"pushHost": "...", "pullHost": "...", "insecure": false, "pathPrefix"?, "pushSecret"?, "pullSecret"?}');
    expect(parseControllerArgs(['--stream-registry', 'r:5000'], {})).toBe('--stream-registry must be JSON, not "r:5000"');
  });

  it("takes the System's image mirror as --image-mirror JSON, checked", () => {
    expect(parseControllerArgs(['--image-mirror', '{"docker.io":"mirror.example.com/docker.io"}'], {})).toMatchObject({ imageMirror: { 'docker.io': 'mirror.example.com/docker.io' } });
    expect(parseControllerArgs(['--image-mirror', '["docker.io"]'], {})).toBe('--image-mirror must be a JSON object of registry host to mirror prefix, e.g. {"docker.io": "mirror.example.com/docker.io"}');
  });

  it('takes --shards and --shard together, the shard in range', () => {
    expect(parseControllerArgs(['--shards', '3', '--shard', '2'], {})).toMatchObject({ sharding: { shards: 3, shard: 2 } });
    expect(parseControllerArgs(['--shards', '1', '--shard', '0'], {})).not.toHaveProperty('sharding');
    expect(parseControllerArgs(['--shards', '3'], {})).toBe('--shards and --shard go together');
    expect(parseControllerArgs(['--shards', '3', '--shard', '3'], {})).toBe("--shard must be a whole number from 0 to 2, not '3'");
    expect(parseControllerArgs(['--shards', '17', '--shard', '0'], {})).toBe("--shards must be a whole number from 1 to 16, not '17'");
  });

  it('leads, rolls out tag changes, and on termination releases its lease and exits 0', async () => {
    // GIVEN the command running against the real API server (as IMAGESTREAMS_KUBECONFIG would point it)
    await cluster.createStream('cmd');
    await cluster.workloads('apps/v1', 'deployments').apply(cluster.workload('Deployment', 'cmd', [{ name: 'web', image: 'x' }], [follow('cmd:latest', 'web')]), { fieldManager: 'gitops' });
    const abort = new AbortController();
    const log = memoryLogger();
    const exit = createControllerCommand({ loadConfig: () => runtimeKubeConfig({ IMAGESTREAMS_KUBECONFIG: cluster.kubeconfigPath }), log, signal: abort.signal })
      .run(['--identity', 'cmd-1', '--lease-namespace', cluster.namespace, '--namespaces', cluster.namespace]);
    // WHEN a tag moves
    const image = await cluster.pushImage('cmd', 'latest', 'cmd-1');
    // THEN the Deployment follows
    await eventually(async () => {
      const live = await cluster.workloads('apps/v1', 'deployments').get('cmd');
      expect(JSON.stringify(live.spec)).toContain(`registry.test/${cluster.namespace}/cmd@${image}`);
    });
    // WHEN it is told to stop
    abort.abort();
    // THEN it exits 0 and leaves the lease free
    expect(await exit).toBe(0);
    const lease = await cluster.kube.resource<LeaseObject>({ apiVersion: 'coordination.k8s.io/v1', resource: 'leases', namespace: cluster.namespace }).get('imagestreams-controller');
    expect(lease.spec?.holderIdentity).toBe('');
    expect(log.entries.map((e) => e.msg)).toEqual(expect.arrayContaining(['controller starting', 'synced', 'became leader', 'image updated', 'controller stopped']));
  });
});
