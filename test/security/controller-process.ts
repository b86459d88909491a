/**
 * The controller as the System's Deployment runs it: the `controller` command with the arguments of
 * the synthesized Deployment, and a TokenRequest token of the ServiceAccount it names.
 */
import { createControllerCommand } from '../../lib/runtime/controller/command';
import type { Logger } from '../../lib/runtime/machinery/logger';
import { runtimeKubeConfig } from '../../lib/runtime/runtime-config';
import type { ClusterClient } from '../support/cluster';
import type { SynthesizedApp } from '../support/synth-app';

export interface ControllerPod {
  /** The System's namespace: the Deployment's, its ServiceAccount's, its Lease's. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The arguments after `controller` in the container's command. */
  readonly argv: string[];
}

/** What the synthesized controller Deployment runs, and as whom. */
export function controllerPod(app: SynthesizedApp): ControllerPod {
  const deployment = app.one('Deployment', 'imagestreams-controller');
  const pod = deployment.spec.template.spec;
  const command: string[] = pod.containers[0].command;
  return { namespace: deployment.metadata.namespace!, serviceAccount: pod.serviceAccountName, argv: command.slice(command.indexOf('controller') + 1) };
}

export interface RunningController {
  /** Stops it as SIGTERM would; its exit code. */
  stop(): Promise<number>;
}

/**
 * Runs the controller command of `pod` with a token of its ServiceAccount, through `server` (the
 * apiserver, or an audit in front of it: anything with `kubeconfigFor(token, namespace)`); no
 * debounce, so that tests need not wait for image changes to settle.
 */
export async function startController(cluster: ClusterClient, pod: ControllerPod, options: {
  identity: string;
  log: Logger;
  server?: { kubeconfigFor(token: string, namespace: string): string };
}): Promise<RunningController> {
  const token = await cluster.tokenFor(pod.namespace, pod.serviceAccount);
  const kubeconfig = options.server ? options.server.kubeconfigFor(token, pod.namespace) : cluster.kubeconfigFor(token, { namespace: pod.namespace });
  const abort = new AbortController();
  const exit = createControllerCommand({ loadConfig: () => runtimeKubeConfig({ IMAGESTREAMS_KUBECONFIG: kubeconfig }), log: options.log, signal: abort.signal })
    .run([...pod.argv, '--identity', options.identity, '--debounce-seconds', '0']);
  return { stop: async () => (abort.abort(), exit) };
}

/** A log kept as lines (`level message {fields}`), to look for refusals and failures. */
export function memoryLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, msg, fields = {}) => void lines.push(`${level} ${msg} ${JSON.stringify(fields)}`) };
}

/** Polls `check` until it stops throwing; rethrows its last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
