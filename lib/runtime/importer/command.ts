import { parseArgs } from 'node:util';
import { createClient } from '../kube/client';
import type { KubeClientConfig } from '../kube/config';
import { runtimeKubeConfig } from '../runtime-config';
import type { RuntimeCommand } from '../command';
import { importExitCode, importStream } from './import-stream';
import type { TagImportResult } from '../imagestreams/results';
import { StreamNotFoundError } from '../imagestreams/streams';

const USAGE = 'usage: imagestreams-runtime import --namespace NS --stream NAME [--scheduled] [--concurrency N]\n';

export interface ImportCommandDeps {
  /** @default runtimeKubeConfig (the pod's service account, or IMAGESTREAMS_KUBECONFIG) */
  readonly loadConfig?: () => KubeClientConfig | Promise<KubeClientConfig>;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/** `import`: what the per-stream CronJob runs. Logs one line per tag; exit 0 only if all imported. */
export function createImportCommand(deps: ImportCommandDeps = {}): RuntimeCommand {
  const out = deps.stdout ?? ((t: string) => void process.stdout.write(t));
  const err = deps.stderr ?? ((t: string) => void process.stderr.write(t));
  return {
    name: 'import',
    async run(argv) {
      const args = parseImportArgs(argv);
      if (typeof args === 'string') return err(`${args}\n${USAGE}`), 2;
      const kube = createClient(await (deps.loadConfig ?? runtimeKubeConfig)());
      try {
        const report = await importStream(kube, args);
        for (const warning of report.warnings) err(`warning: ${warning}\n`);
        for (const result of report.results) out(`${logLine(result, report.moved.includes(result.tag))}\n`);
        if (report.results.length === 0) out(`${args.stream}: no tag to import${args.scheduled ? ' (none due)' : ''}\n`);
        return importExitCode(report);
      } catch (error) {
        if (error instanceof StreamNotFoundError) return err(`error: ${error.message}\n`), 1;
        throw error;
      } finally {
        kube.close();
      }
    },
  };
}

/** `latest sha256:… moved`, `latest sha256:… unchanged` or `latest NotFound: …`. */
export function logLine(result: TagImportResult, moved: boolean): string {
  if (result.ok) return `${result.tag} ${result.image} ${moved ? 'moved' : 'unchanged'}${result.mirror ? ` (in ${result.mirror.reference})` : ''}`;
  return `${result.tag} ${result.reason}: ${result.message}`;
}

interface ImportArgs {
  readonly namespace: string;
  readonly stream: string;
  readonly scheduled: boolean;
  readonly concurrency?: number;
}

/** The arguments, or the reason they are wrong. */
export function parseImportArgs(argv: string[]): ImportArgs | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { namespace: { type: 'string' }, stream: { type: 'string' }, scheduled: { type: 'boolean' }, concurrency: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (!values.namespace || !values.stream) return '--namespace and --stream are required';
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    return `--concurrency must be a positive integer, not '${values.concurrency}'`;
  }
  return { namespace: values.namespace, stream: values.stream, scheduled: values.scheduled === true, concurrency };
}
