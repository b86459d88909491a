import type { CliIO } from '../io';

/** A subcommand: its name, its help text, and its action (its summary is in main.ts's list). */
export interface Command {
  readonly name: string;
  readonly help: string;
  /** Resolves to the process exit code. */
  run(argv: string[], io: CliIO): Promise<number>;
}
