import { verify, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { basic, rawRequest } from './http-probe';
import { startTokenServer, TokenServer } from './token-server';

let server: TokenServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function decode(token: string) {
  const [header, claims, signature] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')),
    signingInput: `${header}.${claims}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

describe('startTokenServer', () => {
  it('issues an RS256 JWT with x5c, signed by the certificate it publishes, granting what a user asks', async () => {
    // GIVEN a token server with one user
    server = await startTokenServer({ issuer: 'iss-1', service: 'svc-1', users: { alice: 'secret' } });
    // WHEN alice asks for pull,push on a repository
    const url = `${server.realm}?service=svc-1&scope=${encodeURIComponent('repository:foo/bar:pull,push')}`;
    const response = await rawRequest('GET', url, { authorization: basic('alice', 'secret') });
    // THEN the token carries the claims the registry checks, and its signature verifies with the certificate
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body);
    expect(body.expires_in).toBe(300);
    expect(body.access_token).toBe(body.token);
    const jwt = decode(body.token);
    const certificate = new X509Certificate(await fs.readFile(server.certificatePath));
    expect(jwt.header).toEqual({ alg: 'RS256', typ: 'JWT', x5c: [certificate.raw.toString('base64')] });
    expect(jwt.claims).toMatchObject({
      iss: 'iss-1', sub: 'alice', aud: 'svc-1',
      access: [{ type: 'repository', name: 'foo/bar', actions: ['pull', 'push'] }],
    });
    expect(jwt.claims.exp - jwt.claims.iat).toBe(300);
    expect(verify('sha256', Buffer.from(jwt.signingInput), certificate.publicKey, jwt.signature)).toBe(true);
    expect(server.requests).toEqual([{ account: 'alice', service: 'svc-1', scopes: ['repository:foo/bar:pull,push'] }]);
  });

  it('refuses a wrong password with 401', async () => {
    // GIVEN a token server
    server = await startTokenServer({ issuer: 'i', service: 's', users: { alice: 'secret' } });
    // WHEN the password is wrong
    const response = await rawRequest('GET', `${server.realm}?service=s&scope=repository:a:pull`, { authorization: basic('alice', 'nope') });
    // THEN it is refused
    expect(response.status).toBe(401);
  });

  it('grants anonymous clients nothing, or only pull with anonymousPull', async () => {
    // GIVEN two token servers, one allowing anonymous pulls
    server = await startTokenServer({ issuer: 'i', service: 's', users: {} });
    const open = await startTokenServer({ issuer: 'i', service: 's', users: {}, anonymousPull: true });
    try {
      // WHEN an anonymous client asks both for pull,push
      const query = `?service=s&scope=${encodeURIComponent('repository:a/b:pull,push')}`;
      const closed = decode(JSON.parse((await rawRequest('GET', server.realm + query)).body).token);
      const opened = decode(JSON.parse((await rawRequest('GET', open.realm + query)).body).token);
      // THEN the first grants nothing and the second only pull
      expect(closed.claims.access).toEqual([]);
      expect(closed.claims.sub).toBe('');
      expect(opened.claims.access).toEqual([{ type: 'repository', name: 'a/b', actions: ['pull'] }]);
    } finally {
      await open.close();
    }
  });
});
