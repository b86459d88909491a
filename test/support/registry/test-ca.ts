import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { run } from './exec';

/** A private CA and a server certificate it signed, PEM files in `dir`. */
export interface TestCa {
  /** The CA's certificate: what a client must trust. */
  readonly caCertificate: string;
  /** The server's certificate and key, for the registry's `tls`. */
  readonly certificate: string;
  readonly key: string;
}

/**
 * Makes a CA (RSA 2048, one day) and a certificate for 127.0.0.1 and localhost signed by it, with
 * openssl, so that a registry can serve https that nothing trusts unless told to.
 */
export async function makeTestCa(dir: string, name = 'test'): Promise<TestCa> {
  await fs.mkdir(dir, { recursive: true });
  const file = (f: string) => path.join(dir, `${name}-${f}`);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name} test CA`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', file('ca.key'), '-out', file('ca.crt')]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr')]);
  await fs.writeFile(file('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  await run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '1', '-extfile', file('ext.cnf'), '-out', file('server.crt')]);
  return { caCertificate: file('ca.crt'), certificate: file('server.crt'), key: file('server.key') };
}
