import { formatDiagnostics, isUserError } from '../compiler/diagnostics';
import { checkCommand } from './commands/check';
import type { Command } from './commands/command';
import { cancelBuildCommand } from './commands/cancel-build';
import { graphCommand } from './commands/graph';
import { importImageCommand } from './commands/import-image';
import { resolveCommand } from './commands/resolve';
import { rollbackCommand } from './commands/rollback';
import { startBuildCommand } from './commands/start-build';
import { synthCommand } from './commands/synth';
import { tagCommand } from './commands/tag';
import { processIO, type CliIO } from './io';
import { UsageError } from './usage';

const COMMANDS: readonly Command[] = [
  synthCommand,
  checkCommand,
  importImageCommand,
  resolveCommand,
  tagCommand,
  rollbackCommand,
  startBuildCommand,
  cancelBuildCommand,
  graphCommand,
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
  const command = COMMANDS.find((c) => c.name === name);
  const verbose = rest.includes('--verbose');
  try {
    if (!command) throw new UsageError(`unknown command '${name}'`);
    return await command.run(rest, io);
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
