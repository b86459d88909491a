import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { run } from './exec';

/** An RSA key and its self-signed certificate, made by the openssl CLI. */
export interface SigningIdentity {
  readonly privateKeyPem: string;
  /** Where the certificate is on disk: the registry's `rootcertbundle`. */
  readonly certificatePath: string;
  /** base64 (standard, not url) DER, as a JWS `x5c` entry holds it. */
  readonly certificateDerBase64: string;
}

/** Writes key.pem and cert.pem into `dir`. */
export async function createSigningIdentity(dir: string, commonName: string): Promise<SigningIdentity> {
  const keyPath = path.join(dir, 'key.pem');
  const certificatePath = path.join(dir, 'cert.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', `/CN=${commonName}`, '-keyout', keyPath, '-out', certificatePath,
  ]);
  const certificate = new X509Certificate(await fs.readFile(certificatePath));
  return {
    privateKeyPem: await fs.readFile(keyPath, 'utf8'),
    certificatePath,
    certificateDerBase64: certificate.raw.toString('base64'),
  };
}
