import { GROUP_VERSION, IMAGESTREAM_KIND } from '../../api/group';
import { formatReference, parseReference, repositoryOf } from '../../api/image-reference';
import type { ImportMode, TagSpec } from '../../api/imagestream';
import { importStream, type ImportReport } from '../../runtime/importer/import-stream';
import type { KubeClient } from '../../runtime/kube/client';
import { NotFoundError } from '../../runtime/kube/errors';
import { imageStreams, type StreamObject } from '../../runtime/imagestreams/streams';
import { RegistryError } from '../../runtime/registry/errors';
import { loadPullSecrets } from '../../runtime/registry/pull-secrets';
import { listTags } from '../../runtime/registry/tags';
import { StreamTagError } from './errors';
import { withTag, writeSpecTags } from './write-spec';

/** `oc import-image --all` takes at most 50 tags of a repository unless told otherwise. */
export const DEFAULT_MAX_TAGS = 50;

export interface ImportFromOptions {
  readonly namespace: string;
  readonly stream: string;
  /** The image (one tag) or, with `all`, the repository to import from. */
  readonly from: string;
  /** With one image: the stream's tag it goes into. @default - the image's tag, else 'latest' */
  readonly tag?: string;
  /** Every tag of the repository (the registry's tags/list), up to `max`. */
  readonly all?: boolean;
  /** @default DEFAULT_MAX_TAGS */
  readonly max?: number;
  /** The tags it writes are re-imported on a schedule. @default false */
  readonly scheduled?: boolean;
  readonly insecure?: boolean;
  readonly importMode?: ImportMode;
  /** Create the stream when it isn't there (oc import-image --confirm). @default false */
  readonly confirm?: boolean;
  readonly concurrency?: number;
}

export interface ImportFromReport extends ImportReport {
  /** Whether the stream was created. */
  readonly created: boolean;
}

/**
 * `import-image STREAM[:TAG] --from IMAGE` and `--from REPOSITORY --all`: points the stream's tags at
 * the image(s) — one spec write, the tags named as in the registry — and imports them now.
 */
export async function importFrom(kube: KubeClient, options: ImportFromOptions): Promise<ImportFromReport> {
  const ref = parseFrom(options.from);
  const streams = imageStreams(kube, options.namespace);
  const existing = await readOrNothing(() => streams.get(options.stream));
  if (!existing && !options.confirm) {
    throw new StreamTagError(`imagestream "${options.stream}" not found in namespace "${options.namespace}": pass --confirm to create it`);
  }
  const names = options.all ? await repositoryTags(kube, existing, options) : [options.tag ?? ref.tag ?? 'latest'];
  if (names.length === 0) throw new StreamTagError(`${repositoryOf(ref)} has no tags`);
  const specs = names.map((name): TagSpec => ({
    name,
    from: { kind: 'DockerImage', name: options.all ? `${repositoryOf(ref)}:${name}` : formatReference(ref) },
    importPolicy: { scheduled: options.scheduled ?? false, ...(options.insecure ? { insecure: true } : {}), importMode: options.importMode ?? 'Legacy' },
    referencePolicy: { type: 'Source' },
  }));
  if (!existing) {
    await streams.create({ apiVersion: GROUP_VERSION, kind: IMAGESTREAM_KIND, metadata: { name: options.stream, namespace: options.namespace }, spec: { tags: specs } } as StreamObject);
  } else {
    await writeSpecTags(streams, options.stream, (fresh) => {
      const tags = specs.reduce((list, spec) => withTag(list, { ...fresh.spec.tags?.find((t) => t.name === spec.name), ...spec }), [...(fresh.spec.tags ?? [])]);
      return { tags: JSON.stringify(tags) === JSON.stringify(fresh.spec.tags ?? []) ? undefined : tags, result: undefined };
    });
  }
  const report = await importStream(kube, { namespace: options.namespace, stream: options.stream, tags: names, concurrency: options.concurrency });
  return { ...report, created: !existing };
}

/** The repository's tags, with the stream's pull secrets. */
async function repositoryTags(kube: KubeClient, stream: StreamObject | undefined, options: ImportFromOptions): Promise<string[]> {
  const secrets = (stream?.spec.pullSecrets ?? []).map((s) => s.name);
  const { dockerConfig } = await loadPullSecrets(kube, options.namespace, secrets);
  try {
    return await listTags(options.from, { insecure: options.insecure, max: options.max ?? DEFAULT_MAX_TAGS, ...(dockerConfig ? { dockerConfig } : {}) });
  } catch (error) {
    if (!RegistryError.isRegistryError(error)) throw error;
    throw new StreamTagError(`cannot list the tags of ${options.from}: ${error.reason}: ${error.message}`);
  }
}

function parseFrom(text: string) {
  try {
    return parseReference(text);
  } catch (error) {
    throw new StreamTagError(`--from: ${(error as Error).message}`);
  }
}

async function readOrNothing(read: () => Promise<StreamObject>): Promise<StreamObject | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
