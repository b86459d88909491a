import { describe, expect, it } from 'vitest';
import { startFakeServer } from './fake-server';
import { rawRequest } from './http-probe';

describe('startFakeServer', () => {
  it('records requests and answers with the handler', async () => {
    // GIVEN a server answering 429 with a request counter
    const server = await startFakeServer((_req, res, index) => res.writeHead(429, { 'x-index': String(index) }).end('slow down'));
    try {
      // WHEN two requests arrive
      const first = await rawRequest('GET', `${server.url}/v2/a?x=1`, { accept: 'a/b' });
      const second = await rawRequest('HEAD', `${server.url}/v2/b`);
      // THEN both are answered in order and recorded
      expect([first.status, first.headers['x-index'], first.body]).toEqual([429, '0', 'slow down']);
      expect(second.headers['x-index']).toBe('1');
      expect(server.requests.map((r) => [r.method, r.path, r.headers.accept])).toEqual([
        ['GET', '/v2/a?x=1', 'a/b'],
        ['HEAD', '/v2/b', undefined],
      ]);
    } finally {
      await server.close();
    }
  });

  it('closes even while a response is left hanging', async () => {
    // GIVEN a server that never answers, and a request in flight
    const server = await startFakeServer(() => undefined);
    const pending = rawRequest('GET', `${server.url}/hang`).catch((err: Error) => err.message);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // WHEN it is closed THEN the client sees the connection end
    await server.close();
    expect(await pending).toBe('socket hang up');
  });
});
