import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
  { name: 'registry', summary: "report what the in-cluster registry holds and how full its volume is (registry usage)", load: async () => (await import('./commands/registry')).registryCommand },
  { name: 'prune', summary: "delete registry images and PipelineRuns nothing needs any more (dry run unless --confirm)", load: async () => (await import('./commands/prune')).pruneCommand },
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: imagestreams <command> [options]

ImageStreams, BuildConfigs and image triggers for any Kubernetes cluster, as cdk8s constructs.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'imagestreams <command> --help' (or 'imagestreams help <command>') for a command's options,
'imagestreams --version' for the version.

Exit codes: 0 success, 1 an error in the app, its files or the cluster, 2 a wrong command line,
3 an internal error (a bug of ours: please report it).
`;
}

/** Runs the CLI and resolves to the exit code; every error ends here as a message, never a stack trace. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  if (name === 'help' && rest.length > 0) return runCli([rest[0], '--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(mainHelp());
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
  const fs = fileSystemProblem(e, io.cwd);
  if (fs) {
    io.stderr(`error: ${fs}\n`);
    if (verbose && e instanceof Error) io.stderr(`\n${e.stack}\n`);
    return 1;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr(`internal error: ${err.message}\n${verbose ? `${err.stack}\n` : 'run again with --verbose for details\n'}`);
  io.stderr(`this is a bug in cdk8s-imagestreams ${version()}, not in your app: please report it to its maintainers with the command you ran and its output with --verbose\n`);
  return INTERNAL_ERROR_EXIT;
}

/** Exit code of an internal error: a bug of ours, never a user's mistake. */
export const INTERNAL_ERROR_EXIT = 3;

/** What a path the user gave (or that their app names) does wrong, for the errors Node raises on it. */
const FILE_SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'a part of this path is a file where a folder is needed',
  EISDIR: 'is a folder where a file is needed',
  EACCES: 'permission denied: check its permissions and those of the folders above it',
  EPERM: 'operation not permitted: check its permissions and those of the folders above it',
  EEXIST: 'already exists',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'no space is left on the device',
  EDQUOT: 'the disk quota is exceeded',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'has too many levels of symbolic links',
  EBUSY: 'is busy (in use by another process)',
  ENOTEMPTY: 'is a folder that is not empty',
  EINVAL: 'cannot be used here (an invalid argument for this file system)',
};

/** The message for a file system error Node raised on a path (undefined for any other error). */
export function fileSystemProblem(e: unknown, cwd: string): string | undefined {
  const err = e as { code?: unknown; path?: unknown; dest?: unknown; syscall?: unknown } | null;
  if (typeof err !== 'object' || err === null || typeof err.code !== 'string' || typeof err.path !== 'string') return undefined;
  const why = FILE_SYSTEM_ERRORS[err.code];
  if (!why) return undefined;
  const shown = (p: string) => (relative(cwd, p).startsWith('..') ? p : relative(cwd, p) || '.');
  const dest = typeof err.dest === 'string' ? ` (to ${shown(err.dest)})` : '';
  return `${shown(err.path)}${dest}: ${why} (${err.code}${typeof err.syscall === 'string' ? ` on ${err.syscall}` : ''})`;
}

/** This package's version, from its package.json (found above this file, in the sources or the build). */
export function version(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk8s-imagestreams' && pkg.version) return pkg.version;
    } catch {
      // not here: look further up
    }
  }
  return 'unknown';
}
