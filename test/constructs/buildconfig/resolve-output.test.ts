import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { BuildOutput } from '../../../constructs/buildconfig';
import { resolveOutput } from '../../../constructs/buildconfig/resolve-output';

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
