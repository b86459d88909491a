import { describe, expect, it } from 'vitest';
import { parseHarbor } from '../../../../lib/runtime/receiver/payloads/harbor';
import { edited, fixture } from '../fixtures';

describe('parseHarbor', () => {
  const expected = { host: 'harbor.example.com', repository: 'platform/nginx', tag: 'stable', digest: 'sha256:7b1a3c5e7f9a1b3d5f7a9c1e3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3f5a7b9d1c' };

  it('reads PUSH_ARTIFACT in the Default format', () => {
    expect(parseHarbor(fixture('harbor-push.json'), {})).toEqual([{ ...expected, id: expect.stringMatching(/^harbor:/), at: 1741944413_000 }]);
  });

  it('reads harbor.artifact.pushed in the CloudEvents format', () => {
    expect(parseHarbor(fixture('harbor-push-cloudevents.json'), {})).toEqual([{ ...expected, id: expect.stringMatching(/^harbor:/), at: Date.parse('2025-03-14T09:26:53Z') }]);
  });

  it('skips other event types, and pushes without a tag', () => {
    expect(parseHarbor(edited('harbor-push.json', (p) => (p.type = 'PULL_ARTIFACT')), {})).toEqual([]);
    expect(parseHarbor(edited('harbor-push-cloudevents.json', (p) => (p.type = 'harbor.artifact.deleted')), {})).toEqual([]);
    expect(parseHarbor(edited('harbor-push.json', (p) => delete p.event_data.resources[0].tag), {})).toEqual([]);
  });

  it('refuses a push without resources or a resource URL', () => {
    expect(() => parseHarbor(edited('harbor-push.json', (p) => delete p.event_data.resources), {})).toThrowError("Harbor payload has no list 'resources'");
    expect(() => parseHarbor(edited('harbor-push.json', (p) => (p.event_data.resources[0].resource_url = 'nginx')), {})).toThrowError('Harbor payload names no registry host in its image URL');
  });
});
