import { checkSecretName } from './checks';

const CA_BRAND = Symbol.for('cdk8s-imagestreams.RegistryCa');

/** A private CA bundle (PEM) that a registry's certificate chains to, from a ConfigMap or Secret of the build's namespace. */
export class RegistryCa {
  /**
   * A ConfigMap key, e.g. the `ca.crt` that `kubectl create configmap internal-ca --from-file=ca.crt` makes.
   * @param key @default 'ca.crt'
   */
  static fromConfigMap(name: string, key = 'ca.crt'): RegistryCa {
    return new RegistryCa('configMap', checkSecretName('RegistryCa.fromConfigMap():', 'name', name, 'ConfigMap'), checkKey('RegistryCa.fromConfigMap():', key));
  }

  /**
   * A Secret key, e.g. the `ca.crt` of a kubernetes.io/tls Secret that cert-manager writes.
   * @param key @default 'ca.crt'
   */
  static fromSecret(name: string, key = 'ca.crt'): RegistryCa {
    return new RegistryCa('secret', checkSecretName('RegistryCa.fromSecret():', 'name', name), checkKey('RegistryCa.fromSecret():', key));
  }

  static isRegistryCa(x: unknown): x is RegistryCa {
    return typeof x === 'object' && x !== null && CA_BRAND in x;
  }

  private constructor(readonly kind: 'configMap' | 'secret', readonly name: string, readonly key: string) {
    Object.defineProperty(this, CA_BRAND, { value: true });
  }
}

/** How builds talk to one registry. */
export interface RegistryTlsOptions {
  /**
   * Plain http, or https whose certificate is not verified — for this registry only (a
   * registries.conf `[[registry]] insecure = true` entry in the build step), never for the others.
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * A private CA that the registry's certificate chains to, trusted besides the system's for this
   * registry only (`certs.d/<host>/ca.crt` in the build step).
   * @default - the system's CAs
   */
  readonly ca?: RegistryCa;
}

/** The registries of one build, by host, resolved. */
export interface RegistryAccess {
  /** Hosts to reach over plain http or unverified https, sorted. */
  readonly insecure: readonly string[];
  /** CA bundle per host, sorted by host. */
  readonly cas: readonly { readonly host: string; readonly ca: RegistryCa }[];
}

/** `registry.example.com`, `localhost:5000`, `10.0.0.1:5000`, `[::1]:5000`: no scheme, path or user. */
const HOST = /^(?:[a-z0-9]([a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

export function checkRegistryHost(at: string, prop: string, host: string): string {
  if (!HOST.test(host)) {
    throw new Error(`${at} '${prop}' has '${host}', which is not a registry host: write it as image references do, host[:port] in lowercase without scheme or path, e.g. registry.example.com:5000`);
  }
  return host;
}

/**
 * Merges what the props say about registries: `registries` of the BuildConfig, and the output's
 * registry when it is insecure. A host given twice with different settings is refused.
 */
export function registryAccess(at: string, registries: Readonly<Record<string, RegistryTlsOptions>> | undefined, outputHost: { host: string; insecure: boolean }): RegistryAccess {
  const insecure = new Set<string>();
  const cas = new Map<string, RegistryCa>();
  for (const [host, options] of Object.entries(registries ?? {})) {
    checkRegistryHost(at, 'registries', host);
    if (typeof options !== 'object' || options === null) throw new Error(`${at} 'registries.${host}' must be { insecure?, ca? }`);
    for (const key of Object.keys(options)) {
      if (key !== 'insecure' && key !== 'ca') throw new Error(`${at} 'registries.${host}' has an unknown key '${key}': use insecure or ca`);
    }
    if (options.insecure !== undefined && typeof options.insecure !== 'boolean') throw new Error(`${at} 'registries.${host}.insecure' must be true or false`);
    if (options.ca !== undefined && !RegistryCa.isRegistryCa(options.ca)) {
      throw new Error(`${at} 'registries.${host}.ca' must be RegistryCa.fromConfigMap(name) or RegistryCa.fromSecret(name)`);
    }
    if (options.insecure) insecure.add(host);
    if (options.ca) cas.set(host, options.ca);
  }
  if (outputHost.insecure) insecure.add(outputHost.host);
  return {
    insecure: [...insecure].sort(),
    cas: [...cas].sort(([a], [b]) => (a < b ? -1 : 1)).map(([host, ca]) => ({ host, ca })),
  };
}

function checkKey(at: string, key: string): string {
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new Error(`${at} 'key' (${key}) is not a ConfigMap or Secret key: use letters, digits, '-', '_' and '.', e.g. ca.crt`);
  return key;
}
