import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/runtime/machinery/logger';
import { ReceiverServer, type HookRoute } from '../../../lib/runtime/receiver/server';

describe('ReceiverServer', () => {
  let server: ReceiverServer | undefined;
  afterEach(async () => server?.close());

  async function start(options: { maxBodyBytes?: number; ready?: boolean; requestTimeoutMs?: number } = {}) {
    const delivered: { route: HookRoute; body: string }[] = [];
    server = new ReceiverServer({
      port: 0, host: '127.0.0.1', log: silentLogger, maxBodyBytes: options.maxBodyBytes, requestTimeoutMs: options.requestTimeoutMs,
      ready: () => options.ready ?? true,
      deliver: async (route, _headers, body) => (delivered.push({ route, body: body.toString() }), { status: 202, body: { nudged: 1 } }),
    });
    const port = await server.listen();
    return { url: `http://127.0.0.1:${port}`, port, delivered };
  }

  it('hands a POST to /hooks/<namespace>/<name>[/<token>] over with its body, and answers with what it returns', async () => {
    const { url, delivered } = await start();
    const response = await fetch(`${url}/hooks/team/hub/0123456789abcdef`, { method: 'POST', body: '{"a":1}' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ nudged: 1 });
    expect(delivered).toEqual([{ route: { namespace: 'team', name: 'hub', pathToken: '0123456789abcdef' }, body: '{"a":1}' }]);
  });

  it('hands BuildConfig webhooks at OpenShift\'s URL to gitWebhook, the secret decoded, with a Retry-After it returns; 404 without it', async () => {
    const { url } = await start();
    const path = '/apis/build.openshift.io/v1/namespaces/team/buildconfigs/app/webhooks/s%2Fcret/github';
    expect((await fetch(`${url}${path}`, { method: 'POST', body: '{}' })).status).toBe(404);
    await server!.close();
    const routes: unknown[] = [];
    server = new ReceiverServer({
      port: 0, host: '127.0.0.1', log: silentLogger, maxBodyBytes: 1024, ready: () => true,
      deliver: async () => ({ status: 500, body: {} }),
      gitWebhook: async (route, _headers, body) => (routes.push({ route, body: body.toString() }), { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '6' } }),
    });
    const git = `http://127.0.0.1:${await server.listen()}${path}`;
    const response = await fetch(git, { method: 'POST', body: '{"ref":"refs/heads/main"}' });
    expect([response.status, response.headers.get('retry-after')]).toEqual([429, '6']);
    expect(routes).toEqual([{ route: { namespace: 'team', name: 'app', secret: 's/cret', type: 'github' }, body: '{"ref":"refs/heads/main"}' }]);
    expect((await fetch(git)).status).toBe(405);
    expect((await fetch(git, { method: 'POST', body: 'x'.repeat(2048) })).status).toBe(413);
    expect(routes).toHaveLength(1);
  });

  it('refuses other paths (404) and methods (405), unread', async () => {
    const { url, delivered } = await start();
    expect((await fetch(`${url}/hooks/Team/hub`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${url}/hooks/team`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${url}/hooks/team/hub/a/b`, { method: 'POST', body: '{}' })).status).toBe(404);
    const get = await fetch(`${url}/hooks/team/hub`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect(delivered).toEqual([]);
  });

  it('refuses a body over the limit with 413: from Content-Length before reading, and while reading a chunked one', async () => {
    const { url, delivered } = await start({ maxBodyBytes: 1024 });
    expect((await fetch(`${url}/hooks/team/hub`, { method: 'POST', body: 'x'.repeat(1025) })).status).toBe(413);
    const chunks = new ReadableStream({ start(c) { for (let i = 0; i < 8; i++) c.enqueue(new TextEncoder().encode('y'.repeat(200))); c.close(); } });
    expect((await fetch(`${url}/hooks/team/hub`, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit)).status).toBe(413);
    expect((await fetch(`${url}/hooks/team/hub`, { method: 'POST', body: 'x'.repeat(1024) })).status).toBe(202);
    expect(delivered).toHaveLength(1);
  });

  it('cuts a sender that never finishes its request', async () => {
    const { port, delivered } = await start({ requestTimeoutMs: 300 });
    const socket = net.connect(port, '127.0.0.1');
    socket.write('POST /hooks/team/hub HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"partial"');
    const closed = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(closed).toMatch(/^HTTP\/1\.1 408/);
    expect(delivered).toEqual([]);
  }, 10_000);

  it('serves /healthz always and /readyz once the caches are filled', async () => {
    const { url } = await start({ ready: false });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
  });
});
