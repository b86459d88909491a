import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, ImageStreamTag } from '../../../constructs/imagestream';
import { BuildTrigger } from '../../../constructs/buildconfig/trigger';
import type { WebhookType } from '../../../lib/api/buildconfig';

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

describe('BuildTrigger push options', () => {
  it('records a git poll with its interval as a Go duration', () => {
    expect(BuildTrigger.gitPoll({ interval: Duration.minutes(10) }).toSpec('ns')).toEqual({ type: 'GitPoll', gitPoll: { interval: '10m0s' } });
  });

  it('refuses a poll more often than once a minute', () => {
    expect(() => BuildTrigger.gitPoll({ interval: Duration.seconds(30) })).toThrowError(
      "BuildTrigger.gitPoll(): 'interval' (30s) must be at least 60s: git hosts rate-limit polling, use Duration.minutes(5) or a webhook",
    );
  });

  it("keeps a webhook's Secret key (OpenShift's WebHookSecretKey unless told) and Ingress", () => {
    expect(BuildTrigger.webhook({ type: 'GitHub', secret: 'hook' }).webhook).toEqual({ secretKey: 'WebHookSecretKey', ingress: undefined });
    const ingress = { host: 'hooks.example.com', path: '/foo', className: 'nginx', tlsSecret: 'tls' };
    expect(BuildTrigger.webhook({ type: 'GitLab', secret: 'hook', secretKey: 'token', ingress }).webhook).toEqual({ secretKey: 'token', ingress });
  });

  it('refuses a bad Secret key and a bad Ingress', () => {
    expect(() => BuildTrigger.webhook({ type: 'GitHub', secret: 'hook', secretKey: 'a/b' })).toThrowError(
      "BuildTrigger.webhook(): 'secretKey' (a/b) must be a Secret key: letters, digits, '-', '_' and '.'",
    );
    expect(() => BuildTrigger.webhook({ type: 'GitHub', secret: 'hook', ingress: { host: 'https://hooks.example.com' } })).toThrowError(
      "BuildTrigger.webhook(): 'ingress.host' (https://hooks.example.com) must be a DNS name such as hooks.example.com",
    );
    expect(() => BuildTrigger.webhook({ type: 'GitHub', secret: 'hook', ingress: { host: 'h.example.com', path: 'hooks' } })).toThrowError(
      "BuildTrigger.webhook(): 'ingress.path' (hooks) must be an absolute URL path such as /hooks/foo",
    );
    expect(() => BuildTrigger.webhook({ type: 'GitHub', secret: 'hook', ingress: { host: 'h.example.com', tlsSecret: 'TLS' } })).toThrowError(
      "BuildTrigger.webhook(): 'ingress.tlsSecret' (TLS) must be the name of a Secret: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    );
  });
});
