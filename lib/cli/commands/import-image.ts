import { createClient } from '../../runtime/kube/client';
import { loadKubeconfig } from '../../runtime/kube/kubeconfig';
import { importExitCode, importStream, type ImportReport } from '../../runtime/importer/import-stream';
import { StreamNotFoundError } from '../../runtime/imagestreams/streams';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';
import { formatTable } from '../table';

const HELP = `Usage: imagestreams import-image STREAM [options]

Imports every importable tag of the ImageStream STREAM now (not only the scheduled ones that are due):
resolves each tag's image to a digest and records it in the stream's status, through your kubeconfig.

Arguments:
  STREAM                  the ImageStream's name

Options:
  -n, --namespace NS      the stream's namespace (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
      --concurrency N     registry lookups in flight at once (default: 8)
  -h, --help              show this help

Exit codes: 0 every tag imported, 1 a tag failed or the cluster or stream isn't there, 2 a usage error.
`;

export const importImageCommand: Command = {
  name: 'import-image',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('import-image', argv, {
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      concurrency: { type: 'string' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const stream = args.positionals[0];
    if (!stream) throw new UsageError('the STREAM argument is missing', 'import-image');
    const concurrency = parseConcurrency(args.string('concurrency'));
    let config;
    try {
      config = loadKubeconfig({ path: args.string('kubeconfig'), context: args.string('context') });
    } catch (e) {
      return io.stderr(`error: ${(e as Error).message}\n`), 1;
    }
    const namespace = args.string('namespace') ?? config.namespace;
    const kube = createClient(config);
    try {
      const report = await importStream(kube, { namespace, stream, concurrency });
      io.stdout(reportTable(report));
      for (const warning of report.warnings) io.stderr(`warning: ${warning}\n`);
      return importExitCode(report);
    } catch (e) {
      if (e instanceof StreamNotFoundError) return io.stderr(`error: ${e.message}\n`), 1;
      return io.stderr(`error: cannot import from the cluster at ${config.server}: ${(e as Error).message}\n`), 1;
    } finally {
      kube.close();
    }
  },
};

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--concurrency must be a positive integer, not '${value}'`, 'import-image');
  return n;
}

function reportTable(report: ImportReport): string {
  if (report.results.length === 0) return 'no tag to import (tags need a DockerImage source and must not be paused or reference-only)\n';
  const rows = report.results.map((r) =>
    r.ok
      ? [r.tag, report.moved.includes(r.tag) ? 'Updated' : 'Unchanged', r.dockerImageReference]
      : [r.tag, r.reason, r.message],
  );
  return formatTable(['TAG', 'RESULT', 'IMAGE OR MESSAGE'], rows);
}
