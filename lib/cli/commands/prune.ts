import { parseGoDuration } from '../../api/duration';
import { DEFAULT_KEEP_TAG_REVISIONS, DEFAULT_KEEP_YOUNGER_THAN_MS } from '../../api/prune';
import { withCluster } from '../cluster-session';
import { pruneBuilds } from '../prune/prune-builds';
import { pruneImages } from '../prune/prune-images';
import { parseCommandArgs, UsageError, type ParsedArgs } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams prune images|builds [options]

Removes what is no longer needed, as 'oc adm prune' does. A dry run by default: it lists what it
would delete; --confirm deletes exactly that.

prune images: deletes from the System's in-cluster registry every manifest of a stream repository
that only history items beyond the newest --keep-tag-revisions of their tag, recorded more than
--keep-younger-than ago, refer to — unless a history item within those limits (of any stream), an
image of a Deployment, StatefulSet, DaemonSet, CronJob, ReplicaSet, Job or running Pod (of any
namespace, by digest or by tag), or a tag of the registry still names it. An index takes the
manifests it lists with it. The registry frees their blobs when its garbage collection runs
(StreamRegistry.inCluster({ garbageCollection })). The registry must allow deletes
(StreamRegistry.inCluster({ allowDeletes: true })).

prune builds: deletes finished PipelineRuns of each BuildConfig beyond its history limits
(successfulBuildsHistoryLimit and failedBuildsHistoryLimit, or --keep-complete and --keep-failed),
oldest first, and with --orphans the finished runs of BuildConfigs that are gone.

Options:
      --confirm                delete (default: a dry run that only lists)
      --keep-younger-than D    keep what was recorded or finished within D, a Go duration (default: 60m)
  images:
      --keep-tag-revisions N   history items kept per tag, newest first (default: 3)
      --registry-url URL       where to reach the registry from here, e.g. http://localhost:5000 after
                               'kubectl port-forward -n imagestreams-system svc/imagestreams-registry 5000'
                               (default: its Service, http://imagestreams-registry.NS.svc:5000, in-cluster only)
      --force-insecure         https without certificate verification
      --system-namespace NS    the System's namespace (default: imagestreams-system)
  builds:
      --keep-complete N        successful runs kept per BuildConfig (default: its successfulBuildsHistoryLimit)
      --keep-failed N          failed runs kept per BuildConfig (default: its failedBuildsHistoryLimit)
      --orphans                also the finished runs of BuildConfigs that no longer exist
  -n, --namespace NS           builds: only this namespace (default: the context's); images: always every namespace
  -A, --all-namespaces         builds: every namespace
      --kubeconfig PATH        the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME           the kubeconfig context (default: its current-context)
  -h, --help                   show this help

Reading every namespace's streams and workloads and the registry's auth Secret needs a cluster
administrator's rights (as oc adm prune does).

Exit codes: 0 listed or deleted, 1 the cluster or the registry failed, 2 a usage error.
`;

export const pruneCommand: Command = {
  name: 'prune',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('prune', argv, {
      confirm: { type: 'boolean', default: false },
      'keep-younger-than': { type: 'string' },
      'keep-tag-revisions': { type: 'string' },
      'registry-url': { type: 'string' },
      'force-insecure': { type: 'boolean', default: false },
      'system-namespace': { type: 'string' },
      'keep-complete': { type: 'string' },
      'keep-failed': { type: 'string' },
      orphans: { type: 'boolean', default: false },
      namespace: { type: 'string', short: 'n' },
      'all-namespaces': { type: 'boolean', short: 'A', default: false },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const what = args.positionals[0];
    if (what !== 'images' && what !== 'builds') throw new UsageError(what ? `prune removes images or builds, not '${what}'` : 'name what to prune: prune images, or prune builds', 'prune');
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: `prune ${what}` };
    const confirm = args.flag('confirm');
    const keepYoungerThanMs = duration(args, 'keep-younger-than') ?? DEFAULT_KEEP_YOUNGER_THAN_MS;
    if (what === 'images') {
      const options = {
        confirm, keepYoungerThanMs,
        keepTagRevisions: count(args, 'keep-tag-revisions') ?? DEFAULT_KEEP_TAG_REVISIONS,
        registryUrl: args.string('registry-url'), insecure: args.flag('force-insecure'), systemNamespace: args.string('system-namespace'),
      };
      return withCluster(io, session, (cluster) => pruneImages(cluster.kube, io, options));
    }
    const options = {
      confirm, keepYoungerThanMs, orphans: args.flag('orphans'), allNamespaces: args.flag('all-namespaces'),
      keepComplete: count(args, 'keep-complete'), keepFailed: count(args, 'keep-failed'),
    };
    return withCluster(io, session, (cluster) => pruneBuilds(cluster.kube, cluster.namespace, io, options));
  },
};

function count(args: ParsedArgs, name: string): number | undefined {
  const text = args.string(name);
  if (text === undefined) return undefined;
  if (!/^\d{1,6}$/.test(text)) throw new UsageError(`--${name} (${text}) must be a whole number, 0 or more`, 'prune');
  return Number(text);
}

function duration(args: ParsedArgs, name: string): number | undefined {
  const text = args.string(name);
  if (text === undefined) return undefined;
  try {
    return parseGoDuration(text);
  } catch (e) {
    throw new UsageError(`--${name}: ${(e as Error).message}`, 'prune');
  }
}
