/** A runtime subcommand (`node imagestreams-runtime.js <name> …`); resolves to the process exit code. */
export interface RuntimeCommand {
  readonly name: string;
  run(argv: string[]): Promise<number>;
}
