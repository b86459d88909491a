import type { CliIO } from '../io';

/** A subcommand: its one-line summary for `imagestreams --help`, its help text, and its action. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  /** Resolves to the process exit code. */
  run(argv: string[], io: CliIO): Promise<number>;
}
