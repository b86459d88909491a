import { RepositoryClient } from './client';
import { RegistryError } from './errors';
import { header } from './http';
import { clientSettings, type ResolveOptions } from './options';
import { parseReference, registryApiHost, type ImageReference } from '../../api/image-reference';

export interface ListTagsOptions extends ResolveOptions {
  /** Stop after this many tags. @default - all of them */
  readonly max?: number;
  /** Tags asked for per request (`?n=`); the registry may send fewer. @default 100 */
  readonly pageSize?: number;
}

/**
 * The tags of a repository, in the registry's order (lexical in distribution), with the distribution
 * API's tags/list: page by page (`?n=`), following each `Link: <…>; rel="next"` the registry sends,
 * until `max` tags or the last page. The reference's tag or digest, if any, is ignored.
 */
export async function listTags(repository: string | ImageReference, options: ListTagsOptions = {}): Promise<string[]> {
  const ref = typeof repository === 'string' ? parseRepository(repository) : repository;
  const client = new RepositoryClient(ref, clientSettings(ref, options));
  const max = options.max ?? Infinity;
  const tags: string[] = [];
  let path: string | undefined = `tags/list?n=${Math.min(options.pageSize ?? 100, max)}`;
  while (path !== undefined && tags.length < max) {
    const response = await client.request('GET', path, { accept: 'application/json' });
    if (response.status === 404) throw new RegistryError('NotFound', `repository ${ref.registry}/${ref.repository} not found`, 404);
    if (response.status === 403) throw new RegistryError('Forbidden', `listing the tags of ${ref.registry}/${ref.repository} is forbidden (403)`, 403);
    if (response.status < 200 || response.status >= 300) throw new RegistryError('InvalidResponse', `the registry answered ${response.status} to tags/list of ${ref.registry}/${ref.repository}`, response.status);
    tags.push(...pageTags(response.body, ref));
    path = nextPage(header(response, 'link'), ref);
  }
  return tags.slice(0, max);
}

function pageTags(body: Buffer, ref: ImageReference): string[] {
  let parsed: { tags?: unknown };
  try {
    parsed = JSON.parse(body.toString('utf8')) as { tags?: unknown };
  } catch {
    throw new RegistryError('InvalidResponse', `tags/list of ${ref.registry}/${ref.repository} is not JSON`);
  }
  if (parsed.tags === null || parsed.tags === undefined) return [];
  if (!Array.isArray(parsed.tags) || !parsed.tags.every((t) => typeof t === 'string')) {
    throw new RegistryError('InvalidResponse', `tags/list of ${ref.registry}/${ref.repository} has no list of tags`);
  }
  return parsed.tags as string[];
}

/**
 * The next page from a Link header (RFC 8288): `</v2/team/app/tags/list?last=v3&n=3>; rel="next"`,
 * relative or absolute, as a path under `/v2/<repository>/`; undefined on the last page. A link
 * elsewhere (another repository or host) is refused rather than followed.
 */
export function nextPage(link: string | undefined, ref: ImageReference): string | undefined {
  if (!link) return undefined;
  const next = link.split(',').map((part) => /^\s*<([^>]*)>\s*;(.*)$/.exec(part)).find((m) => m && /\brel="?next"?/.test(m[2]));
  if (!next) return undefined;
  const url = new URL(next[1], `http://${registryApiHost(ref.registry)}`);
  const prefix = `/v2/${ref.repository}/`;
  if (url.host !== registryApiHost(ref.registry) || !url.pathname.startsWith(prefix)) {
    throw new RegistryError('InvalidResponse', `the registry's next page ${next[1]} is not under ${prefix}`);
  }
  return `${url.pathname.slice(prefix.length)}${url.search}`;
}

function parseRepository(text: string): ImageReference {
  try {
    return parseReference(text);
  } catch (error) {
    throw new RegistryError('InvalidReference', (error as Error).message);
  }
}
