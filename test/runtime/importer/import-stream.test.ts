import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedTagEventList } from '../../../lib/api/imagestream';
import { ConflictError } from '../../../lib/runtime/kube/errors';
import { importExitCode, importStream, type ImportStreamOptions } from '../../../lib/runtime/importer/import-stream';
import type { StreamObject } from '../../../lib/runtime/imagestreams/streams';
import { AuthCache } from '../../../lib/runtime/registry/token';
import { deleteTag, pushImage } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { localTag, startCluster, type TestCluster } from './cluster';

const ALICE = { username: 'alice', password: 'wonderland' };
const at = (minute: number) => () => new Date(Date.UTC(2026, 0, 1, 0, minute));
const iso = (minute: number) => at(minute)().toISOString();

describe('importStream against the real API server and the real registry', () => {
  let cluster: TestCluster;
  let registry: RunningRegistry;
  beforeAll(async () => {
    [cluster, registry] = await Promise.all([startCluster(), startRegistry()]);
  });
  afterAll(async () => {
    await cluster?.close();
    await registry?.close();
  });

  const run = (stream: string, options: Partial<ImportStreamOptions> = {}) =>
    importStream(cluster.kube, { namespace: cluster.namespace, stream, registry: { authCache: new AuthCache(), timeoutMs: 10_000 }, ...options });
  const statusOf = async (stream: string, tag: string): Promise<NamedTagEventList | undefined> =>
    (await cluster.streams.get(stream)).status?.tags?.find((t) => t.tag === tag);
  const images = async (stream: string, tag: string) => (await statusOf(stream, tag))?.items?.map((i) => i.image);

  it('records a tag, adds nothing for the same digest, adds an item when the tag moves, and keeps history when it is deleted', async () => {
    // GIVEN a pushed image and a stream following its tag
    const first = await pushImage(registry.host, 'team/app:v1');
    await cluster.createStream('app', { tags: [localTag('v1', `${registry.host}/team/app:v1`)] });
    // WHEN imported THEN one item, ImportSuccess True
    const report = await run('app', { now: at(0) });
    expect(importExitCode(report)).toBe(0);
    expect(report.moved).toEqual(['v1']);
    expect(await statusOf('app', 'v1')).toEqual({
      tag: 'v1',
      items: [{ dockerImageReference: `${registry.host}/team/app@${first.digest}`, image: first.digest, created: iso(0), generation: 1 }],
      conditions: [{ type: 'ImportSuccess', status: 'True', reason: 'Imported', message: `imported ${first.digest}`, lastTransitionTime: iso(0), generation: 1 }],
      lastImportAttempt: iso(0),
    });
    // WHEN imported again with the tag unchanged THEN no new item
    expect((await run('app', { now: at(1) })).moved).toEqual([]);
    expect(await images('app', 'v1')).toEqual([first.digest]);
    expect((await statusOf('app', 'v1'))!.lastImportAttempt).toBe(iso(1));
    // WHEN the tag moves THEN the new digest is in front
    const second = await pushImage(registry.host, 'team/app:v1');
    expect((await run('app', { now: at(2) })).moved).toEqual(['v1']);
    expect(await images('app', 'v1')).toEqual([second.digest, first.digest]);
    // WHEN the tag is deleted THEN NotFound, exit code 1, history kept
    await deleteTag(registry.host, 'team/app:v1');
    const failed = await run('app', { now: at(3) });
    expect(importExitCode(failed)).toBe(1);
    const status = (await statusOf('app', 'v1'))!;
    expect(status.items!.map((i) => i.image)).toEqual([second.digest, first.digest]);
    expect(status.conditions).toEqual([{
      type: 'ImportSuccess', status: 'False', reason: 'NotFound',
      message: `${registry.host}/team/app:v1 not found: manifest unknown`, lastTransitionTime: iso(3), generation: 1,
    }]);
  });

  it('keeps at most spec.historyLimit items', async () => {
    await cluster.createStream('short', { historyLimit: 2, tags: [localTag('v1', `${registry.host}/team/short:v1`)] });
    const pushed = [];
    for (let i = 0; i < 3; i++) {
      pushed.push((await pushImage(registry.host, 'team/short:v1')).digest);
      await run('short', { now: at(i) });
    }
    expect(await images('short', 'v1')).toEqual([pushed[2], pushed[1]]);
  });

  it('imports the other tags when one fails, and says so in the exit code', async () => {
    const good = await pushImage(registry.host, 'team/mixed:good');
    await cluster.createStream('mixed', {
      tags: [localTag('gone', `${registry.host}/team/mixed:gone`), localTag('good', `${registry.host}/team/mixed:good`)],
    });
    const report = await run('mixed', { now: at(0), concurrency: 1 });
    expect(report.results.map((r) => [r.tag, r.ok])).toEqual([['gone', false], ['good', true]]);
    expect(importExitCode(report)).toBe(1);
    expect(await images('mixed', 'good')).toEqual([good.digest]);
    expect((await statusOf('mixed', 'gone'))!.conditions![0]).toMatchObject({ status: 'False', reason: 'NotFound' });
  });

  it('with scheduled, imports only the due tags and writes nothing when none is due', async () => {
    const image = await pushImage(registry.host, 'team/sched:v1');
    const from = `${registry.host}/team/sched:v1`;
    await cluster.createStream('sched', {
      tags: [localTag('hourly', from, { scheduled: true, intervalSeconds: 3600 }), localTag('manual', from)],
    });
    // WHEN the scheduled import runs, and again 3 minutes later (a Job started by hand: the next run is due in an hour)
    expect((await run('sched', { scheduled: true, now: at(0) })).results.map((r) => r.tag)).toEqual(['hourly']);
    const rv = (await cluster.streams.get('sched')).metadata.resourceVersion;
    const later = await run('sched', { scheduled: true, now: at(3) });
    // THEN the second found nothing due and did not write
    expect(later.results).toEqual([]);
    expect((await cluster.streams.get('sched')).metadata.resourceVersion).toBe(rv);
    expect(await images('sched', 'hourly')).toEqual([image.digest]);
    expect(await statusOf('sched', 'manual')).toBeUndefined();
  });

  it('imports a digest-pinned tag once, then leaves it alone (no registry request)', async () => {
    // GIVEN a tag pinned to a pushed digest
    const { digest } = await pushImage(registry.host, 'team/pinned:v1');
    await cluster.createStream('pinned', { tags: [localTag('v1', `${registry.host}/team/pinned@${digest}`)] });
    // WHEN imported THEN the digest was checked and recorded
    expect((await run('pinned', { now: at(0) })).results).toEqual([
      { tag: 'v1', from: `${registry.host}/team/pinned@${digest}`, ok: true, image: digest, dockerImageReference: `${registry.host}/team/pinned@${digest}` },
    ]);
    // WHEN imported again THEN nothing is selected and the registry sees no request
    const since = (await registry.accessLog()).length;
    expect((await run('pinned', { now: at(1) })).results).toEqual([]);
    expect((await registry.accessLog()).slice(since)).toEqual([]);
  });

  it('records NotFound for a pinned digest the registry does not have', async () => {
    const absent = `sha256:${'0'.repeat(64)}`;
    await cluster.createStream('pinned-absent', { tags: [localTag('v1', `${registry.host}/team/pinned@${absent}`)] });
    const report = await run('pinned-absent', { now: at(0) });
    expect(report.results[0]).toMatchObject({ ok: false, reason: 'NotFound' });
    expect(await images('pinned-absent', 'v1')).toBeUndefined();
  });

  it('rejects a missing stream with a clear message', async () => {
    await expect(run('nope')).rejects.toThrowError(`imagestream "nope" not found in namespace "${cluster.namespace}"`);
  });

  it('concurrent importers and another status writer lose nothing and duplicate nothing', async () => {
    // GIVEN a stream with 4 tags and a build-output tag
    const names = ['a', 'b', 'c', 'd'];
    const pushed = await Promise.all(names.map((n) => pushImage(registry.host, `team/busy:${n}`)));
    await cluster.createStream('busy', { tags: [...names.map((n) => localTag(n, `${registry.host}/team/busy:${n}`)), { name: 'built' }] });
    // WHEN 4 importers run at once while a test writer records the build tag
    const reports = await Promise.all([
      ...names.map(() => run('busy', { now: at(0) })),
      writeBuiltTag('busy', `sha256:${'e'.repeat(64)}`),
    ]);
    // THEN each tag has exactly its one digest and the build's item survived
    expect(reports.slice(0, 4).every((r) => typeof r === 'object' && importExitCode(r) === 0)).toBe(true);
    for (const [i, n] of names.entries()) expect(await images('busy', n)).toEqual([pushed[i].digest]);
    expect(await images('busy', 'built')).toEqual([`sha256:${'e'.repeat(64)}`]);
  });

  /** What the controller does after a build: a status write with the read resourceVersion, retried on 409. */
  async function writeBuiltTag(stream: string, image: string): Promise<void> {
    for (;;) {
      const fresh = await cluster.streams.get(stream);
      const built = { tag: 'built', items: [{ dockerImageReference: `example.com/built@${image}`, image, created: iso(0) }] };
      const tags = [...(fresh.status?.tags ?? []).filter((t) => t.tag !== 'built'), built];
      try {
        await cluster.streams.updateStatus({ ...fresh, status: { ...fresh.status, tags } } as StreamObject);
        return;
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
      }
    }
  }
});

describe('importStream with pull secrets', () => {
  let cluster: TestCluster;
  let basic: RunningRegistry;
  let token: RunningRegistry;
  beforeAll(async () => {
    [cluster, basic, token] = await Promise.all([startCluster(), startRegistry({ auth: 'htpasswd' }), startRegistry({ auth: 'token' })]);
    await cluster.createPullSecret('basic-pull', basic.host, 'alice', 'wonderland');
    await cluster.createPullSecret('token-pull', token.host, 'alice', 'wonderland');
    await cluster.createPullSecret('wrong-pull', basic.host, 'alice', 'wrong');
  });
  afterAll(async () => {
    await cluster?.close();
    await basic?.close();
    await token?.close();
  });
  const run = (stream: string) =>
    importStream(cluster.kube, { namespace: cluster.namespace, stream, registry: { authCache: new AuthCache(), timeoutMs: 10_000 } });

  it('authenticates with htpasswd basic auth and Bearer tokens from kubernetes.io/dockerconfigjson secrets', async () => {
    const [b, t] = await Promise.all([
      pushImage(basic.host, 'private/app:v1', { credentials: ALICE }),
      pushImage(token.host, 'private/app:v1', { credentials: ALICE }),
    ]);
    await cluster.createStream('private', {
      pullSecrets: [{ name: 'basic-pull' }, { name: 'token-pull' }],
      tags: [localTag('basic', `${basic.host}/private/app:v1`), localTag('token', `${token.host}/private/app:v1`)],
    });
    const report = await run('private');
    expect(report.results.map((r) => (r.ok ? r.image : r.reason))).toEqual([b.digest, t.digest]);
    expect(report.warnings).toEqual([]);
  });

  it('records Unauthorized for rejected credentials without hammering the registry', async () => {
    await pushImage(basic.host, 'private/denied:v1', { credentials: ALICE });
    await cluster.createStream('denied', { pullSecrets: [{ name: 'wrong-pull' }], tags: [localTag('v1', `${basic.host}/private/denied:v1`)] });
    const from = (await basic.accessLog()).length;
    const report = await run('denied');
    expect(importExitCode(report)).toBe(1);
    const condition = (await cluster.streams.get('denied')).status!.tags![0].conditions![0];
    expect(condition).toMatchObject({ status: 'False', reason: 'Unauthorized', message: `${basic.host} rejected the credentials of user "alice" for private/denied` });
    const requests = (await basic.accessLog()).slice(from);
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(requests.length).toBeLessThanOrEqual(2);
  });

  it('goes on anonymously, with a warning, when a pull secret is missing', async () => {
    await cluster.createStream('nosecret', { pullSecrets: [{ name: 'absent' }], tags: [localTag('v1', `${basic.host}/private/app:v1`)] });
    const report = await run('nosecret');
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^pull secret "absent" is not used: /);
    expect(report.results[0]).toMatchObject({ ok: false, reason: 'Unauthorized', message: `${basic.host} requires credentials and none were given` });
  });
});
