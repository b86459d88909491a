/**
 * The controller's command as the System synthesizes it by default, for the controller bench: the
 * node flags and the controller's arguments, so that the bench measures what is shipped.
 */
import { App, Chart } from 'cdk8s';
import { ImageStream, System } from '../constructs';
import { DEFAULT_DEBOUNCE_SECONDS } from '../lib/runtime/controller/command';

export interface ShippedCommand {
  /** Between `node` and the script. */
  readonly nodeFlags: string[];
  /** After `controller`, without `--namespaces` and `--lease-namespace` (the bench's own: all, and its namespace). */
  readonly args: string[];
  /** The settings in words, for the bench's notes. */
  readonly describe: string;
}

interface Container {
  command: string[];
  env?: { name: string; value?: string }[];
  resources?: { requests?: { memory?: string }; limits?: { memory?: string } };
}

export function shippedControllerCommand(): ShippedCommand {
  const app = new App();
  new System(app, 'imagestreams', {});
  new ImageStream(new Chart(app, 'bench', { namespace: 'bench' }), 's');
  const objects = app.charts.flatMap((chart) => chart.toJson() as { kind: string; metadata: { name: string }; spec?: { template: { spec: { containers: Container[] } } } }[]);
  const workload = objects.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name === 'imagestreams-controller');
  if (!workload) throw new Error('the System synthesized no controller');
  const container = workload.spec!.template.spec.containers[0];
  const command = container.command;
  const script = command.findIndex((part) => part.endsWith('.js'));
  const rest = command.slice(command.indexOf('controller') + 1);
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--namespaces' || rest[i] === '--lease-namespace') i++;
    else args.push(rest[i]);
  }
  const workers = args[args.indexOf('--workers') + 1];
  const memory = container.resources;
  // NODE_OPTIONS (the heap cap) as flags of node itself: the same for V8.
  const nodeOptions = container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value?.split(' ').filter(Boolean) ?? [];
  return {
    nodeFlags: [...nodeOptions, ...command.slice(1, script)],
    args,
    describe: `${workers} workers, debounce ${DEFAULT_DEBOUNCE_SECONDS} s (its defaults); the pod's memory request ${memory?.requests?.memory} and limit ${memory?.limits?.memory}${nodeOptions.length ? `, node ${nodeOptions.join(' ')}` : ''}`,
  };
}
