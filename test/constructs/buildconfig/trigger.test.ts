import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, ImageStreamTag } from '../../../constructs/imagestream';
import { BuildTrigger } from '../../../constructs/buildconfig/trigger';
import type { WebhookType } from '../../../lib/runtime/api/buildconfig';

describe('BuildTrigger', () => {
  it('records an image change trigger with and without its own tag', () => {
    const tag = new ImageStream(new Chart(Testing.app(), 'c', { namespace: 'ns' }), 'base').tag('1');
    expect(BuildTrigger.imageChange().toSpec('ns')).toEqual({ type: 'ImageChange', imageChange: {} });
    expect(BuildTrigger.imageChange({ from: tag }).toSpec('ns')).toEqual({ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'base:1' } } });
    expect(BuildTrigger.imageChange({ from: ImageStreamTag.external('shared/base:2') }).toSpec('ns')).toEqual({
      type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'base:2', namespace: 'shared' } },
    });
  });

  it('refuses an image change trigger on something that is not a stream tag', () => {
    expect(() => BuildTrigger.imageChange({ from: 'busybox:1' as unknown as ImageStreamTag })).toThrowError(
      "BuildTrigger.imageChange(): 'from' must be a stream tag: use stream.tag('latest') or ImageStreamTag.external('ns/stream:tag')",
    );
  });

  it('records config change triggers, opt-in on spec changes', () => {
    expect(BuildTrigger.configChange().toSpec('ns')).toEqual({ type: 'ConfigChange', configChange: {} });
    expect(BuildTrigger.configChange({ onSpecChange: true }).toSpec('ns')).toEqual({ type: 'ConfigChange', configChange: { onSpecChange: true } });
  });

  it.each([['GitHub', 'github'], ['GitLab', 'gitlab'], ['Bitbucket', 'bitbucket'], ['Generic', 'generic']] as const)('records a %s webhook by its Secret name', (type, field) => {
    expect(BuildTrigger.webhook({ type, secret: 'hook' }).toSpec('ns')).toEqual({ type, [field]: { secretReference: { name: 'hook' } } });
  });

  it('refuses unknown webhook types and bad secret names', () => {
    expect(() => BuildTrigger.webhook({ type: 'Gitea' as WebhookType, secret: 'x' })).toThrowError(
      "BuildTrigger.webhook(): 'type' (Gitea) must be one of GitHub, GitLab, Bitbucket, Generic",
    );
    expect(() => BuildTrigger.webhook({ type: 'GitHub', secret: 'my secret' })).toThrowError(
      "BuildTrigger.webhook(): 'secret' (my secret) must be the name of a Secret: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    );
  });

  it('gives equal triggers equal keys, for duplicate checks', () => {
    expect(BuildTrigger.configChange().key).toBe(BuildTrigger.configChange({ onSpecChange: true }).key);
    expect(BuildTrigger.webhook({ type: 'GitHub', secret: 'a' }).key).not.toBe(BuildTrigger.webhook({ type: 'GitHub', secret: 'b' }).key);
  });
});
