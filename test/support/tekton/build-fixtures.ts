import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../registry/exec';

/**
 * Images and repositories for build tests: a busybox base pushed to a test registry (so RUN
 * works under `--isolation chroot`), an S2I builder on top of it, and real git repositories.
 */

type Buildah = (args: readonly string[]) => Promise<string>;

async function withBuildah<T>(work: (buildah: Buildah, dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fixture-buildah-'));
  const storage = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'runroot'), '--storage-driver', 'vfs'];
  try {
    return await work((args) => run('buildah', [...storage, ...args]), dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

interface Creds { readonly username: string; readonly password: string }

async function buildAndPush(contextFiles: Readonly<Record<string, string>>, target: string, creds?: Creds): Promise<string> {
  return withBuildah(async (buildah, dir) => {
    const context = path.join(dir, 'context');
    await writeFiles(context, contextFiles);
    await fs.copyFile('/bin/busybox', path.join(context, 'busybox'));
    await fs.chmod(path.join(context, 'busybox'), 0o755);
    await buildah(['bud', '--isolation', 'chroot', '--tls-verify=false', '-t', 'fixture', context]);
    const digestFile = path.join(dir, 'digest');
    const login = creds ? ['--creds', `${creds.username}:${creds.password}`] : [];
    await buildah(['push', '--tls-verify=false', ...login, '--digestfile', digestFile, 'fixture', `docker://${target}`]);
    return (await fs.readFile(digestFile, 'utf8')).trim();
  });
}

/** Pushes a FROM scratch image of Debian's static busybox; `marker` lands in /etc/base-marker. */
export function pushBusyboxBase(registryHost: string, repoTag: string, marker: string, creds?: Creds): Promise<string> {
  const dockerfile = [
    'FROM scratch',
    'COPY busybox /bin/busybox',
    'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
    `RUN mkdir -p /etc /tmp && chmod 1777 /tmp && echo '${marker}' > /etc/base-marker`,
    "RUN echo 'root:x:0:0::/root:/bin/sh' > /etc/passwd && echo 'default:x:1001:0::/tmp:/bin/sh' >> /etc/passwd",
    'ENV PATH=/bin',
  ].join('\n');
  return buildAndPush({ Dockerfile: dockerfile }, `${registryHost}/${repoTag}`, creds);
}

/**
 * Pushes an S2I builder FROM `base`: assemble copies /tmp/src/*.txt to /app, run cats them; with
 * `scriptsUrl`, the builder says where its scripts are (label io.openshift.s2i.scripts-url). Its
 * "dependencies" (/app/deps, random bytes) are made by assemble, or restored from /tmp/artifacts
 * (then /app/restored says so); save-artifacts streams them as a tar.
 */
export function pushS2IBuilder(registryHost: string, repoTag: string, base: string, scriptsDir = '/usr/libexec/s2i', scriptsUrl?: string): Promise<string> {
  const dockerfile = [
    `FROM ${base}`,
    ...(scriptsUrl ? [`LABEL io.openshift.s2i.scripts-url="${scriptsUrl}"`] : []),
    `COPY assemble run save-artifacts ${scriptsDir}/`,
    `RUN chmod 755 ${scriptsDir}/assemble ${scriptsDir}/run ${scriptsDir}/save-artifacts && mkdir -p /app && chown 1001:0 /app`,
    'USER 1001',
  ].join('\n');
  const assemble = [
    '#!/bin/sh', 'set -e', 'echo "assembling as $(id -u)"', 'cp /tmp/src/*.txt /app/', 'id -u > /app/assembled-by',
    'if [ -f /tmp/artifacts/deps ]; then cp /tmp/artifacts/deps /app/deps && echo yes > /app/restored; else head -c 16 /dev/urandom | od -An -tx1 > /app/deps; fi', '',
  ].join('\n');
  const runScript = '#!/bin/sh\ncat /app/*.txt\n';
  const saveArtifacts = '#!/bin/sh\ncd /app && tar -c -f - deps\n';
  // busybox is copied in by buildAndPush, unused here.
  return buildAndPush({ Dockerfile: dockerfile, assemble, run: runScript, 'save-artifacts': saveArtifacts }, `${registryHost}/${repoTag}`);
}

export async function writeFiles(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
}

/**
 * Pushes an S2I builder FROM `base` whose assemble is deterministic (copies the sources to /app, no
 * random "dependencies"): two builds of one commit give one image.
 */
export function pushReproducibleS2IBuilder(registryHost: string, repoTag: string, base: string): Promise<string> {
  const dockerfile = [
    `FROM ${base}`,
    'COPY assemble run /usr/libexec/s2i/',
    'RUN chmod 755 /usr/libexec/s2i/assemble /usr/libexec/s2i/run && mkdir -p /app && chown 1001:0 /app',
    'USER 1001',
  ].join('\n');
  const assemble = '#!/bin/sh\nset -e\ncp /tmp/src/*.txt /app/\necho "$GREETING" > /app/greeting\n';
  return buildAndPush({ Dockerfile: dockerfile, assemble, run: '#!/bin/sh\ncat /app/*.txt\n' }, `${registryHost}/${repoTag}`);
}

export interface GitRepo {
  readonly url: string;
  readonly dir: string;
  /** Commits in order, by message. */
  readonly commits: Record<string, string>;
}

const GIT_IDENTITY = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com'];

/** A real repository whose default branch is `branch` (not 'master' unless asked). */
export async function makeGitRepo(dir: string, files: Readonly<Record<string, string>>, branch = 'main'): Promise<GitRepo> {
  await run('git', ['init', '--quiet', `--initial-branch=${branch}`, dir]);
  await writeFiles(dir, files);
  await run('git', ['-C', dir, 'add', '.']);
  await run('git', ['-C', dir, ...GIT_IDENTITY, 'commit', '--quiet', '-m', 'first']);
  const sha = (await run('git', ['-C', dir, 'rev-parse', 'HEAD'])).trim();
  return { url: `file://${dir}`, dir, commits: { first: sha } };
}

export async function commitFiles(repo: GitRepo, message: string, files: Readonly<Record<string, string>>): Promise<string> {
  await writeFiles(repo.dir, files);
  await run('git', ['-C', repo.dir, 'add', '.']);
  await run('git', ['-C', repo.dir, ...GIT_IDENTITY, 'commit', '--quiet', '-m', message]);
  const sha = (await run('git', ['-C', repo.dir, 'rev-parse', 'HEAD'])).trim();
  repo.commits[message] = sha;
  return sha;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** The digest the registry serves for a tag: HEAD and its Docker-Content-Digest header. */
export function servedDigest(registryUrl: string, repo: string, tag: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${registryUrl}/v2/${repo}/manifests/${tag}`, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } }, (res) => {
      res.resume();
      const digest = res.headers['docker-content-digest'];
      if (res.statusCode === 200 && typeof digest === 'string') resolve(digest);
      else reject(new Error(`HEAD ${repo}:${tag} answered ${res.statusCode}`));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface ImageConfig {
  readonly config: { readonly Labels?: Record<string, string>; readonly Cmd?: string[]; readonly Env?: string[] };
  readonly rootfs: { readonly diff_ids: string[] };
}

/** The pushed image's OCI config, read with skopeo from the registry. */
export async function imageConfig(registryHost: string, repoTag: string): Promise<ImageConfig> {
  return JSON.parse(await run('skopeo', ['inspect', '--tls-verify=false', '--config', `docker://${registryHost}/${repoTag}`]));
}

/** Layer digests of the pushed manifest, base layers first. */
export async function imageLayers(registryHost: string, repoTag: string): Promise<string[]> {
  const manifest = JSON.parse(await run('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${registryHost}/${repoTag}`]));
  return manifest.layers.map((layer: { digest: string }) => layer.digest);
}

/** Reads one file out of a pushed image. */
export async function readFileFromImage(registryHost: string, repoTag: string, file: string, creds?: Creds): Promise<string> {
  return withBuildah(async (buildah) => {
    const login = creds ? ['--creds', `${creds.username}:${creds.password}`] : [];
    const container = (await buildah(['from', '--tls-verify=false', '--quiet', ...login, `docker://${registryHost}/${repoTag}`])).trim();
    const mountpoint = (await buildah(['mount', container])).trim();
    return fs.readFile(path.join(mountpoint, file), 'utf8');
  });
}

/** The descriptors the referrers tag (`sha256-<hex>`) of an image lists, as any OCI client reads them. */
export async function referrersOf(registryUrl: string, repo: string, digest: string): Promise<{ digest: string; artifactType?: string }[]> {
  const res = await fetch(`${registryUrl}/v2/${repo}/manifests/${digest.replace(':', '-')}`, { headers: { Accept: 'application/vnd.oci.image.index.v1+json' } });
  if (res.status !== 200) throw new Error(`GET the referrers tag of ${repo}@${digest} answered ${res.status}`);
  return ((await res.json()) as { manifests: { digest: string; artifactType?: string }[] }).manifests;
}

/** An in-toto statement pushed as a referrer: its manifest (checked to name `subject`) and its one layer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a statement's shape is what the test asserts
export async function statementOf(registryUrl: string, repo: string, manifestDigest: string, subject: string): Promise<any> {
  const res = await fetch(`${registryUrl}/v2/${repo}/manifests/${manifestDigest}`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const manifest = (await res.json()) as { subject?: { digest: string }; layers: { mediaType: string; digest: string }[] };
  if (manifest.subject?.digest !== subject) throw new Error(`referrer ${manifestDigest} has subject ${manifest.subject?.digest}, not ${subject}`);
  if (manifest.layers[0].mediaType !== 'application/vnd.in-toto+json') throw new Error(`referrer ${manifestDigest} holds ${manifest.layers[0].mediaType}`);
  return (await fetch(`${registryUrl}/v2/${repo}/blobs/${manifest.layers[0].digest}`)).json();
}
