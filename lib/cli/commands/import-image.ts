import { importExitCode, importStream, type ImportReport } from '../../runtime/importer/import-stream';
import { withCluster } from '../cluster-session';
import { DEFAULT_MAX_TAGS, importFrom } from '../imagestream/import-from';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';
import { formatTable } from '../table';
import type { ImportMode } from '../../api/imagestream';
import { isTagName } from '../../api/names';

const HELP = `Usage: imagestreams import-image STREAM [options]
       imagestreams import-image STREAM[:TAG] --from IMAGE [options]
       imagestreams import-image STREAM --from REPOSITORY --all [--max N] [options]

Imports images into the ImageStream STREAM now, through your kubeconfig, like 'oc import-image'.

Without --from, every importable tag of STREAM (not only the scheduled ones that are due): each
tag's image is resolved to a digest, verified, and recorded in the stream's status.
With --from IMAGE, TAG (default: IMAGE's tag, else latest) is pointed at IMAGE and imported.
With --from REPOSITORY --all, every tag of the repository (the registry's tags/list, page by page)
becomes a tag of STREAM of the same name, up to --max, and all are imported.

Arguments:
  STREAM[:TAG]            the ImageStream's name, and with --from IMAGE the tag to write

Options:
      --from IMAGE        the image (or with --all, the repository) to import from
      --all               with --from: every tag of the repository
      --max N             with --all: at most N tags, in the registry's order (default: ${DEFAULT_MAX_TAGS})
      --confirm           with --from: create STREAM when it doesn't exist
      --scheduled         with --from: re-import the tags it writes on a schedule (every 15 minutes)
      --insecure          with --from: plain http, or https without certificate verification
      --import-mode MODE  with --from: Legacy (one platform of a manifest list; the default) or PreserveOriginal
  -n, --namespace NS      the stream's namespace (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
      --concurrency N     registry lookups in flight at once (default: 8)
  -h, --help              show this help

With --from, STREAM's spec changes: if Git owns its manifest, declare the tags in your cdk8s code too.

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
      from: { type: 'string' },
      all: { type: 'boolean', default: false },
      max: { type: 'string' },
      confirm: { type: 'boolean', default: false },
      scheduled: { type: 'boolean', default: false },
      insecure: { type: 'boolean', default: false },
      'import-mode': { type: 'string' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const target = args.positionals[0];
    if (!target) throw new UsageError('the STREAM argument is missing', 'import-image');
    const [stream, tag] = target.split(':');
    const from = args.string('from');
    checkCombination(from, tag, args);
    const concurrency = positiveInteger(args.string('concurrency'), '--concurrency');
    const max = positiveInteger(args.string('max'), '--max');
    const importMode = parseImportMode(args.string('import-mode'));
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'import' };
    return withCluster(io, session, async ({ kube, namespace }) => {
      const report = from
        ? await importFrom(kube, {
            namespace, stream, from, tag, all: args.flag('all'), max, confirm: args.flag('confirm'),
            scheduled: args.flag('scheduled'), insecure: args.flag('insecure'), importMode, concurrency,
          })
        : await importStream(kube, { namespace, stream, concurrency });
      if ('created' in report && report.created) io.stdout(`imagestream ${stream} created\n`);
      io.stdout(reportTable(report));
      for (const warning of report.warnings) io.stderr(`warning: ${warning}\n`);
      return importExitCode(report);
    });
  },
};

function checkCombination(from: string | undefined, tag: string | undefined, args: { flag(name: string): boolean; string(name: string): string | undefined }): void {
  const fail = (message: string) => { throw new UsageError(message, 'import-image'); };
  if (tag !== undefined && !isTagName(tag)) fail(`'${tag}' is not a valid tag name`);
  if (!from) {
    for (const flag of ['all', 'confirm', 'scheduled', 'insecure']) if (args.flag(flag)) fail(`--${flag} needs --from`);
    for (const option of ['max', 'import-mode']) if (args.string(option) !== undefined) fail(`--${option} needs --from`);
    if (tag !== undefined) fail(`name the image to import into ${tag} with --from IMAGE, or import every tag of the stream without :${tag}`);
  }
  if (args.flag('all') && tag !== undefined) fail('--all imports every tag of the repository under its own name: give STREAM without a tag');
  if (args.string('max') !== undefined && !args.flag('all')) fail('--max needs --all');
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, not '${value}'`, 'import-image');
  return n;
}

function parseImportMode(value: string | undefined): ImportMode | undefined {
  if (value === undefined || value === 'Legacy' || value === 'PreserveOriginal') return value;
  throw new UsageError(`--import-mode must be Legacy or PreserveOriginal, not '${value}'`, 'import-image');
}

function reportTable(report: ImportReport): string {
  const repository = report.repository;
  const head = repository ? `${repository.status === 'True' ? '' : `error: spec.dockerImageRepository ${repository.repository}: ${repository.reason}: `}${repository.message}\n` : '';
  if (report.results.length === 0 && repository) return head;
  return head + ownTable(report);
}

function ownTable(report: ImportReport): string {
  if (report.results.length === 0) return 'no tag to import (tags need a DockerImage source and must not be paused or reference-only)\n';
  const rows = report.results.map((r) =>
    r.ok
      ? [r.tag, report.moved.includes(r.tag) ? 'Updated' : 'Unchanged', r.dockerImageReference]
      : [r.tag, r.reason, r.message],
  );
  return formatTable(['TAG', 'RESULT', 'IMAGE OR MESSAGE'], rows);
}
