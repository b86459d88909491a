import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A serving certificate and its key (PEM), with the CA that signed it. */
export interface ServingCert {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
}

/** A throwaway certificate authority for one test cluster (openssl; ECDSA P-256, valid a week). */
export interface TestCa {
  readonly caPem: string;
  readonly caCertPath: string;
  readonly caKeyPath: string;
  /** A serving certificate for `hosts` (IPs and DNS names; the first one is the CN), signed by this CA. */
  issueServingCert(hosts: readonly string[]): ServingCert;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Creates the CA's files in `dir`. */
export function createTestCa(dir: string): TestCa {
  mkdirSync(dir, { recursive: true });
  const caCertPath = join(dir, 'ca.crt');
  const caKeyPath = join(dir, 'ca.key');
  const caConfig = join(dir, 'ca.cnf');
  // Our own config, so the system's openssl.cnf adds nothing.
  writeFileSync(
    caConfig,
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      'x509_extensions = v3_ca',
      '[dn]',
      'CN = cdk8s-imagestreams test CA',
      '[v3_ca]',
      'basicConstraints = critical,CA:TRUE',
      'keyUsage = critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier = hash',
      '',
    ].join('\n'),
  );
  openssl(['req', '-x509', ...EC, '-config', caConfig, '-days', '7', '-keyout', caKeyPath, '-out', caCertPath]);
  const caPem = readFileSync(caCertPath, 'utf8');
  let issued = 0;

  return {
    caPem,
    caCertPath,
    caKeyPath,
    issueServingCert(hosts) {
      if (hosts.length === 0) throw new Error('issueServingCert: name at least one host');
      const base = join(dir, `serving-${++issued}`);
      const san = hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
      writeFileSync(
        `${base}.cnf`,
        [
          '[req]',
          'distinguished_name = dn',
          'prompt = no',
          'x509_extensions = v3_serving',
          '[dn]',
          `CN = ${hosts[0]}`,
          '[v3_serving]',
          'basicConstraints = critical,CA:FALSE',
          'keyUsage = critical,digitalSignature,keyEncipherment',
          'extendedKeyUsage = serverAuth',
          `subjectAltName = ${san}`,
          'authorityKeyIdentifier = keyid',
          '',
        ].join('\n'),
      );
      openssl([
        'req', '-x509', ...EC, '-config', `${base}.cnf`, '-days', '7',
        '-CA', caCertPath, '-CAkey', caKeyPath, '-set_serial', `0x${randomBytes(8).toString('hex')}`,
        '-keyout', `${base}.key`, '-out', `${base}.crt`,
      ]);
      return { certPem: readFileSync(`${base}.crt`, 'utf8'), keyPem: readFileSync(`${base}.key`, 'utf8'), caPem };
    },
  };
}

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed (scripts/install-test-deps.sh installs openssl): ${stderr || (e as Error).message}`);
  }
}
