import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadKubeconfig } from '../../../lib/runtime/kube/kubeconfig';

const cluster = (name: string, fields: object) => ({ name, cluster: fields });
const user = (name: string, fields: object) => ({ name, user: fields });
const context = (name: string, fields: object) => ({ name, context: fields });

describe('loadKubeconfig', () => {
  let dir: string;
  const write = (name: string, doc: object) => {
    const path = join(dir, name);
    writeFileSync(path, stringify({ apiVersion: 'v1', kind: 'Config', ...doc }));
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes server, namespace and token of the current context', async () => {
    // GIVEN
    const path = write('config', {
      clusters: [cluster('dev', { server: 'https://dev.example:6443', 'insecure-skip-tls-verify': true })],
      users: [user('alice', { token: 'alice-token' })],
      contexts: [context('dev', { cluster: 'dev', user: 'alice', namespace: 'team-a' })],
      'current-context': 'dev',
    });
    // WHEN
    const config = loadKubeconfig({ path });
    // THEN
    expect(config.server).toBe('https://dev.example:6443');
    expect(config.namespace).toBe('team-a');
    expect(config.insecureSkipTlsVerify).toBe(true);
    expect(await config.credentials?.authorization()).toBe('Bearer alice-token');
  });

  it('uses the context passed over the current one, and namespace default when the context has none', () => {
    const path = write('config', {
      clusters: [cluster('a', { server: 'http://a:8080' }), cluster('b', { server: 'http://b:8080' })],
      contexts: [context('a', { cluster: 'a' }), context('b', { cluster: 'b' })],
      'current-context': 'a',
    });
    const config = loadKubeconfig({ path, context: 'b' });
    expect(config.server).toBe('http://b:8080');
    expect(config.namespace).toBe('default');
  });

  it('merges $KUBECONFIG files: the first to define a name or current-context wins', async () => {
    // GIVEN two files that both define cluster 'shared' and user 'u'
    const first = write('first', {
      clusters: [cluster('shared', { server: 'https://first:6443' })],
      users: [user('u', { token: 'from-first' })],
    });
    const second = write('second', {
      clusters: [cluster('shared', { server: 'https://second:6443' })],
      users: [user('u', { token: 'from-second' })],
      contexts: [context('ctx', { cluster: 'shared', user: 'u', namespace: 'ns2' })],
      'current-context': 'ctx',
    });
    // WHEN loaded through KUBECONFIG, with a missing file in the list
    const config = loadKubeconfig({ env: { KUBECONFIG: `${join(dir, 'missing')}:${first}:${second}` } });
    // THEN
    expect(config.server).toBe('https://first:6443');
    expect(config.namespace).toBe('ns2');
    expect(await config.credentials?.authorization()).toBe('Bearer from-first');
  });

  it('picks the same server, namespace and token as the real kubectl for merged files', async () => {
    const first = write('first', {
      clusters: [cluster('shared', { server: 'https://first:6443' })],
      users: [user('u', { token: 'from-first' })],
      contexts: [context('ctx', { cluster: 'shared', user: 'u', namespace: 'ns1' })],
    });
    const second = write('second', {
      clusters: [cluster('shared', { server: 'https://second:6443' })],
      users: [user('u', { token: 'from-second' })],
      contexts: [context('ctx', { cluster: 'shared', user: 'u', namespace: 'ns2' })],
      'current-context': 'ctx',
    });
    const KUBECONFIG = `${first}:${second}`;
    const view = JSON.parse(
      execFileSync('kubectl', ['config', 'view', '--minify', '--raw', '-o', 'json'], { env: { ...process.env, KUBECONFIG } }).toString(),
    );
    const config = loadKubeconfig({ env: { KUBECONFIG } });
    expect(config.server).toBe(view.clusters[0].cluster.server);
    expect(config.namespace).toBe(view.contexts[0].context.namespace);
    expect(await config.credentials?.authorization()).toBe(`Bearer ${view.users[0].user.token}`);
  });

  it('reads certificate files relative to their kubeconfig, and -data fields before files', () => {
    mkdirSync(join(dir, 'certs'));
    writeFileSync(join(dir, 'certs', 'ca.pem'), 'CA FROM FILE');
    writeFileSync(join(dir, 'certs', 'client.pem'), 'CERT FROM FILE');
    const path = write('config', {
      clusters: [cluster('c', { server: 'https://c', 'certificate-authority': 'certs/ca.pem' })],
      users: [
        user('u', {
          'client-certificate': 'certs/client.pem',
          'client-key': 'certs/absent.pem',
          'client-key-data': Buffer.from('KEY FROM DATA').toString('base64'),
        }),
      ],
      contexts: [context('c', { cluster: 'c', user: 'u' })],
      'current-context': 'c',
    });
    const config = loadKubeconfig({ path });
    expect(String(config.ca)).toBe('CA FROM FILE');
    expect(String(config.clientCert)).toBe('CERT FROM FILE');
    expect(String(config.clientKey)).toBe('KEY FROM DATA');
  });

  it('supports tokenFile, basic auth and exec users', async () => {
    writeFileSync(join(dir, 'token'), 'file-token\n');
    writeFileSync(join(dir, 'plugin.sh'), `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-'"$1"'"}}'\n`);
    chmodSync(join(dir, 'plugin.sh'), 0o755);
    const path = write('config', {
      clusters: [cluster('c', { server: 'https://c' })],
      users: [
        user('file', { tokenFile: 'token' }),
        user('basic', { username: 'bob', password: 'pw' }),
        user('exec', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './plugin.sh', args: ['abc'] } }),
      ],
      contexts: ['file', 'basic', 'exec'].map((name) => context(name, { cluster: 'c', user: name })),
    });
    const auth = (name: string) => loadKubeconfig({ path, context: name }).credentials?.authorization();
    expect(await auth('file')).toBe('Bearer file-token');
    expect(await auth('basic')).toBe(`Basic ${Buffer.from('bob:pw').toString('base64')}`);
    expect(await auth('exec')).toBe('Bearer exec-abc');
  });

  it('falls back to ~/.kube/config', () => {
    mkdirSync(join(dir, '.kube'));
    write('.kube/config', { clusters: [cluster('c', { server: 'http://home' })], contexts: [context('c', { cluster: 'c' })], 'current-context': 'c' });
    expect(loadKubeconfig({ env: { HOME: dir } }).server).toBe('http://home');
  });

  it('says what is missing', () => {
    const path = write('config', {
      clusters: [cluster('c', {})],
      contexts: [context('no-cluster', { cluster: 'gone' }), context('no-user', { cluster: 'c', user: 'gone' }), context('no-server', { cluster: 'c' })],
    });
    const where = `in kubeconfig (${path})`;
    expect(() => loadKubeconfig({ path: join(dir, 'nope') })).toThrowError(`no kubeconfig found (looked at ${join(dir, 'nope')})`);
    expect(() => loadKubeconfig({ path })).toThrowError(`kubeconfig has no current-context: set one or pass a context (${path})`);
    expect(() => loadKubeconfig({ path, context: 'x' })).toThrowError(`context 'x' not found ${where}`);
    expect(() => loadKubeconfig({ path, context: 'no-cluster' })).toThrowError(`cluster 'gone' of context 'no-cluster' not found ${where}`);
    expect(() => loadKubeconfig({ path, context: 'no-user' })).toThrowError(`user 'gone' of context 'no-user' not found ${where}`);
    expect(() => loadKubeconfig({ path, context: 'no-server' })).toThrowError(`cluster 'c' has no server ${where}`);
  });
});
