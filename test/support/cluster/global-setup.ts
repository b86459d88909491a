import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { ClusterInfo } from './client';
import { startCluster, type Cluster } from './start-cluster';

/**
 * vitest globalSetup: ONE real cluster for the whole run, started on first use.
 *
 * The setup itself only starts a tiny broker on loopback and provides its address; the first test
 * that calls useCluster()/getCluster() (test/support/cluster/index.ts) asks the broker, which then
 * starts the cluster (and installs Tekton into it, see ./tekton) and answers every later request
 * with the same connection info. Runs that touch no cluster pay nothing, and don't need the
 * binaries; runs that do fail loudly when they are missing (no stand-in fallback).
 */

export interface ClusterBroker {
  readonly url: string;
  readonly secret: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    imagestreamsClusterBroker: ClusterBroker;
  }
}

interface Tekton {
  stop(): Promise<void>;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const secret = randomBytes(16).toString('hex');
  let cluster: Cluster | undefined;
  let tekton: Tekton | undefined;
  let starting: Promise<ClusterInfo> | undefined;

  const start = async (): Promise<ClusterInfo> => {
    cluster = await startCluster({ log: (line) => console.log(`[cluster] ${line}`) });
    tekton = await installTektonIfPresent(cluster);
    return cluster.info();
  };

  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${secret}` || req.url !== '/cluster') {
      res.writeHead(404).end();
      return;
    }
    starting ??= start();
    starting.then(
      (info) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info)),
      (e: unknown) =>
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e instanceof Error ? e.message : String(e) })),
    );
  });
  // Starting the cluster can take a while; the test side waits as long as its hook allows.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  project.provide('imagestreamsClusterBroker', { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, secret });

  return async () => {
    server.close();
    try {
      await tekton?.stop();
    } finally {
      await cluster?.stop();
    }
  };
}

/**
 * Installs Tekton (CRDs and its admission) with ./tekton's installTekton when that module exists;
 * that is the only part that may be absent.
 */
async function installTektonIfPresent(cluster: Cluster): Promise<Tekton | undefined> {
  const path = join(__dirname, 'tekton.ts');
  if (!existsSync(path)) return undefined;
  const started = Date.now();
  const mod = (await import(path)) as {
    installTekton(cluster: Cluster): Promise<Tekton>;
  };
  const tekton = await mod.installTekton(cluster);
  console.log(`[cluster] Tekton installed (${Date.now() - started} ms)`);
  return tekton;
}
