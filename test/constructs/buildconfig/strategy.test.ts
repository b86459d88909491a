import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream } from '../../../constructs/imagestream';
import { BuildStrategy } from '../../../constructs/buildconfig/strategy';

const streamTag = () => new ImageStream(new Chart(Testing.app(), 'c', { namespace: 'ns' }), 'jdk8').tag('latest');

describe('BuildStrategy.dockerfile', () => {
  it('takes a stream tag or a pinned image as base, and records its settings', () => {
    const tag = streamTag();
    expect(BuildStrategy.dockerfile({ from: tag }).base).toBe(tag);
    const s = BuildStrategy.dockerfile({ from: 'busybox:1.36', buildArgs: { VERSION: '1' }, env: { A: 'b' }, noCache: true, pullSecret: 'pull', dockerfilePath: 'docker/Dockerfile' });
    expect(s.type).toBe('Docker');
    expect(s.base).toBe('docker.io/library/busybox:1.36');
    expect(s.settings).toEqual({ base: 'docker.io/library/busybox:1.36', env: { A: 'b' }, buildArgs: { VERSION: '1' }, noCache: true, pullSecret: 'pull', dockerfilePath: 'docker/Dockerfile', shortNames: { from: 'busybox:1.36' } });
    expect(BuildStrategy.dockerfile().base).toBeUndefined();
  });

  it('refuses a base without a tag or digest, and a malformed one', () => {
    expect(() => BuildStrategy.dockerfile({ from: 'busybox' })).toThrowError(
      "BuildStrategy.dockerfile(): 'from' (busybox) has no tag or digest: pin a version, e.g. busybox:1.2.3, or a digest",
    );
    expect(() => BuildStrategy.dockerfile({ from: 'Busy Box:1' })).toThrowError(
      "BuildStrategy.dockerfile(): 'from' (Busy Box:1) is not a valid image reference: repository name must be lowercase",
    );
  });

  it('refuses build arg and env names a shell could not hold', () => {
    expect(() => BuildStrategy.dockerfile({ buildArgs: { '1X': 'a' } })).toThrowError(
      "BuildStrategy.dockerfile(): 'buildArgs' has an invalid name (1X): use letters, digits and '_', not starting with a digit",
    );
    expect(() => BuildStrategy.dockerfile({ env: { 'A-B': 'a' } })).toThrowError(
      "BuildStrategy.dockerfile(): 'env' has an invalid name (A-B): use letters, digits and '_', not starting with a digit",
    );
  });

  it('takes images for named stages, by lowercase name, and refuses names a Dockerfile could not have', () => {
    const tag = streamTag();
    expect(BuildStrategy.dockerfile({ stages: { Tools: 'alpine:3.20', build: tag } }).stages).toEqual({ build: tag, tools: 'docker.io/library/alpine:3.20' });
    expect(BuildStrategy.dockerfile().stages).toEqual({});
    expect(() => BuildStrategy.dockerfile({ stages: { '1st': 'alpine:3.20' } })).toThrowError(
      "BuildStrategy.dockerfile(): 'stages' has an invalid stage name (1st): use the name after AS in the Dockerfile's FROM line, e.g. 'build'",
    );
    expect(() => BuildStrategy.dockerfile({ stages: { build: 'alpine:3.20', BUILD: 'alpine:3.21' } })).toThrowError(
      "BuildStrategy.dockerfile(): 'stages' names stage 'build' twice (stage names are case-insensitive): keep one",
    );
    expect(() => BuildStrategy.dockerfile({ stages: { build: 'alpine' } })).toThrowError(
      "BuildStrategy.dockerfile(): 'stages.build' (alpine) has no tag or digest: pin a version, e.g. alpine:1.2.3, or a digest",
    );
  });

  it('refuses a Dockerfile path outside the context', () => {
    expect(() => BuildStrategy.dockerfile({ dockerfilePath: '../Dockerfile' })).toThrowError(
      "BuildStrategy.dockerfile(): 'dockerfilePath' (../Dockerfile) must be a relative path inside the context directory, e.g. 'Dockerfile' or 'docker/Dockerfile.prod'",
    );
  });
});

describe('BuildStrategy.sourceToImage', () => {
  it('S2I: takes a scripts location of the image:/// kind and incremental, and refuses a URL a build cannot read', () => {
    const s2i = BuildStrategy.sourceToImage({ scripts: 'image:///opt/app-root/s2i', incremental: true });
    expect([s2i.settings.scripts, s2i.settings.incremental]).toEqual(['image:///opt/app-root/s2i', true]);
    expect(BuildStrategy.sourceToImage().settings.incremental).toBe(false);
    expect(() => BuildStrategy.sourceToImage({ scripts: 'https://example.com/s2i' })).toThrowError(
      "BuildStrategy.sourceToImage(): 'scripts' (https://example.com/s2i) is not supported: use image:///path/in/builder (letters, digits, . _ / -), or leave it out to use the builder's io.openshift.s2i.scripts-url label",
    );
  });

  it('checks the builders map', () => {
    expect(BuildStrategy.sourceToImage({ builders: { nodejs: 'example.com/node:20' } }).settings.builders).toEqual({ nodejs: 'example.com/node:20' });
    expect(() => BuildStrategy.sourceToImage({ builders: { 'Node.js': 'example.com/node:20' } })).toThrowError(
      "BuildStrategy.sourceToImage(): 'builders' has an invalid language (Node.js): use lowercase letters and digits, e.g. 'nodejs'",
    );
    expect(() => BuildStrategy.sourceToImage({ builders: { nodejs: 'example.com/node' } })).toThrowError(
      "BuildStrategy.sourceToImage(): 'builders.nodejs' (example.com/node) has no tag or digest: pin a version, e.g. example.com/node:1.2.3, or a digest",
    );
  });
});

describe('BuildStrategy.buildpacks', () => {
  it('needs a pinned builder and non-root ids (default 1000)', () => {
    const s = BuildStrategy.buildpacks({ builder: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.400' });
    expect(s.settings).toMatchObject({ userId: 1000, groupId: 1000 });
    expect(s.base).toBe('docker.io/paketobuildpacks/builder-jammy-base:0.4.400');
    expect(() => BuildStrategy.buildpacks({ builder: 'paketobuildpacks/builder-jammy-base' })).toThrowError(
      "BuildStrategy.buildpacks(): 'builder' (paketobuildpacks/builder-jammy-base) has no tag or digest: pin a version, e.g. paketobuildpacks/builder-jammy-base:1.2.3, or a digest",
    );
    expect(() => BuildStrategy.buildpacks({ builder: 'b.io/x:1', userId: 0 })).toThrowError(
      "BuildStrategy.buildpacks(): 'userId' (0) must be a non-root numeric id, from 1 to 2147483647",
    );
  });
});
