import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedTagEventList, TagSpec } from '../../../lib/api/imagestream';
import { importStream } from '../../../lib/runtime/importer/import-stream';
import { AuthCache } from '../../../lib/runtime/registry/token';
import { startFaultProxy, type FaultProxy } from '../../support/registry/fault-proxy';
import { pushImage, retag } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { startCluster, type TestCluster } from './cluster';

const ALICE = { username: 'alice', password: 'wonderland' };

// Tag policies against the real registry with token auth (Bearer tokens from a token server), its
// tags/list paged two at a time by the proxy (n, last, Link), on the real API server.
describe('tag policies', () => {
  let cluster: TestCluster;
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  const digests: Record<string, string> = {};
  beforeAll(async () => {
    [cluster, registry] = await Promise.all([startCluster('policies'), startRegistry({ auth: 'token' })]);
    proxy = await startFaultProxy(registry.host, () => ({ kind: 'paginate', pageSize: 2 }));
    await cluster.createPullSecret('pull', proxy.host, ALICE.username, ALICE.password);
    for (const tag of ['1.26.0', 'v1.27.10', '1.28.0-rc.1']) digests[tag] = (await pushImage(registry.host, `team/web:${tag}`, { credentials: ALICE })).digest;
    for (const tag of ['1.27.0', '1.27.3', 'latest', 'main-aaaa-100', 'main-bbbb-20']) await retag(registry.host, `team/web:${tag}`, digests['1.26.0'], ALICE);
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
    await proxy?.close();
    await registry?.close();
  });

  const policyTag = (name: string, tagPolicy: TagSpec['tagPolicy']): TagSpec => ({ name, from: { kind: 'DockerImage', name: `${proxy.host}/team/web` }, importPolicy: { insecure: true }, tagPolicy });
  const run = (stream: string) => importStream(cluster.kube, { namespace: cluster.namespace, stream, registry: { authCache: new AuthCache(), timeoutMs: 10_000 } });
  const statusOf = async (stream: string, tag: string): Promise<NamedTagEventList | undefined> => (await cluster.streams.get(stream)).status?.tags?.find((t) => t.tag === tag);

  it('imports the tag each policy chooses from every page of the list, verified, with the choice and its reason in status', async () => {
    // GIVEN a stream whose tags follow team/web by semver (with and without pre-releases) and by a number extracted from the tag
    await cluster.createStream('web', { pullSecrets: [{ name: 'pull' }], tags: [
      policyTag('stable', { semver: { range: '>=1.27.0 <1.28.0' } }),
      policyTag('next', { semver: { range: '>=1.27.0', prereleases: true } }),
      policyTag('main', { filterTags: { pattern: '^main-[a-z]+-(?P<n>[0-9]+)$', extract: '$n' }, numerical: {} }),
      policyTag('none', { semver: { range: '>=9' } }),
    ] });
    const before = proxy.requests.length;
    // WHEN it is imported
    const report = await run('web');
    // THEN each tag has the image of the tag its policy chose, and says which and why
    expect([...report.moved].sort()).toEqual(['main', 'next', 'stable']);
    const stable = (await statusOf('web', 'stable'))!;
    expect(stable.items!.map((i) => i.dockerImageReference)).toEqual([`${proxy.host}/team/web@${digests['v1.27.10']}`]);
    expect(stable.policy).toEqual({ tag: 'v1.27.10', candidates: 3, reason: "highest version in range '>=1.27.0 <1.28.0': v1.27.10, of 3 tags" });
    expect((await statusOf('web', 'next'))!.policy?.tag).toBe('1.28.0-rc.1');
    expect((await statusOf('web', 'next'))!.items![0].image).toBe(digests['1.28.0-rc.1']);
    expect((await statusOf('web', 'main'))!.policy).toEqual({ tag: 'main-aaaa-100', candidates: 2, reason: 'highest number: 100 (tag main-aaaa-100), of 2 numeric tags of those matching /^main-[a-z]+-(?P<n>[0-9]+)$/' });
    // AND a policy that chooses nothing is a failed import that says so
    expect((await statusOf('web', 'none'))!.conditions).toEqual([expect.objectContaining({ status: 'False', reason: 'NoTagMatchesPolicy', message: `none of the 8 tags of ${proxy.host}/team/web counts for the tag policy` })]);
    // AND every list was read page by page (8 tags, 2 a page: the Link of each page followed), and each new digest verified by one GET
    const lists = proxy.requests.slice(before).filter((r) => r.path.includes('/tags/list'));
    expect(new Set(lists.filter((r) => r.path.includes('last=')).map((r) => r.path))).toEqual(new Set([
      '/v2/team/web/tags/list?last=1.27.0&n=2', '/v2/team/web/tags/list?last=1.28.0-rc.1&n=2', '/v2/team/web/tags/list?last=main-aaaa-100&n=2',
    ]));
    expect(lists.filter((r) => r.path.includes('last=')).length).toBe(4 * 3);
    expect(proxy.requests.slice(before).filter((r) => r.method === 'GET' && r.path === `/v2/team/web/manifests/${digests['v1.27.10']}`)).toHaveLength(1);
  });

  it('moves the tag when a newer tag in range appears, and not for one outside it', async () => {
    // GIVEN the stream imported
    // WHEN 1.27.11 and 2.0.0 are pushed, and it is imported again
    const newer = (await pushImage(registry.host, 'team/web:1.27.11', { credentials: ALICE })).digest;
    await retag(registry.host, 'team/web:2.0.0', newer, ALICE);
    const report = await run('web');
    // THEN stable moves to 1.27.11 (2.0.0 is out of its range), next to 2.0.0 (above 1.28.0-rc.1), and main stays
    expect([...report.moved].sort()).toEqual(['next', 'stable']);
    expect((await statusOf('web', 'stable'))!.items!.map((i) => i.image)).toEqual([newer, digests['v1.27.10']]);
    expect((await statusOf('web', 'stable'))!.policy?.tag).toBe('1.27.11');
    expect((await statusOf('web', 'next'))!.policy?.tag).toBe('2.0.0');
    expect((await statusOf('web', 'main'))!.policy?.tag).toBe('main-aaaa-100');
  });
});

describe('a tag filter in the runtime', () => {
  it('cannot hold the process: a pattern that backtracks exponentially finishes at once on a hostile tag', async () => {
    // GIVEN the runtime's policy module loaded (it switches such patterns to V8's linear engine)
    await import('../../../lib/runtime/importer/policy-tags');
    const { chooseTag } = await import('../../../lib/api/tag-policy');
    // WHEN a tenant's pattern meets the tag that makes a backtracking engine take 2^60 steps
    const started = performance.now();
    const choice = chooseTag({ filterTags: { pattern: '^(a+)+$' }, alphabetical: {} }, [`${'a'.repeat(60)}!`, 'aaa']);
    // THEN it is answered in well under a second
    expect(choice?.tag).toBe('aaa');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
