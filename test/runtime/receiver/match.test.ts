import { describe, expect, it } from 'vitest';
import type { ImageStreamObject, TagSpec } from '../../../lib/api/imagestream';
import type { RegistryReceiverObject } from '../../../lib/api/receiver';
import { matchingTags } from '../../../lib/runtime/receiver/match';

const stream = (name: string, tags: TagSpec[], namespace = 'team'): ImageStreamObject => ({ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name, namespace }, spec: { tags } });
const from = (name: string, extra: Partial<TagSpec> = {}): TagSpec => ({ name: extra.name ?? 'x', from: { kind: 'DockerImage', name }, ...extra });
const receiver = (spec: Partial<RegistryReceiverObject['spec']> = {}): RegistryReceiverObject => ({ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'RegistryReceiver', metadata: { name: 'hub', namespace: 'team' }, spec: { type: 'DockerHub', secretRef: { name: 's' }, ...spec } });

describe('matchingTags', () => {
  const streams = [
    stream('nginx', [
      from('nginx:1.27', { name: 'a' }), from('docker.io/library/nginx:1.27', { name: 'b' }), from('index.docker.io/library/nginx:1.27', { name: 'c' }),
      from('nginx:1.26', { name: 'other-tag' }), from('nginx@sha256:' + 'a'.repeat(64), { name: 'pinned' }),
      from('nginx:1.27', { name: 'paused', importPolicy: { paused: true } }), from('nginx:1.27', { name: 'ref', reference: true }),
      { name: 'alias', from: { kind: 'ImageStreamTag', name: 'nginx:a' } }, { name: 'build-output' },
      from('quay.io/library/nginx:1.27', { name: 'quay' }),
    ]),
    stream('nginx', [from('nginx:1.27', { name: 'a' })], 'other'),
  ];
  const event = { id: '1', host: 'docker.io', repository: 'library/nginx', tag: '1.27' };

  it('finds importable tags of its namespace following that repository and tag at that registry, in every spelling of it', () => {
    expect(matchingTags(streams, receiver(), event)).toEqual([{ namespace: 'team', stream: 'nginx', tags: ['a', 'b', 'c'], policyTags: [] }]);
  });

  it('matches every tag of the repository when the event names none, and any registry when it names none', () => {
    expect(matchingTags(streams, receiver(), { ...event, tag: undefined })[0].tags).toEqual(['a', 'b', 'c', 'other-tag']);
    expect(matchingTags(streams, receiver(), { ...event, host: undefined })[0].tags).toEqual(['a', 'b', 'c', 'quay']);
  });

  it("takes the receiver's registries over the event's host, and its stream list", () => {
    expect(matchingTags(streams, receiver({ registries: ['quay.io'] }), event)[0].tags).toEqual(['quay']);
    expect(matchingTags(streams, receiver({ streams: ['web'] }), event)).toEqual([]);
  });
});
