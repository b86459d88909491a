import { describe, expect, it } from 'vitest';
import { tagSource } from '../../../lib/cli/imagestream/tag-ref';
import { formatStreamTag, inNamespace, parseStreamTag } from '../../../lib/api/stream-tag';

describe('parseStreamTag', () => {
  it('reads stream:tag and namespace/stream:tag', () => {
    expect(parseStreamTag('app:latest')).toEqual({ stream: 'app', tag: 'latest' });
    expect(parseStreamTag('team-a/app.web:v1.2_3')).toEqual({ namespace: 'team-a', stream: 'app.web', tag: 'v1.2_3' });
  });

  it.each([
    ['app', "'app' must look like stream:tag or namespace/stream:tag"],
    ['app:', "'app:' must look like stream:tag or namespace/stream:tag"],
    ['a/b/c:t', "'a/b/c:t' must look like stream:tag or namespace/stream:tag"],
    ['app@sha256:abc', "'app@sha256:abc' must look like stream:tag or namespace/stream:tag"],
    ['Team/app:v1', "'Team/app:v1': 'Team' is not a valid namespace name"],
    ['my.ns/app:v1', "'my.ns/app:v1': 'my.ns' is not a valid namespace name"],
    ['-app:v1', "'-app:v1': '-app' is not a valid ImageStream name"],
    ['app:-v1', "'app:-v1': '-v1' is not a valid tag name"],
  ])('rejects %s', (text, message) => {
    expect(() => parseStreamTag(text)).toThrowError(message);
  });
});

describe('tagSource', () => {
  it.each([
    ['app:latest', { kind: 'ImageStreamTag', ref: { stream: 'app', tag: 'latest' } }],
    ['ns/app:latest', { kind: 'ImageStreamTag', ref: { namespace: 'ns', stream: 'app', tag: 'latest' } }],
    ['localhost/app:v1', { kind: 'ImageStreamTag', ref: { namespace: 'localhost', stream: 'app', tag: 'v1' } }],
    ['quay.io/team/app:v1', { kind: 'DockerImage', reference: 'quay.io/team/app:v1' }],
    ['127.0.0.1:5000/app:v1', { kind: 'DockerImage', reference: '127.0.0.1:5000/app:v1' }],
    ['team/sub/app:v1', { kind: 'DockerImage', reference: 'team/sub/app:v1' }],
    [`busybox@sha256:${'a'.repeat(64)}`, { kind: 'DockerImage', reference: `busybox@sha256:${'a'.repeat(64)}` }],
  ])('reads %s by its shape', (text, expected) => {
    expect(tagSource(text)).toEqual(expected);
  });

  it('follows --source over the shape', () => {
    expect(tagSource('library/busybox:1', 'docker')).toEqual({ kind: 'DockerImage', reference: 'library/busybox:1' });
    expect(() => tagSource('quay.io/team/app:v1', 'imagestreamtag')).toThrowError("'quay.io/team/app:v1' must look like stream:tag or namespace/stream:tag");
  });

  it('rejects an invalid image reference', () => {
    expect(() => tagSource('quay.io/team/App:v1')).toThrowError('invalid image reference "quay.io/team/App:v1": repository name must be lowercase');
  });
});

describe('formatStreamTag and inNamespace', () => {
  it('names the namespace only when it is not the home one', () => {
    expect(formatStreamTag({ namespace: 'ns', stream: 'app', tag: 'v1' }, 'ns')).toBe('app:v1');
    expect(formatStreamTag({ namespace: 'ns', stream: 'app', tag: 'v1' }, 'default')).toBe('ns/app:v1');
    expect(formatStreamTag({ stream: 'app', tag: 'v1' })).toBe('app:v1');
  });

  it('fills in a missing namespace and keeps a given one', () => {
    expect(inNamespace({ stream: 'app', tag: 'v1' }, 'dev')).toEqual({ namespace: 'dev', stream: 'app', tag: 'v1' });
    expect(inNamespace({ namespace: 'ns', stream: 'app', tag: 'v1' }, 'dev')).toEqual({ namespace: 'ns', stream: 'app', tag: 'v1' });
  });
});
