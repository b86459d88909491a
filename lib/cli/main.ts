import { formatDiagnostics, isUserError } from '../compiler/diagnostics';
import type { Command } from './commands/command';
import { processIO, type CliIO } from './io';
import { UsageError } from './usage';

/** A command's name and summary for `--help`; its module is loaded only when it runs (start-up time is part of every synth). */
interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

const COMMANDS: readonly CommandEntry[] = [
  { name: 'synth', summary: 'compile a TypeScript cdk8s app into manifests (or --check them)', load: async () => (await import('./commands/synth')).synthCommand },
  { name: 'check', summary: 'type-check a TypeScript cdk8s app and what it imports', load: async () => (await import('./commands/check')).checkCommand },
  { name: 'import-image', summary: "import an ImageStream's tags from their registries now", load: async () => (await import('./commands/import-image')).importImageCommand },
  { name: 'resolve', summary: 'print the digest an image reference points at now', load: async () => (await import('./commands/resolve')).resolveCommand },
  { name: 'tag', summary: "point an ImageStream tag at another tag's image, or make it an alias", load: async () => (await import('./commands/tag')).tagCommand },
  { name: 'describe', summary: 'show an ImageStream: its tags, their history and conditions (describe is/NAME)', load: async () => (await import('./commands/describe')).describeCommand },
  { name: 'provenance', summary: "print where a tag's image comes from: builds, commits and bases down to the imported image", load: async () => (await import('./commands/provenance')).provenanceCommand },
  { name: 'promote', summary: "promote a tag's image into another tag (staging → prod) once its soak and rollout pass", load: async () => (await import('./commands/promote')).promoteCommand },
  { name: 'rollback', summary: 'make an older image of a tag current and pause its imports', load: async () => (await import('./commands/rollback')).rollbackCommand },
  { name: 'start-build', summary: 'start a build of a BuildConfig now (and --follow it)', load: async () => (await import('./commands/start-build')).startBuildCommand },
  { name: 'logs', summary: "print a build's logs (logs build/NAME), or follow them with -f", load: async () => (await import('./commands/logs')).logsCommand },
  { name: 'get', summary: 'list builds like oc get builds: status, cause, started, duration', load: async () => (await import('./commands/get')).getCommand },
  { name: 'cancel-build', summary: 'cancel a queued or running build', load: async () => (await import('./commands/cancel-build')).cancelBuildCommand },
  { name: 'convert', summary: 'turn OpenShift YAML (objects, Lists, Templates) into a TypeScript app', load: async () => (await import('./commands/convert')).convertCommand },
  { name: 'new-app', summary: "write an app built from a git repository and deployed, like oc new-app", load: async () => (await import('./commands/new-app')).newAppCommand },
  { name: 'graph', summary: "draw the app's images, builds and rollouts (Mermaid or dot), or what a change affects", load: async () => (await import('./commands/graph')).graphCommand },
  { name: 'prune', summary: "delete registry images and PipelineRuns nothing needs any more (dry run unless --confirm)", load: async () => (await import('./commands/prune')).pruneCommand },
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: imagestreams <command> [options]

ImageStreams, BuildConfigs and image triggers for any Kubernetes cluster, as cdk8s constructs.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'imagestreams <command> --help' for a command's options.
`;
}

/** Runs the CLI and resolves to the exit code; every error ends here as a message, never a stack trace. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  const verbose = rest.includes('--verbose');
  try {
    if (!entry) throw new UsageError(`unknown command '${name}'`);
    return await (await entry.load()).run(rest, io);
  } catch (e) {
    return reportError(e, verbose, io);
  }
}

function reportError(e: unknown, verbose: boolean, io: CliIO): number {
  if (e instanceof UsageError) {
    const help = e.command ? `imagestreams ${e.command} --help` : 'imagestreams --help';
    io.stderr(`error: ${e.message}\nsee '${help}'\n`);
    return 2;
  }
  if (isUserError(e)) {
    io.stderr(`${formatDiagnostics(e.diagnostics, io.cwd)}\n`);
    if (verbose && e.causeError instanceof Error) io.stderr(`\n${e.causeError.stack}\n`);
    return 1;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr(`internal error: ${err.message}\n${verbose ? `${err.stack}\n` : 'run again with --verbose for details\n'}`);
  return 1;
}
