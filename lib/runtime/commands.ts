/** Every subcommand of the runtime script. */
import type { RuntimeCommand } from './command';
import { createControllerCommand } from './controller/command';
import { createImportCommand } from './importer/command';
import { createRegistryCredentialsCommand } from './registry-credentials/command';
import { createRegistryGcCommand } from './registry-gc/command';

declare const RUNTIME_VERSION: string | undefined;

const versionCommand: RuntimeCommand = {
  name: 'version',
  async run() {
    process.stdout.write(`${typeof RUNTIME_VERSION === 'string' ? RUNTIME_VERSION : 'dev'}\n`);
    return 0;
  },
};

export const COMMANDS: readonly RuntimeCommand[] = [versionCommand, createImportCommand(), createControllerCommand(), createRegistryCredentialsCommand(), createRegistryGcCommand()];
