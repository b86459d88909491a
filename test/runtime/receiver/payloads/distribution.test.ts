import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../../lib/runtime/receiver/payloads/distribution';
import { PayloadError } from '../../../../lib/runtime/receiver/payloads/event';
import { edited, fixture } from '../fixtures';

describe('parseDistribution', () => {
  it('reads the manifest pushed by tag, and skips the blob push and the pull of the same envelope', () => {
    // GIVEN an envelope as distribution sends it: a layer push, a manifest push by tag, a pull
    // WHEN it is parsed
    const events = parseDistribution(fixture('distribution-push.json'), {});
    // THEN one event: the tag that moved, at the host the pusher addressed, with the event's id and time
    expect(events).toEqual([{
      id: 'distribution:a41d9c7e-0b3f-4e58-8d26-9c1b4e7f3a05',
      at: Date.parse('2025-03-14T09:26:53.812404119Z'),
      host: 'registry.example.com:5000',
      repository: 'team/app',
      tag: 'v1.4.2',
      digest: 'sha256:0d3d5fa4a2c1d3f0a1f3c5e7a9b1d3f5e7a9c1e3f5a7b9d1f3e5a7c9e1b3d5f7',
    }]);
  });

  it('skips manifests pushed by digest (the entries of a list): they move no tag', () => {
    const body = edited('distribution-push.json', (p) => delete p.events[1].target.tag);
    expect(parseDistribution(body, {})).toEqual([]);
  });

  it('takes the host from the target URL when the request names none', () => {
    const body = edited('distribution-push.json', (p) => delete p.events[1].request);
    expect(parseDistribution(body, {})[0].host).toBe('registry.example.com:5000');
  });

  it('refuses what is not an envelope of events, without quoting it', () => {
    expect(() => parseDistribution('{"secret": "hunter2"', {})).toThrowError(new PayloadError('the body is not JSON, as a distribution registry sends'));
    expect(() => parseDistribution('{"events": {}}', {})).toThrowError("a distribution registry payload has no list 'events'");
    expect(() => parseDistribution(edited('distribution-push.json', (p) => (p.events[1].target.repository = '../Etc')), {})).toThrowError('a distribution registry payload names no valid repository');
    expect(() => parseDistribution(edited('distribution-push.json', (p) => (p.events[1].target.tag = '-bad tag')), {})).toThrowError('a distribution registry payload names no valid tag');
  });
});
