import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTags, nextPage } from '../../../lib/runtime/registry/tags';
import { startFaultProxy, type FaultProxy } from '../../support/registry/fault-proxy';
import { pushImage, retag } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';

// The real registry's tags; Debian's distribution 2.8 answers tags/list in one page, so the proxy
// pages them as distribution 3 does (n, last, Link) for the pagination tests.
describe('listTags against the real registry', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  const tags = ['a1', 'a2', 'b1', 'b2', 'c1', 'c2', 'latest'];
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.host, () => ({ kind: 'paginate' }));
    const { digest } = await pushImage(registry.host, 'team/many:a1');
    for (const tag of tags.slice(1)) await retag(registry.host, `team/many:${tag}`, digest);
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.close();
  });
  const listRequests = (since: number) => proxy.requests.slice(since).map((r) => r.path);

  it('takes all tags of a registry that sends one page', async () => {
    expect((await listTags(`${registry.host}/team/many`, { insecure: true })).sort()).toEqual(tags);
  });

  it('follows the Link header page by page until the last', async () => {
    const since = proxy.requests.length;
    expect(await listTags(`${proxy.host}/team/many`, { insecure: true, pageSize: 3 })).toEqual(tags);
    expect(listRequests(since)).toEqual([
      '/v2/team/many/tags/list?n=3',
      '/v2/team/many/tags/list?last=b1&n=3',
      '/v2/team/many/tags/list?last=c2&n=3',
    ]);
  });

  it('stops at max, asking for no more pages than it needs', async () => {
    const since = proxy.requests.length;
    expect(await listTags(`${proxy.host}/team/many:ignored`, { insecure: true, pageSize: 2, max: 3 })).toEqual(['a1', 'a2', 'b1']);
    expect(listRequests(since)).toHaveLength(2);
  });

  it('says NotFound for a repository the registry does not have', async () => {
    await expect(listTags(`${registry.host}/team/none`, { insecure: true })).rejects.toMatchObject({ reason: 'NotFound', message: `repository ${registry.host}/team/none not found` });
  });
});

describe('nextPage', () => {
  const ref = { registry: 'quay.io', repository: 'team/app' };
  it('reads relative and absolute next links, and ends without one', () => {
    expect(nextPage('</v2/team/app/tags/list?last=x&n=2>; rel="next"', ref)).toBe('tags/list?last=x&n=2');
    expect(nextPage('<https://quay.io/v2/team/app/tags/list?last=y>; rel=next', ref)).toBe('tags/list?last=y');
    expect(nextPage(undefined, ref)).toBeUndefined();
    expect(nextPage('</v2/team/app/tags/list?last=x>; rel="prev"', ref)).toBeUndefined();
  });

  it('refuses a next page outside the repository', () => {
    expect(() => nextPage('<https://evil.example/v2/team/app/tags/list>; rel="next"', ref)).toThrowError('the registry\'s next page https://evil.example/v2/team/app/tags/list is not under /v2/team/app/');
    expect(() => nextPage('</v2/other/app/tags/list>; rel="next"', ref)).toThrowError(/is not under/);
  });
});
