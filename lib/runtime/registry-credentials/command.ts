import { parseArgs } from 'node:util';
import type { RuntimeCommand } from '../command';
import { createClient } from '../kube/client';
import type { KubeClientConfig } from '../kube/config';
import { runtimeKubeConfig } from '../runtime-config';
import { ensureRegistryCredentials, type CredentialsPlan } from './ensure-credentials';

const USAGE = 'usage: imagestreams-runtime registry-credentials --namespace NS --auth-secret NAME --docker-config-secret NAME --hosts H1,H2 [--namespaces A,B] [--label k=v ...]\n';

export interface RegistryCredentialsCommandDeps {
  /** @default runtimeKubeConfig (the pod's service account, or IMAGESTREAMS_KUBECONFIG) */
  readonly loadConfig?: () => KubeClientConfig | Promise<KubeClientConfig>;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/**
 * `registry-credentials`: what the in-cluster registry's Job runs. Makes the registry's password
 * once and a dockerconfigjson Secret with it in each namespace; prints what it did, never a secret.
 */
export function createRegistryCredentialsCommand(deps: RegistryCredentialsCommandDeps = {}): RuntimeCommand {
  const out = deps.stdout ?? ((t: string) => void process.stdout.write(t));
  const err = deps.stderr ?? ((t: string) => void process.stderr.write(t));
  return {
    name: 'registry-credentials',
    async run(argv) {
      const plan = parseCredentialsArgs(argv);
      if (typeof plan === 'string') return err(`${plan}\n${USAGE}`), 2;
      const kube = createClient(await (deps.loadConfig ?? runtimeKubeConfig)());
      try {
        const report = await ensureRegistryCredentials(kube, plan);
        out(`${plan.namespace}/${plan.authSecret}: password ${report.password}\n`);
        for (const [namespace, what] of Object.entries(report.secrets)) out(`${namespace}/${plan.dockerConfigSecret}: ${what}\n`);
        return 0;
      } catch (error) {
        return err(`error: ${(error as Error).message}\n`), 1;
      } finally {
        kube.close();
      }
    },
  };
}

const list = (value: string | undefined) => (value ?? '').split(',').filter((item) => item !== '');

/** The arguments, or the reason they are wrong. */
export function parseCredentialsArgs(argv: string[]): CredentialsPlan | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        namespace: { type: 'string' }, 'auth-secret': { type: 'string' }, 'docker-config-secret': { type: 'string' },
        hosts: { type: 'string' }, namespaces: { type: 'string' }, label: { type: 'string', multiple: true },
      },
      strict: true,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  const { namespace, 'auth-secret': authSecret, 'docker-config-secret': dockerConfigSecret } = values;
  if (!namespace || !authSecret || !dockerConfigSecret) return '--namespace, --auth-secret and --docker-config-secret are required';
  const hosts = list(values.hosts);
  if (hosts.length === 0) return '--hosts must name at least one registry address';
  const labels: Record<string, string> = {};
  for (const item of values.label ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) return `--label must be key=value, not '${item}'`;
    labels[item.slice(0, at)] = item.slice(at + 1);
  }
  return { namespace, authSecret, dockerConfigSecret, hosts, namespaces: list(values.namespaces), labels };
}
