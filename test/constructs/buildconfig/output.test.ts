import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Construct } from 'constructs';
import { ImageStream, ImageStreamTag, StreamRegistry, System } from '../../../constructs';
import { BuildOutput, resolveOutput } from '../../../constructs/buildconfig/output';

describe('BuildOutput', () => {
  it('takes a tag of a stream of the app', () => {
    const tag = new ImageStream(new Chart(Testing.app(), 'c', { namespace: 'ns' }), 'foo').tag('latest');
    const output = BuildOutput.imageStreamTag(tag, { pushSecret: 'push', imageLabels: { team: 'a' } });
    expect(output).toMatchObject({ tag, image: undefined, pushSecret: 'push', imageLabels: { team: 'a' } });
    expect(BuildOutput.isBuildOutput(output)).toBe(true);
  });

  it('refuses a tag of a stream that the app does not define', () => {
    expect(() => BuildOutput.imageStreamTag(ImageStreamTag.external('other/foo:latest'))).toThrowError(
      "BuildOutput.imageStreamTag(): 'other/foo:latest' is a tag of a stream this app does not define: a build can only push to a stream of the app (new ImageStream(...))",
    );
  });

  it('pushes an image to its tag, normalised', () => {
    expect(BuildOutput.image('registry.example.com/team/app:1.0').image).toBe('registry.example.com/team/app:1.0');
    expect(BuildOutput.image('team/app:1.0').image).toBe('docker.io/team/app:1.0');
  });

  it('refuses an output image without a tag, with a digest, or malformed', () => {
    expect(() => BuildOutput.image('registry.example.com/team/app')).toThrowError(
      "BuildOutput.image(): 'image' (registry.example.com/team/app) has no tag: name the tag to push, e.g. registry.example.com/team/app:latest",
    );
    const pinned = `registry.example.com/team/app@sha256:${'a'.repeat(64)}`;
    expect(() => BuildOutput.image(pinned)).toThrowError(
      `BuildOutput.image(): 'image' (${pinned}) has a digest: a build pushes to a tag, e.g. registry.example.com/team/app:latest`,
    );
    expect(() => BuildOutput.image('registry.example.com/Team/app:1')).toThrowError(
      "BuildOutput.image(): 'image' (registry.example.com/Team/app:1) is not a valid image reference: repository name must be lowercase",
    );
  });

  it('checks the push secret and label names', () => {
    expect(() => BuildOutput.image('r.io/a:1', { pushSecret: 'Push' })).toThrowError(
      "BuildOutput.image(): 'pushSecret' (Push) must be the name of a Secret: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    );
    expect(() => BuildOutput.image('r.io/a:1', { imageLabels: { 'a b': 'x' } })).toThrowError(
      "BuildOutput.image(): 'imageLabels' has an invalid name (a b): use a non-empty key without spaces or '=', e.g. org.opencontainers.image.source",
    );
  });
});

function scopeIn(namespace: string) {
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com', pathPrefix: 'team', pushSecret: 'push', insecure: true }) });
  const chart = new Chart(app, 'c', { namespace });
  return { chart, scope: Object.assign(new Construct(chart, 'bc'), { namespace }) };
}

describe('resolveOutput', () => {
  it('pushes a stream tag to the stream\'s repository with the registry\'s secret, and declares the tag', () => {
    const { chart, scope } = scopeIn('seed');
    const shared = new ImageStream(chart, 'app', { namespace: 'shared' });
    expect(resolveOutput(scope, BuildOutput.imageStreamTag(shared.tag('v2')))).toEqual({
      image: 'registry.example.com/team/shared/app:v2', insecure: true, pushSecret: 'push',
      to: { kind: 'ImageStreamTag', name: 'app:v2', namespace: 'shared' },
    });
    expect(shared.hasTag('v2')).toBe(true);
  });

  it('lets the output name its own push secret', () => {
    const { chart, scope } = scopeIn('seed');
    const app = new ImageStream(chart, 'app');
    expect(resolveOutput(scope, BuildOutput.imageStreamTag(app.tag('v1'), { pushSecret: 'mine' }))).toMatchObject({ pushSecret: 'mine', to: { name: 'app:v1' } });
  });

  it('pushes an image where it says, needing no registry', () => {
    const { scope } = scopeIn('seed');
    expect(resolveOutput(scope, BuildOutput.image('r.io/a:1', { insecure: true }))).toEqual({ image: 'r.io/a:1', insecure: true, pushSecret: undefined, to: { kind: 'DockerImage', name: 'r.io/a:1' } });
  });
});
