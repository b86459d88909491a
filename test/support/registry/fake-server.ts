import * as http from 'node:http';
import * as net from 'node:net';

/** A request as the fake server received it. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface FakeServer {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: readonly FakeRequest[];
  close(): Promise<void>;
}

/** Answers a request; `index` counts requests from 0. Leaving `res` open simulates a hung server. */
export type FakeHandler = (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void;

/**
 * A node:http server for fault injection only (429, 5xx, hung responses, wrong digests): what the
 * real registry cannot be made to do. Everything else is tested against the real registry.
 */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    handler(req, res, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
