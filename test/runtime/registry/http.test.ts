import { afterEach, describe, expect, it } from 'vitest';
import { header, send } from '../../../lib/runtime/registry/http';
import { FakeServer, startFakeServer } from '../../support/registry/fake-server';
import { freePort } from '../../support/registry/exec';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('send', () => {
  it('returns status, headers and the exact body bytes, sending the given headers', async () => {
    // GIVEN a server answering with binary content
    server = await startFakeServer((_req, res) => res.writeHead(200, { 'docker-content-digest': 'sha256:x' }).end(Buffer.from([0, 1, 255])));
    // WHEN a GET is sent
    const response = await send({ method: 'GET', url: new URL(`${server.url}/v2/a`), headers: { accept: 'x/y' }, timeoutMs: 5000 });
    // THEN everything arrives unchanged
    expect(response.status).toBe(200);
    expect(header(response, 'Docker-Content-Digest')).toBe('sha256:x');
    expect([...response.body]).toEqual([0, 1, 255]);
    expect(server.requests[0].headers.accept).toBe('x/y');
  });

  it('fails with Timeout when the server does not answer in time', async () => {
    // GIVEN a server that never answers
    server = await startFakeServer(() => undefined);
    // WHEN a HEAD is sent with a 200 ms timeout THEN it fails with a typed Timeout
    const url = new URL(`${server.url}/v2/a/manifests/v1?q=1`);
    await expect(send({ method: 'HEAD', url, timeoutMs: 200 })).rejects.toMatchObject({
      reason: 'Timeout',
      message: `HEAD ${server.url}/v2/a/manifests/v1 timed out after 200 ms`,
    });
  });

  it('fails with Timeout when a body stalls halfway', async () => {
    // GIVEN a server that sends headers and part of a body, then stalls
    server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.write('abc');
    });
    // WHEN a GET is sent THEN the whole-exchange timeout catches it
    await expect(send({ method: 'GET', url: new URL(`${server.url}/x`), timeoutMs: 200 })).rejects.toThrowError(
      `GET ${server.url}/x timed out after 200 ms`,
    );
  });

  it('fails with Unreachable when nothing listens', async () => {
    // GIVEN a port nobody listens on
    const port = await freePort();
    // WHEN a request is sent THEN the error names the target and the cause
    await expect(send({ method: 'GET', url: new URL(`http://127.0.0.1:${port}/v2/`), timeoutMs: 5000 })).rejects.toMatchObject({
      reason: 'Unreachable',
      message: expect.stringMatching(new RegExp(`^GET http://127.0.0.1:${port}/v2/ failed: connect ECONNREFUSED`)),
    });
  });

  it('refuses bodies far larger than any manifest', async () => {
    // GIVEN a server streaming 9 MiB
    server = await startFakeServer((_req, res) => res.end(Buffer.alloc(9 * 1024 * 1024)));
    // WHEN fetched THEN it fails with InvalidResponse
    await expect(send({ method: 'GET', url: new URL(`${server.url}/big`), timeoutMs: 10_000 })).rejects.toThrowError(
      `GET ${server.url}/big returned more than 8388608 bytes`,
    );
  });
});
