import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../compiler/diagnostics';
import { convertObjects } from '../convert/program';
import { readInputs } from '../convert/read';
import { formatSummary } from '../convert/summary';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams convert FILE|DIR|- [options]

Turns OpenShift manifests, as \`oc get -o yaml\` and \`oc export\` write them (YAML or JSON: objects,
Lists, Templates), into a TypeScript app that uses cdk8s-imagestreams and cdk8s-plus:
  ImageStream      → ImageStream (importTag, aliasTag, pinTag, referenceTag; lookupPolicy)
  BuildConfig      → BuildConfig (git or inline Dockerfile; Docker or Source strategy; output,
                     triggers, run policy, resources, history limits)
  DeploymentConfig → a cdk8s-plus Deployment, its ImageChange triggers as deployTo
  Route            → an Ingress
  Service          → a cdk8s-plus Service
  Template         → a construct class whose props are its parameters
  other objects    → ApiObjects as written (image.openshift.io/triggers on workloads → deployTo)
Every field without an equivalent becomes a \`// TODO(convert): …\` comment that names it and says
why, and a line of the summary printed on stderr. Fields the API server set (status, uid, cluster
IPs, defaults) are dropped.

Arguments:
  FILE|DIR|-            a YAML or JSON file, a folder of them (read recursively), or - for stdin

Options:
  -o, --out FILE        where to write the app (default: main.ts; - prints it)
  -n, --namespace NS    the namespace of objects that name none (default: default)
      --force           overwrite FILE when it exists
  -h, --help            show this help

Exit codes: 0 converted (TODOs included), 1 unreadable input or FILE exists, 2 a usage error.
`;

export const convertCommand: Command = {
  name: 'convert',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('convert', argv, {
      out: { type: 'string', short: 'o', default: 'main.ts' },
      namespace: { type: 'string', short: 'n' },
      force: { type: 'boolean', default: false },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const source = args.positionals[0];
    if (source === undefined) throw new UsageError('give the OpenShift manifests to convert: a file, a folder, or - for stdin', 'convert');
    const out = args.string('out') ?? 'main.ts';
    const target = resolve(io.cwd, out);
    if (out !== '-' && existsSync(target) && !args.flag('force')) {
      throw UserError.of(`${out} exists`, { notes: ['pass --force to overwrite it, or choose another file with --out'] });
    }
    const inputs = readInputs(source, io.cwd, () => readFileSync(0, 'utf8'));
    const { code, report } = await convertObjects(inputs, { namespace: args.string('namespace'), source });
    if (out === '-') io.stdout(code);
    else writeFileSync(target, code);
    io.stderr(formatSummary(report, out));
    return 0;
  },
};
