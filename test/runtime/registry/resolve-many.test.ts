import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveMany } from '../../../lib/runtime/registry/resolve-many';
import { FakeServer, startFakeServer } from '../../support/registry/fake-server';
import { pushImage, pushManifestList } from '../../support/registry/images';
import { RunningRegistry, startRegistry } from '../../support/registry/registry';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('resolveMany against the real registry', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('reports every outcome in input order, failures included, with per-reference options', async () => {
    // GIVEN two images, a manifest list and a missing tag
    const a = await pushImage(registry.host, 'many/a:v1');
    const b = await pushImage(registry.host, 'many/b:v1');
    const list = await pushManifestList(registry.host, 'many/list:v1', { platforms: [{ os: 'linux', architecture: 'amd64' }] });
    // WHEN resolved together, the list preserving the original
    const outcomes = await resolveMany(
      [
        `${registry.host}/many/a:v1`,
        `${registry.host}/many/missing:v1`,
        { reference: `${registry.host}/many/list:v1`, options: { importMode: 'PreserveOriginal' } },
        `${registry.host}/many/b:v1`,
        'Not A Reference',
      ],
      { insecure: true, concurrency: 2 },
    );
    // THEN each outcome is in place
    expect(outcomes.map((o) => (o.ok ? o.image.digest : o.error.reason))).toEqual([
      a.digest, 'NotFound', list.digest, b.digest, 'InvalidReference',
    ]);
    expect(outcomes[1].reference).toBe(`${registry.host}/many/missing:v1`);
  });
});

describe('resolveMany concurrency', () => {
  let server: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    // GIVEN a registry that holds each answer until three requests are waiting
    let inFlight = 0;
    let most = 0;
    const held: Array<() => void> = [];
    server = await startFakeServer((_req, res) => {
      most = Math.max(most, ++inFlight);
      held.push(() => {
        inFlight--;
        res.writeHead(200, { 'docker-content-digest': sha256('x'), 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end();
      });
      if (held.length === 3) held.splice(0).forEach((answer) => answer());
    });
    // WHEN nine references (their digest recorded: HEAD only) are resolved three at a time
    const refs = Array.from({ length: 9 }, (_, i) => `${server!.host}/c/r${i}:v1`);
    const outcomes = await resolveMany(refs, { insecure: true, concurrency: 3, recorded: [{ digest: sha256('x') }] });
    // THEN all succeeded and never more than three were in flight
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(most).toBe(3);
    expect(server.requests).toHaveLength(9);
  });

  it('rejects a concurrency that is not a positive integer', async () => {
    await expect(resolveMany([], { concurrency: 0 })).rejects.toThrowError("'concurrency' (0) must be a positive integer");
  });

  it('resolves nothing for no references', async () => {
    expect(await resolveMany([])).toEqual([]);
  });
});
