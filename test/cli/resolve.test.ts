import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { pushImage, pushManifestList, type PushedImage, type PushedManifestList } from '../support/registry/images';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';

describe('imagestreams resolve', () => {
  let registry: RunningRegistry;
  let app: PushedImage;
  let list: PushedManifestList;
  beforeAll(async () => {
    registry = await startRegistry();
    app = await pushImage(registry.host, 'team/app:v1');
    list = await pushManifestList(registry.host, 'team/multi:v1', {
      platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }],
    });
  });
  afterAll(async () => registry?.close());
  const platformDigest = (arch: string) => list.manifests.find((m) => m.platform.architecture === arch)!.digest;

  it('prints only the digest', async () => {
    expect(await cli(process.cwd(), 'resolve', `${registry.host}/team/app:v1`, '--insecure')).toEqual({ code: 0, stdout: `${app.digest}\n`, stderr: '' });
  });

  it('picks linux/amd64 out of a manifest list, another platform with --platform, the list with --preserve-original', async () => {
    const image = `${registry.host}/team/multi:v1`;
    expect((await cli(process.cwd(), 'resolve', image, '--insecure')).stdout).toBe(`${platformDigest('amd64')}\n`);
    expect((await cli(process.cwd(), 'resolve', image, '--insecure', '--platform', 'linux/arm64')).stdout).toBe(`${platformDigest('arm64')}\n`);
    expect((await cli(process.cwd(), 'resolve', image, '--insecure', '--preserve-original')).stdout).toBe(`${list.digest}\n`);
  });

  it('exits 1 with the reason when the registry cannot resolve it', async () => {
    expect(await cli(process.cwd(), 'resolve', `${registry.host}/team/app:nope`, '--insecure')).toEqual({
      code: 1, stdout: '', stderr: `error: NotFound: ${registry.host}/team/app:nope not found: manifest unknown\n`,
    });
    expect(await cli(process.cwd(), 'resolve', 'Bad/Name')).toEqual({
      code: 1, stdout: '', stderr: 'error: InvalidReference: invalid image reference "Bad/Name": repository name must be lowercase\n',
    });
  });

  it('is a usage error without IMAGE or with a bad --platform', async () => {
    expect(await cli(process.cwd(), 'resolve')).toEqual({ code: 2, stdout: '', stderr: "error: the IMAGE argument is missing\nsee 'imagestreams resolve --help'\n" });
    expect((await cli(process.cwd(), 'resolve', 'x', '--platform', 'arm64')).stderr).toBe(
      "error: --platform: platform 'arm64' must look like os/arch or os/arch/variant, e.g. linux/arm64\nsee 'imagestreams resolve --help'\n",
    );
  });
});
