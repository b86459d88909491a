import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicAuth, bearerToken, noCredentials, tokenFile } from '../../../lib/runtime/kube/credentials';

describe('credentials', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-creds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends a bearer token, basic auth, or nothing', async () => {
    expect(await bearerToken('abc').authorization()).toBe('Bearer abc');
    expect(await basicAuth('alice', 's3cret').authorization()).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(await noCredentials().authorization()).toBeUndefined();
  });

  it('rereads a rotating token file once the cached token is older than maxAgeMs', async () => {
    // GIVEN a token file and a clock we control
    const path = join(dir, 'token');
    writeFileSync(path, 'first\n');
    let clock = 1_000;
    const credentials = tokenFile(path, { maxAgeMs: 60_000, now: () => clock });
    expect(await credentials.authorization()).toBe('Bearer first');
    // WHEN the kubelet rotates the token
    writeFileSync(path, 'second\n');
    // THEN the cached one is used until it is maxAgeMs old
    clock += 59_999;
    expect(await credentials.authorization()).toBe('Bearer first');
    clock += 1;
    expect(await credentials.authorization()).toBe('Bearer second');
  });

  it('rereads the token file at once after invalidate() (a 401)', async () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'first');
    const credentials = tokenFile(path, { now: () => 0 });
    await credentials.authorization();
    writeFileSync(path, 'second');
    credentials.invalidate();
    expect(await credentials.authorization()).toBe('Bearer second');
  });
});
