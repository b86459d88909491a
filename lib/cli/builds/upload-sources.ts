import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseReference } from '../../api/image-reference';
import { parseDockerConfig, type DockerConfig } from '../../runtime/registry/auth';
import { failure } from '../../runtime/registry/copy/failure';
import { RegistrySession } from '../../runtime/registry/copy/session';
import { discard, headerOf } from '../../runtime/registry/copy/stream-http';
import { clientSettings } from '../../runtime/registry/options';
import { directoryEntries, tar } from './tar';

/** Where start-build puts uploaded sources: next to the output's repository, as the layer cache is. */
export function buildContextRepository(outputImage: string): string {
  return `${outputImage.replace(/@.*$/, '').replace(/:[^:/]+$/, '')}/build-context`;
}

/** The sources of a Binary build as a layer: a tar of a directory, of one file, or an archive as given. */
export interface SourcesLayer {
  /** gzip-compressed tar. */
  readonly blob: Buffer;
  /** sha256 of the uncompressed tar (the config's diff_id). */
  readonly diffId: string;
}

export type SourcesFrom = { readonly dir: string } | { readonly file: string; readonly asFile?: string } | { readonly archive: string };

export class SourcesError extends Error {}

export function sourcesLayer(from: SourcesFrom): SourcesLayer {
  let plain: Buffer;
  if ('dir' in from) {
    if (!existsSync(from.dir) || !statSync(from.dir).isDirectory()) throw new SourcesError(`--from-dir ${from.dir} is not a directory`);
    plain = tar(directoryEntries(from.dir));
  } else if ('file' in from) {
    if (!existsSync(from.file) || !statSync(from.file).isFile()) throw new SourcesError(`--from-file ${from.file} is not a file`);
    const stat = statSync(from.file);
    plain = tar([{ name: from.asFile ?? path.basename(from.file), type: 'file', content: readFileSync(from.file), executable: (stat.mode & 0o111) !== 0 }]);
  } else {
    if (!existsSync(from.archive) || !statSync(from.archive).isFile()) throw new SourcesError(`--from-archive ${from.archive} is not a file`);
    const data = readFileSync(from.archive);
    plain = data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data;
    if (plain.subarray(257, 262).toString('latin1') !== 'ustar') {
      throw new SourcesError(`--from-archive ${from.archive} is not a tar archive (plain or gzip-compressed): make one with tar -czf sources.tar.gz -C DIR .`);
    }
  }
  return { blob: gzipSync(plain), diffId: sha256(plain) };
}

/** The user's registry credentials, as podman and buildah read them: $REGISTRY_AUTH_FILE, else ~/.docker/config.json. */
export function userDockerConfig(env: NodeJS.ProcessEnv = process.env): DockerConfig | undefined {
  const file = env.REGISTRY_AUTH_FILE ?? path.join(env.HOME ?? os.homedir(), '.docker', 'config.json');
  return existsSync(file) ? parseDockerConfig(readFileSync(file, 'utf8'), file) : undefined;
}

/**
 * Pushes the sources as an image of one layer (OCI manifest, tagged by its digest so that no
 * registry garbage collection takes it while a build waits) and returns `repository@digest`.
 */
export async function uploadSources(repository: string, layer: SourcesLayer, options: { insecure: boolean; dockerConfig?: DockerConfig }): Promise<string> {
  const ref = parseReference(`${repository}:x`);
  const settings = clientSettings(ref, { insecure: options.insecure, dockerConfig: options.dockerConfig });
  const session = new RegistrySession({ registry: ref.registry, repository: ref.repository, actions: 'pull,push', settings });
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [layer.diffId] } }));
  await putBlob(session, config);
  await putBlob(session, layer.blob);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer.blob), size: layer.blob.length }],
    annotations: { 'org.opencontainers.image.description': 'Build sources uploaded by imagestreams start-build' },
  }));
  const digest = sha256(manifest);
  const res = await session.send('PUT', `manifests/${digest.replace(':', '-')}`, { body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
  if (res.statusCode !== 201) throw await failure(res, `PUT ${repository} manifest`);
  await discard(res);
  return `${repository}@${digest}`;
}

async function putBlob(session: RegistrySession, blob: Buffer): Promise<void> {
  const digest = sha256(blob);
  const head = await session.send('HEAD', `blobs/${digest}`);
  await discard(head);
  if (head.statusCode === 200) return;
  const started = await session.send('POST', 'blobs/uploads/', { body: Buffer.alloc(0) });
  if (started.statusCode !== 202) throw await failure(started, `POST ${session.repository} blob upload`);
  const location = headerOf(started, 'location');
  await discard(started);
  if (!location) throw new SourcesError(`the registry started an upload to ${session.repository} without a Location`);
  const url = new URL(location, session.url('/'));
  url.searchParams.set('digest', digest);
  const done = await session.send('PUT', url.href, { body: blob, headers: { 'content-type': 'application/octet-stream' } });
  if (done.statusCode !== 201) throw await failure(done, `PUT ${session.repository} blob ${digest}`);
  await discard(done);
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
