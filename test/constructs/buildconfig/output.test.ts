import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, ImageStreamTag } from '../../../constructs/imagestream';
import { BuildOutput } from '../../../constructs/buildconfig/output';

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
