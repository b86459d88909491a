import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from './exec';

/** Credentials for pushing to a registry with auth. */
export interface PushCredentials {
  readonly username: string;
  readonly password: string;
}

export interface ImagePlatform {
  readonly os: string;
  readonly architecture: string;
}

export interface PushImageOptions {
  readonly credentials?: PushCredentials;
  /** @default - linux/amd64 */
  readonly platform?: ImagePlatform;
  /** The content of the image's one file. @default - a random UUID, so every image is new */
  readonly content?: string;
}

export interface PushedImage {
  /** The manifest digest the registry stored. */
  readonly digest: string;
}

export interface PushedManifestList extends PushedImage {
  /** The list's entries as the registry serves them. */
  readonly manifests: ReadonlyArray<{ readonly digest: string; readonly platform: ImagePlatform }>;
}

/**
 * Builds a tiny FROM scratch image with buildah (vfs storage, chroot isolation, no network) and pushes
 * it as `registryHost/repoTag`. Pushing to an existing tag moves it.
 */
export async function pushImage(registryHost: string, repoTag: string, options: PushImageOptions = {}): Promise<PushedImage> {
  return withBuildah(async (buildah, dir) => {
    await buildScratchImage(buildah, dir, 'image', options);
    const digestFile = path.join(dir, 'digest');
    await buildah(['push', ...pushFlags(options.credentials), '--digestfile', digestFile, 'image', `docker://${registryHost}/${repoTag}`]);
    return { digest: (await fs.readFile(digestFile, 'utf8')).trim() };
  });
}

/** Builds one image per platform, pushes them and a manifest list naming them. */
export async function pushManifestList(
  registryHost: string,
  repoTag: string,
  options: { readonly platforms: readonly ImagePlatform[]; readonly credentials?: PushCredentials },
): Promise<PushedManifestList> {
  return withBuildah(async (buildah, dir) => {
    await buildah(['manifest', 'create', 'list']);
    for (const [i, platform] of options.platforms.entries()) {
      await buildScratchImage(buildah, dir, `image-${i}`, { platform });
      await buildah(['manifest', 'add', '--os', platform.os, '--arch', platform.architecture, 'list', `containers-storage:localhost/image-${i}`]);
    }
    const digestFile = path.join(dir, 'digest');
    const target = `docker://${registryHost}/${repoTag}`;
    await buildah(['manifest', 'push', '--all', ...pushFlags(options.credentials), '--digestfile', digestFile, 'list', target]);
    const served = JSON.parse(await run('skopeo', ['inspect', '--raw', ...pushFlags(options.credentials), target]));
    return { digest: (await fs.readFile(digestFile, 'utf8')).trim(), manifests: served.manifests };
  });
}

/** Points `repoTag` at the manifest `digest` of the same repository (a tag moved back, as its owner would with skopeo or crane). */
export async function retag(registryHost: string, repoTag: string, digest: string, credentials?: PushCredentials): Promise<void> {
  const repository = repoTag.slice(0, repoTag.lastIndexOf(':'));
  const creds = credentials ? [`${credentials.username}:${credentials.password}`] : [];
  const flags = ['--src-tls-verify=false', '--dest-tls-verify=false', ...creds.flatMap((c) => ['--src-creds', c, '--dest-creds', c])];
  await run('skopeo', ['copy', '--all', '--preserve-digests', ...flags, `docker://${registryHost}/${repository}@${digest}`, `docker://${registryHost}/${repoTag}`]);
}

/** Deletes the manifest a tag points at (the registry must allow deletes), so the tag is gone. */
export async function deleteTag(registryHost: string, repoTag: string, credentials?: PushCredentials): Promise<void> {
  await run('skopeo', ['delete', ...pushFlags(credentials), `docker://${registryHost}/${repoTag}`]);
}

type Buildah = (args: readonly string[]) => Promise<string>;

/** A buildah with its own storage under a temp dir, removed afterwards, so tests don't collide. */
async function withBuildah<T>(work: (buildah: Buildah, dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'buildah-'));
  const storage = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'runroot'), '--storage-driver', 'vfs'];
  const buildah: Buildah = (args) => run('buildah', [...storage, ...args]);
  try {
    return await work(buildah, dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function buildScratchImage(buildah: Buildah, dir: string, name: string, options: PushImageOptions): Promise<void> {
  const file = path.join(dir, `${name}.txt`);
  await fs.writeFile(file, options.content ?? randomUUID());
  const container = (await buildah(['from', '--isolation', 'chroot', 'scratch'])).trim();
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  await buildah(['copy', container, file, '/content.txt']);
  await buildah(['config', '--os', platform.os, '--arch', platform.architecture, container]);
  await buildah(['commit', '--quiet', '--rm', container, name]);
}

function pushFlags(credentials?: PushCredentials): string[] {
  const creds = credentials ? ['--creds', `${credentials.username}:${credentials.password}`] : [];
  return ['--tls-verify=false', ...creds];
}
