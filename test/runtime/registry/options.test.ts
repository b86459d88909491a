import { describe, expect, it } from 'vitest';
import { clientSettings, DEFAULTS } from '../../../lib/runtime/registry/options';
import { parseReference } from '../../../lib/api/image-reference';
import { AuthCache } from '../../../lib/runtime/registry/token';

const hub = parseReference('eclipse-temurin:8-jdk');
const dockerConfig = { auths: { 'https://index.docker.io/v1/': { username: 'hub', password: 'pw' } } };

describe('clientSettings', () => {
  it('applies the documented defaults', () => {
    // GIVEN no options WHEN resolved THEN secure, 30 s, 3 retries from 500 ms up to 30 s, anonymous
    const s = clientSettings(hub, {});
    expect(s).toMatchObject({ insecure: false, timeoutMs: 30_000, credentials: undefined });
    expect(s.retry).toMatchObject({ retries: 3, backoffMs: 500, maxBackoffMs: 30_000 });
    expect(DEFAULTS).toMatchObject({ importMode: 'Legacy', platform: { os: 'linux', architecture: 'amd64' } });
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
  });

  it('shares one auth cache between calls unless one is given', () => {
    const mine = new AuthCache();
    expect(clientSettings(hub, {}).authCache).toBe(clientSettings(hub, {}).authCache);
    expect(clientSettings(hub, { authCache: mine }).authCache).toBe(mine);
  });

  it("takes credentials for the reference's registry from the docker config, explicit ones first", () => {
    expect(clientSettings(hub, { dockerConfig }).credentials).toEqual({ username: 'hub', password: 'pw' });
    expect(clientSettings(parseReference('quay.io/a/b'), { dockerConfig }).credentials).toBeUndefined();
    expect(clientSettings(hub, { dockerConfig, credentials: { username: 'x', password: 'y' } }).credentials).toEqual({
      username: 'x', password: 'y',
    });
  });
});
