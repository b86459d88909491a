import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, type Credentials } from '../../../lib/runtime/kube/credentials';
import { KubeApiError, TooManyRequestsError } from '../../../lib/runtime/kube/errors';
import { createTransport, type HttpTransport } from '../../../lib/runtime/kube/http';
import { sendJson, startWireServer, status, type WireServer } from './wire-server';

describe('createTransport over http', () => {
  let server: WireServer | undefined;
  let transport: HttpTransport | undefined;
  afterEach(async () => {
    transport?.close();
    await server?.close();
  });

  it('sends JSON with the credentials and parses the JSON answer', async () => {
    // GIVEN a server under a path prefix
    server = await startWireServer((_req, res) => sendJson(res, 201, { ok: true }));
    transport = createTransport({ server: `${server.url}/prefix/`, namespace: 'default', credentials: bearerToken('t0k') });
    // WHEN
    const answer = await transport.json({ method: 'POST', path: '/api/v1/x', body: { a: 1 }, contentType: 'application/merge-patch+json' });
    // THEN
    expect(answer).toEqual({ ok: true });
    const [request] = server.requests;
    expect(request.url).toBe('/prefix/api/v1/x');
    expect(request.headers.authorization).toBe('Bearer t0k');
    expect(request.headers['content-type']).toBe('application/merge-patch+json');
    expect(request.body).toBe('{"a":1}');
  });

  it('after a 401 refreshes the credentials and retries once, no more', async () => {
    // GIVEN a server that accepts only the token 'fresh'
    let token = 'stale';
    let invalidations = 0;
    const rotating: Credentials = { authorization: async () => `Bearer ${token}`, invalidate: () => void invalidations++ };
    server = await startWireServer((req, res) =>
      req.headers.authorization === 'Bearer fresh' ? sendJson(res, 200, { ok: 1 }) : sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized')),
    );
    transport = createTransport({ server: server.url, namespace: 'default', credentials: rotating });
    // WHEN the token never becomes valid THEN one retry, then the 401 surfaces
    await expect(transport.json({ method: 'GET', path: '/a' })).rejects.toThrowError('GET /a: 401 Unauthorized: Unauthorized');
    expect(server.requests).toHaveLength(2);
    // WHEN the token rotates in the meantime THEN the retry succeeds
    rotating.invalidate = () => {
      invalidations++;
      token = 'fresh';
    };
    await expect(transport.json({ method: 'GET', path: '/b' })).resolves.toEqual({ ok: 1 });
    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/a', '/b', '/b']);
    expect(invalidations).toBe(2);
  });

  it('maps 429 with Retry-After to TooManyRequestsError', async () => {
    server = await startWireServer((_req, res) => sendJson(res, 429, status(429, 'TooManyRequests', 'slow down'), { 'retry-after': '4' }));
    transport = createTransport({ server: server.url, namespace: 'default' });
    const error = await transport.json({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect((error as TooManyRequestsError).retryAfterSeconds).toBe(4);
  });

  it('gives up on a request that gets no answer within requestTimeoutMs', async () => {
    server = await startWireServer(() => {}); // never answers
    transport = createTransport({ server: server.url, namespace: 'default', requestTimeoutMs: 100 });
    await expect(transport.json({ method: 'GET', path: '/slow' })).rejects.toThrowError('GET /slow: no answer within 100 ms');
  });

  it('stops when the caller aborts', async () => {
    server = await startWireServer(() => {});
    transport = createTransport({ server: server.url, namespace: 'default' });
    const controller = new AbortController();
    const pending = transport.json({ method: 'GET', path: '/x', signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrowError('The operation was aborted');
  });

  it('returns the error answer of a stream request as a KubeApiError', async () => {
    server = await startWireServer((_req, res) => sendJson(res, 403, status(403, 'Forbidden', 'no watch for you')));
    transport = createTransport({ server: server.url, namespace: 'default' });
    const error = await transport.stream({ method: 'GET', path: '/w' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as Error).message).toBe('GET /w: 403 Forbidden: no watch for you');
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(hasOpenssl)('createTransport over https', () => {
  let dir: string;
  let server: https.Server;
  let url: string;
  const pem = (name: string) => readFileSync(join(dir, name));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

  beforeAll(async () => {
    // A CA that signs the server's certificate (for 127.0.0.1) and a client certificate.
    dir = mkdtempSync(join(tmpdir(), 'kube-tls-'));
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca');
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    for (const [name, cn, ext] of [['server', '127.0.0.1', ['-extfile', 'san.ext']], ['client', 'alice', []]] as const) {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', ...ext);
    }
    server = https.createServer({ key: pem('server.key'), cert: pem('server.crt'), ca: pem('ca.crt'), requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.end(JSON.stringify({ clientCN: peer?.subject?.CN ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('trusts the configured CA and presents the client certificate', async () => {
    const transport = createTransport({ server: url, namespace: 'default', ca: pem('ca.crt'), clientCert: pem('client.crt'), clientKey: pem('client.key') });
    await expect(transport.json({ method: 'GET', path: '/' })).resolves.toEqual({ clientCN: 'alice' });
    transport.close();
  });

  it('rejects a server whose CA it does not know, unless told to skip verification', async () => {
    const strict = createTransport({ server: url, namespace: 'default' });
    const insecure = createTransport({ server: url, namespace: 'default', insecureSkipTlsVerify: true });
    await expect(strict.json({ method: 'GET', path: '/' })).rejects.toThrowError('self-signed certificate in certificate chain');
    await expect(insecure.json({ method: 'GET', path: '/' })).resolves.toEqual({ clientCN: null });
    strict.close();
    insecure.close();
  });
});
