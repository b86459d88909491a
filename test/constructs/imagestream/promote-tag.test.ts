import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, ImageStreamTag, System } from '../../../constructs';
import { synthApp } from '../../support/synth-app';

describe('ImageStream.promoteTag', () => {
  it('writes a tag without a source that promotes from another tag, with its gate', () => {
    const app = synthApp(({ chart }) => {
      const staging = new ImageStream(chart('staging'), 'app');
      staging.importTag('candidate', { from: 'ghcr.io/acme/app:main' });
      staging.allowPull('prod');
      const prod = new ImageStream(chart('prod'), 'app');
      prod.promoteTag('live', staging.tag('candidate'), { soak: Duration.minutes(30), requireRollout: true });
      prod.promoteTag('canary', prod.tag('live'));
    });
    const prod = app.find('ImageStream', 'app').find((s) => s.metadata.namespace === 'prod')!;
    expect(prod.spec.tags).toEqual([
      { name: 'live', promotion: { from: { name: 'app:candidate', namespace: 'staging' }, soakSeconds: 1800, requireRollout: true } },
      { name: 'canary', promotion: { from: { name: 'app:live' } } },
    ]);
  });

  it('refuses a source of another namespace that grants no Pull, itself, and a soak out of range', () => {
    const build = (make: (prod: ImageStream, staging: ImageStream) => void) => () => {
      const app = Testing.app();
      new System(app, 'imagestreams');
      const staging = new ImageStream(new Chart(app, 's', { namespace: 'staging' }), 'app');
      staging.importTag('candidate', { from: 'nginx:1.27' });
      make(new ImageStream(new Chart(app, 'p', { namespace: 'prod' }), 'app'), staging);
      app.synth();
    };
    expect(build((prod, staging) => prod.promoteTag('live', staging.tag('candidate')))).toThrowError(
      "promoteTag('live', staging/app:candidate): namespace 'prod' may not pull from ImageStream 'staging/app': add stream.allowPull('prod') to it",
    );
    expect(build((prod) => prod.promoteTag('live', prod.tag('live')))).toThrowError("[p/app] tag 'live' can't be promoted from itself");
    expect(build((prod) => prod.promoteTag('live', ImageStreamTag.external('staging/app:x'), { soak: Duration.days(400) }))).toThrowError("[p/app] 'soak' of promoted tag 'live' (34560000s) must be whole seconds from 0 to 365 days");
  });
});
