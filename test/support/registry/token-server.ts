import { randomUUID, sign } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSigningIdentity, SigningIdentity } from './signing-identity';

export interface TokenServerOptions {
  /** The `iss` claim; the registry's `auth.token.issuer`. */
  readonly issuer: string;
  /** The `aud` claim; the registry's `auth.token.service`. */
  readonly service: string;
  /** user name → password. */
  readonly users: Readonly<Record<string, string>>;
  /** Anonymous requests get pull access (like Docker Hub's public images). @default false */
  readonly anonymousPull?: boolean;
  /** The `expires_in` of each token. @default 300 */
  readonly expiresInSeconds?: number;
}

/** A token request as the server saw it. */
export interface TokenRequestRecord {
  /** The authenticated user; undefined for anonymous requests. */
  readonly account?: string;
  readonly service: string | null;
  readonly scopes: readonly string[];
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT/token`: the registry's `auth.token.realm`. */
  readonly realm: string;
  readonly issuer: string;
  readonly service: string;
  /** The registry's `auth.token.rootcertbundle`. */
  readonly certificatePath: string;
  /** Every token request answered (including refused ones), oldest first. */
  readonly requests: readonly TokenRequestRecord[];
  close(): Promise<void>;
}

interface Access {
  readonly type: string;
  readonly name: string;
  readonly actions: string[];
}

/**
 * A token server as in the distribution token spec: GET ?service=&scope= with optional basic auth
 * answers {token, access_token, expires_in, issued_at}; tokens are RS256 JWTs whose header carries
 * the self-signed issuer certificate in `x5c`.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'token-server-'));
  const identity = await createSigningIdentity(dir, options.issuer);
  const requests: TokenRequestRecord[] = [];
  const server = http.createServer((req, res) => answer(req, res, options, identity, requests));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    issuer: options.issuer,
    service: options.service,
    certificatePath: identity.certificatePath,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

function answer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: TokenServerOptions,
  identity: SigningIdentity,
  requests: TokenRequestRecord[],
): void {
  const url = new URL(req.url ?? '/', 'http://token-server');
  const account = basicUser(req.headers.authorization, options.users);
  const scopes = url.searchParams.getAll('scope');
  requests.push({ account: account ?? undefined, service: url.searchParams.get('service'), scopes });
  if (account === null) return reply(res, 401, { details: 'incorrect username or password' });
  if (url.searchParams.get('service') !== options.service) return reply(res, 400, { details: 'unknown service' });
  const access = scopes.map(parseScope).filter((a): a is Access => a !== undefined);
  const granted = account !== undefined ? access : options.anonymousPull ? onlyPull(access) : [];
  const expiresIn = options.expiresInSeconds ?? 300;
  const token = signToken(options, identity, account ?? '', granted, expiresIn);
  reply(res, 200, { token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() });
}

/** The user name for valid basic credentials, undefined without any, null for wrong ones. */
function basicUser(authorization: string | undefined, users: Readonly<Record<string, string>>): string | null | undefined {
  if (!authorization) return undefined;
  const match = /^Basic\s+(.+)$/i.exec(authorization);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  return colon > 0 && Object.hasOwn(users, user) && users[user] === decoded.slice(colon + 1) ? user : null;
}

/** `repository:foo/bar:pull,push` (names may not contain ':', except a registry port we don't use). */
function parseScope(scope: string): Access | undefined {
  const parts = scope.split(':');
  if (parts.length < 3) return undefined;
  const actions = parts.pop()!.split(',').filter(Boolean);
  const [type, ...name] = parts;
  return { type, name: name.join(':'), actions };
}

function onlyPull(access: readonly Access[]): Access[] {
  return access.map((a) => ({ ...a, actions: a.actions.filter((action) => action === 'pull') }));
}

function signToken(options: TokenServerOptions, identity: SigningIdentity, subject: string, access: Access[], expiresIn: number): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', x5c: [identity.certificateDerBase64] };
  const claims = {
    iss: options.issuer, sub: subject, aud: options.service,
    exp: now + expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access,
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), identity.privateKeyPem);
  return `${input}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function reply(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
