/**
 * The in-cluster registry's garbage collection, as the System's registry objects (which emit the
 * registry's pod) and the runtime's `registry-gc` command (which switches that pod into maintenance
 * and back) agree on it.
 *
 * distribution's `registry garbage-collect` is stop-the-world: nothing may write to the storage while
 * it marks and sweeps, or a blob pushed meanwhile can be swept from under a new manifest. So the GC
 * runs inside the registry's own pod (the only pod that may mount its ReadWriteOnce volume) while the
 * registry container serves read-only (`storage.maintenance.readonly`: pulls work, pushes get 405):
 * the command rewrites the Deployment's pod template to that mode, waits for the new pod's GC
 * container to report, and writes the serving template back, whatever happened.
 */

/** The registry container's name in the pod template. */
export const REGISTRY_CONTAINER = 'registry';
/** The container that runs the GC in maintenance mode. */
export const GC_CONTAINER = 'garbage-collect';
/** distribution's read-only switch (storage.maintenance.readonly), as an environment override. */
export const READONLY_ENV = Object.freeze({ name: 'REGISTRY_STORAGE_MAINTENANCE_READONLY', value: '{"enabled":true}' });
/** On the maintenance pod template: the GC run it belongs to, so that its pod is told from an older one. */
export const MAINTENANCE_ANNOTATION = 'imagestreams.dev/registry-maintenance';
/** The registry image's own configuration file; the REGISTRY_* variables override it. */
export const REGISTRY_CONFIG_PATH = '/etc/docker/registry/config.yml';
/** Where the GC container writes its exit status (the registry's /tmp emptyDir). */
export const GC_STATUS_DIR = '/tmp';

/** distribution's storage root in the registry image, where the System mounts the volume. */
export const REGISTRY_STORAGE_ROOT = '/var/lib/registry';
/** Where the kubelet takes a container's termination message from. */
export const TERMINATION_LOG = '/dev/termination-log';

/**
 * The GC container's script: `$1` the config file, `$2` a writable directory that lives as long as
 * the pod, `$3` the storage root, `$4` the termination log. It runs the GC once (keeping untagged
 * manifests: stream histories pin images by digest, untagged), then exits 0 with the volume's
 * `df -Pk` line as its termination message, which is how the command learns the outcome and how
 * full the storage is. The kubelet restarts it (a Deployment's containers always restart): the
 * restarted container finds the recorded success and only waits. A failure exits non-zero with the
 * GC's last output as the message, and is retried by the restart until the command gives up.
 */
export const GC_SCRIPT = [
  'if [ "$(cat "$2/gc-status" 2>/dev/null)" = 0 ]; then while :; do sleep 3600; done; fi',
  'if ! registry garbage-collect "$1" > "$2/gc.log" 2>&1; then tail -c 2048 "$2/gc.log" > "$4"; exit 1; fi',
  'echo 0 > "$2/gc-status"',
  'df -Pk "$3" | tail -n 1 > "$4"',
].join('\n');

/** A `df -Pk` line: the volume's used and available bytes; undefined when it is not one. */
export function parseDfLine(line: string): { usedBytes: number; availableBytes: number } | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 6 || !/^\d+$/.test(fields[2]) || !/^\d+$/.test(fields[3])) return undefined;
  return { usedBytes: Number(fields[2]) * 1024, availableBytes: Number(fields[3]) * 1024 };
}

/** How full the registry's volume may get before a Warning (StreamRegistry.inCluster({ storageWarningPercent })). */
export const DEFAULT_STORAGE_WARNING_PERCENT = 80;

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  [key: string]: unknown;
}

export interface PodTemplate {
  metadata?: { annotations?: Record<string, string>; [key: string]: unknown };
  spec: { containers: Container[]; [key: string]: unknown };
}

/** The registry's pod template in maintenance: the registry read-only, a GC container beside it, the run named. */
export function maintenanceTemplate(serving: PodTemplate, run: string): PodTemplate {
  const base = servingTemplate(serving);
  const registry = base.spec.containers.find((c) => c.name === REGISTRY_CONTAINER);
  if (!registry) throw new Error(`the registry's pod template has no container named '${REGISTRY_CONTAINER}'`);
  const gc: Container = {
    ...registry,
    name: GC_CONTAINER,
    command: ['/bin/sh', '-c', GC_SCRIPT, GC_CONTAINER, REGISTRY_CONFIG_PATH, GC_STATUS_DIR, REGISTRY_STORAGE_ROOT, TERMINATION_LOG],
    args: undefined,
    ports: undefined,
    livenessProbe: undefined,
    readinessProbe: undefined,
  };
  const readOnly = { ...registry, env: [...(registry.env ?? []), { ...READONLY_ENV }] };
  return {
    ...base,
    metadata: { ...base.metadata, annotations: { ...base.metadata?.annotations, [MAINTENANCE_ANNOTATION]: run } },
    spec: { ...base.spec, containers: [...base.spec.containers.map((c) => (c === registry ? readOnly : c)), dropUndefined(gc)] },
  };
}

/** The registry's pod template serving again: no GC container, no read-only switch, no run annotation. */
export function servingTemplate(template: PodTemplate): PodTemplate {
  const annotations = { ...template.metadata?.annotations };
  delete annotations[MAINTENANCE_ANNOTATION];
  const containers = template.spec.containers
    .filter((c) => c.name !== GC_CONTAINER)
    .map((c) => (c.name === REGISTRY_CONTAINER && c.env ? { ...c, env: c.env.filter((e) => e.name !== READONLY_ENV.name) } : c));
  const metadata = { ...template.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  return { ...template, metadata, spec: { ...template.spec, containers } };
}

/** Whether a template is in maintenance (a GC run, this one or one that died, holds the registry read-only). */
export function inMaintenance(template: PodTemplate): boolean {
  return template.spec.containers.some((c) => c.name === GC_CONTAINER);
}

function dropUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
