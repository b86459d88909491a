import { resolve } from 'node:path';
import { UserError } from '../../compiler/diagnostics';
import { isDnsLabel } from '../../api/names';
import { shallowClone } from '../new-app/clone';
import { detect } from '../new-app/detect';
import { writeApp } from '../new-app/write';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams new-app GIT_URL [options]

Like 'oc new-app GIT_URL': clones the repository (the newest commit only), chooses how to build it
and writes a GitApp into a TypeScript app — a new main.ts, or one you have — with:
  an ImageStream for the app's image, and one importing its base (a new base digest rebuilds the app)
  a BuildConfig: the Docker strategy when there is a Dockerfile (its first FROM becomes the tracked
    base), else S2I with the builder of the language its files show (pom.xml, package.json, go.mod …)
  a Deployment that follows the built image by digest, and a Service for the exposed ports

Arguments:
  GIT_URL                 the repository: https://, ssh://, git@host:org/repo.git or file://

Options:
      --name NAME         the app's name (default: the repository's name)
      --strategy KIND     docker or source (default: docker when there is a Dockerfile)
      --image IMAGE       the S2I builder (source), or the base that replaces the first FROM (docker)
      --ref BRANCH        the branch to clone and build (default: the remote's default branch)
      --context-dir DIR   the folder of the repository to build (default: its root)
  -n, --namespace NS      where the app runs (default: default)
  -o, --out FILE          the TypeScript app to write or add to (default: main.ts)
  -h, --help              show this help

Exit codes: 0 written, 1 the repository can't be cloned or read, 2 a usage error.
`;

export const newAppCommand: Command = {
  name: 'new-app',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('new-app', argv, {
      name: { type: 'string' },
      strategy: { type: 'string' },
      image: { type: 'string' },
      ref: { type: 'string' },
      'context-dir': { type: 'string' },
      namespace: { type: 'string', short: 'n', default: 'default' },
      out: { type: 'string', short: 'o', default: 'main.ts' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const uri = args.positionals[0];
    if (uri === undefined) throw new UsageError('give the git repository of the app, e.g. imagestreams new-app https://github.com/sclorg/nodejs-ex.git', 'new-app');
    const strategy = parseStrategy(args.string('strategy'));
    const name = args.string('name') ?? repositoryName(uri);
    if (!isDnsLabel(name)) throw new UsageError(`--name ${name} must be a DNS label (lower-case letters, digits and '-', at most 63)${args.string('name') ? '' : ": the repository's name isn't one, so give one"}`, 'new-app');
    const namespace = args.string('namespace') ?? 'default';
    if (!isDnsLabel(namespace)) throw new UsageError(`--namespace ${namespace} is not a namespace name`, 'new-app');
    const contextDir = args.string('context-dir')?.replace(/^\/+|\/+$/g, '') || undefined;
    const clone = await shallowClone(uri, args.string('ref'));
    try {
      const detected = detect(clone.dir, { strategy, image: args.string('image'), contextDir });
      if (typeof detected === 'string') throw UserError.of(`${uri}: ${detected}`);
      const out = args.string('out') ?? 'main.ts';
      const written = await writeApp(resolve(io.cwd, out), { name, namespace, uri, ref: clone.branch, contextDir, detected }, out);
      io.stderr(summary(out, name, namespace, detected, written));
      return 0;
    } finally {
      clone.remove();
    }
  },
};

function parseStrategy(value: string | undefined): 'Docker' | 'Source' | undefined {
  if (value === undefined) return undefined;
  if (value === 'docker') return 'Docker';
  if (value === 'source') return 'Source';
  throw new UsageError(`--strategy must be docker or source, not '${value}'`, 'new-app');
}

/** `https://github.com/org/my-app.git` → `my-app`. */
function repositoryName(uri: string): string {
  return (uri.replace(/\/+$/, '').split(/[/:]/).pop() ?? '').replace(/\.git$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
}

function summary(out: string, name: string, namespace: string, detected: Exclude<ReturnType<typeof detect>, string>, written: Awaited<ReturnType<typeof writeApp>>): string {
  const lines = [`${written.created ? 'wrote' : 'added to'} ${out}, in namespace ${namespace}:`];
  if (written.addedSystem) lines.push('  system      the CRDs, the controller and an in-cluster registry behind streams (NodePort 32000)');
  if (written.baseStream) lines.push(`  imagestream ${written.baseStream.name}, importing ${written.baseStream.image} into tag ${written.baseStream.tag} every 15 minutes`);
  lines.push(`  imagestream ${name}, which builds push to (tag latest)`);
  const base = written.baseStream ? ` FROM ${written.baseStream.name}:${written.baseStream.tag}` : '';
  lines.push(detected.strategy === 'Docker'
    ? `  buildconfig ${name}, Docker strategy (${detected.dockerfile}${base})${detected.fromNote ? `: ${detected.fromNote}` : ''}`
    : `  buildconfig ${name}, S2I strategy for ${detected.language} on ${written.baseStream ? `${written.baseStream.name}:${written.baseStream.tag}` : detected.builder}`);
  lines.push(`  deployment  ${name}, following ${name}:latest by digest`);
  if (detected.ports.length) lines.push(`  service     ${name}, ports ${detected.ports.join(', ')}`);
  if (written.systemWithoutRegistry) lines.push(`warning: the System in ${out} has no registry behind streams, which builds push to: give it one (registry: StreamRegistry.inCluster() or .external())`);
  lines.push(
    'next:',
    `  imagestreams check ${out} && imagestreams synth ${out}`,
    '  kubectl apply -f dist/00-definitions && kubectl wait --for condition=Established --all crd && kubectl apply -f dist/01-resources',
    `  imagestreams start-build ${name} -n ${namespace} --follow`,
  );
  return `${lines.join('\n')}\n`;
}
