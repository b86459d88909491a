/**
 * The in-cluster runtime's single entry: `node imagestreams-runtime.js <command> [options]`.
 * esbuild bundles this file and everything it imports into one script that the System construct
 * ships in a ConfigMap, so nothing has to be built into a container image.
 */
import { COMMANDS } from './commands';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`usage: imagestreams-runtime <${COMMANDS.map((c) => c.name).join('|')}> [options]\n`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`fatal: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
