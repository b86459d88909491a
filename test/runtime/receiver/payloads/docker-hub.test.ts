import { describe, expect, it } from 'vitest';
import { parseDockerHub } from '../../../../lib/runtime/receiver/payloads/docker-hub';
import { edited, fixture } from '../fixtures';

describe('parseDockerHub', () => {
  it('reads the pushed tag of the repository at docker.io, with the push time', () => {
    const [event] = parseDockerHub(fixture('dockerhub-push.json'), {});
    expect(event).toEqual({ id: expect.stringMatching(/^dockerhub:[0-9a-f]{32}$/), at: 1741944413_000, host: 'docker.io', repository: 'acme/web', tag: '1.27-alpine' });
  });

  it("names official images as references do: 'nginx' is library/nginx", () => {
    const [event] = parseDockerHub(edited('dockerhub-push.json', (p) => (p.repository.repo_name = 'nginx')), {});
    expect(event.repository).toBe('library/nginx');
  });

  it('gives the same push the same id, and another push another one', () => {
    const [a] = parseDockerHub(fixture('dockerhub-push.json'), {});
    const [b] = parseDockerHub(edited('dockerhub-push.json', (p) => (p.repository.star_count = 4)), {});
    const [c] = parseDockerHub(edited('dockerhub-push.json', (p) => (p.push_data.pushed_at += 60)), {});
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it('refuses a payload without a repository or tag', () => {
    expect(() => parseDockerHub(edited('dockerhub-push.json', (p) => delete p.push_data), {})).toThrowError("Docker Hub payload has no string 'push_data.tag'");
    expect(() => parseDockerHub('[]', {})).toThrowError("Docker Hub payload has no string 'repository.repo_name'");
  });
});
