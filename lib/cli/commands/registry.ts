import { DEFAULT_STORAGE_WARNING_PERCENT } from '../../api/registry-maintenance';
import { withCluster } from '../cluster-session';
import { registryUsageReport } from '../prune/registry-usage';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams registry usage [options]

Reports what the System's in-cluster registry holds: per repository its tags, the manifests its
tags and the streams' history items name, and their size; in all, each blob once, as stored. Then
its volume: the PersistentVolumeClaim's size and, when the garbage-collection CronJob has run, how
full 'df' found it after the last collection. A warning (stderr) when the referenced bytes, or the
last measured use, reach --warn-at percent of the volume.

The API shows only what is referenced: blobs of deleted manifests take space until the registry's
garbage collection (StreamRegistry.inCluster({ garbageCollection })) frees them.

Options:
      --warn-at PERCENT        warn from this percentage of the volume (default: 80)
      --registry-url URL       where to reach the registry from here, e.g. http://localhost:5000 after
                               'kubectl port-forward -n imagestreams-system svc/imagestreams-registry 5000'
                               (default: its Service, in-cluster only)
      --force-insecure         https without certificate verification
      --system-namespace NS    the System's namespace (default: imagestreams-system)
      --kubeconfig PATH        the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME           the kubeconfig context (default: its current-context)
  -h, --help                   show this help

Exit codes: 0 reported (with or without a warning), 1 the cluster or the registry failed, 2 a usage error.
`;

export const registryCommand: Command = {
  name: 'registry',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('registry', argv, {
      'warn-at': { type: 'string' },
      'registry-url': { type: 'string' },
      'force-insecure': { type: 'boolean', default: false },
      'system-namespace': { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const what = args.positionals[0];
    if (what !== 'usage') throw new UsageError(what ? `registry reports usage, not '${what}'` : 'name what to report: registry usage', 'registry');
    const warnText = args.string('warn-at');
    const warnAt = warnText === undefined ? DEFAULT_STORAGE_WARNING_PERCENT : Number(warnText);
    if (!Number.isInteger(warnAt) || warnAt < 1 || warnAt > 100) throw new UsageError(`--warn-at (${warnText}) must be a whole percentage from 1 to 100`, 'registry');
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), doing: 'report registry usage' };
    const options = { warnAt, registryUrl: args.string('registry-url'), insecure: args.flag('force-insecure'), systemNamespace: args.string('system-namespace') };
    return withCluster(io, session, (cluster) => registryUsageReport(cluster.kube, io, options));
  },
};
