import { describe, expect, it } from 'vitest';
import { causeAnnotations, describeCause, parseCause, triggeredImage } from '../../lib/api/build-cause';

describe('build causes', () => {
  it('round-trips each cause through annotations', () => {
    const image = { type: 'ImageChange' as const, from: { kind: 'ImageStreamTag' as const, name: 'base:latest', namespace: 'tools' }, image: 'reg/base@sha256:1' };
    expect(causeAnnotations(image, 'default')).toEqual({
      'imagestreams.dev/cause': 'ImageChange', 'imagestreams.dev/cause-image': 'reg/base@sha256:1', 'imagestreams.dev/cause-from': 'tools/base:latest',
    });
    expect(parseCause(causeAnnotations(image, 'default'))).toMatchObject({ type: 'ImageChange', image: 'reg/base@sha256:1', fromKey: 'tools/base:latest' });
    expect(parseCause(causeAnnotations({ type: 'ConfigChange', generation: 4 }, 'default'))).toEqual({ type: 'ConfigChange', generation: 4 });
    expect(parseCause(causeAnnotations({ type: 'GitHub', revision: 'abc' }, 'default'))).toEqual({ type: 'GitHub', revision: 'abc' });
  });

  it('reads the causes that the webhook listener and the git poller write', () => {
    expect(parseCause({ 'imagestreams.dev/cause': 'Webhook', 'imagestreams.dev/commit': 'abc' })).toEqual({ type: 'Webhook', revision: 'abc' });
    expect(parseCause({ 'imagestreams.dev/cause': 'GitPoll', 'imagestreams.dev/commit': 'def' })).toEqual({ type: 'GitPoll', revision: 'def' });
  });

  it('reads runs without a known cause as Manual', () => {
    expect(parseCause(undefined)).toEqual({ type: 'Manual', user: undefined });
    expect(parseCause({ 'imagestreams.dev/cause': 'ConfigChange', 'imagestreams.dev/cause-generation': 'x' }).type).toBe('Manual');
  });

  it('finds the image a run was built from, whatever its cause', () => {
    expect(triggeredImage({ 'imagestreams.dev/cause': 'ConfigChange', 'imagestreams.dev/cause-from': 'ns/b:t', 'imagestreams.dev/cause-image': 'r@sha256:2' })).toEqual({ fromKey: 'ns/b:t', image: 'r@sha256:2' });
    expect(triggeredImage({ 'imagestreams.dev/cause': 'Manual' })).toBeUndefined();
  });

  it('describes causes in one line', () => {
    expect(describeCause({ type: 'GitLab', revision: 'abc' }, 'ns')).toBe('GitLab (commit abc)');
    expect(describeCause({ type: 'ImageChange', from: { kind: 'ImageStreamTag', name: 'b:t' }, image: 'r@sha256:1' }, 'ns')).toBe('ImageChange (ns/b:t → r@sha256:1)');
  });
});
