import { describe, expect, it } from 'vitest';
import { parseQuay } from '../../../../lib/runtime/receiver/payloads/quay';
import { edited, fixture } from '../fixtures';

describe('parseQuay', () => {
  it('reads one event per updated tag, at the host of docker_url, without a time', () => {
    const events = parseQuay(fixture('quay-push.json'), {});
    expect(events).toEqual([
      { id: expect.stringMatching(/^quay:[0-9a-f]{32}:latest$/), host: 'quay.io', repository: 'acme/api', tag: 'latest' },
      { id: expect.stringMatching(/^quay:[0-9a-f]{32}:2\.3\.1$/), host: 'quay.io', repository: 'acme/api', tag: '2.3.1' },
    ]);
  });

  it('knows a self-hosted Quay by its host', () => {
    const [event] = parseQuay(edited('quay-push.json', (p) => (p.docker_url = 'quay.internal:8443/acme/api')), {});
    expect(event.host).toBe('quay.internal:8443');
  });

  it('refuses a payload without updated_tags', () => {
    expect(() => parseQuay(edited('quay-push.json', (p) => (p.updated_tags = 'latest')), {})).toThrowError("Quay payload has no list of strings 'updated_tags'");
  });
});
