import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** `http://127.0.0.1:PORT` — a repository `<root>/x` is at `${url}/x`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Splits a CGI answer into status, headers and body. */
function writeCgiResponse(output: Buffer, res: http.ServerResponse): void {
  const end = output.indexOf('\r\n\r\n');
  const headerText = output.subarray(0, end).toString('latin1');
  let status = 200;
  for (const line of headerText.split('\r\n')) {
    const [name, ...rest] = line.split(':');
    const value = rest.join(':').trim();
    if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
    else res.setHeader(name, value);
  }
  res.statusCode = status;
  res.end(output.subarray(end + 4));
}

/**
 * Serves the repositories under `root` over smart HTTP with git's own `git http-backend`,
 * behind basic auth: the real protocol a git-fetch step talks to https hosts.
 */
export async function startGitHttpServer(root: string, user: string, password: string): Promise<GitHttpServer> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const backend = spawn('git', ['http-backend'], {
      env: {
        GIT_PROJECT_ROOT: root, GIT_HTTP_EXPORT_ALL: '1', PATH: process.env.PATH,
        REQUEST_METHOD: req.method, PATH_INFO: url.pathname, QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '', REMOTE_USER: user, REMOTE_ADDR: '127.0.0.1',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''), HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      },
    });
    const chunks: Buffer[] = [];
    backend.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    backend.on('close', () => writeCgiResponse(Buffer.concat(chunks), res));
    req.pipe(backend.stdin);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
