import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/temp-app';

export const INSTALL_HEADING = '## Installing into a cluster';

/** The two install lines of the README, exactly as written there. */
export interface InstallCommands {
  readonly clientSide: string;
  readonly serverSide: string;
}

/**
 * The install commands of the README's "Installing into a cluster" section: its `sh` blocks that
 * wait for the CRDs, one with client-side apply and one with `--server-side`. Read from the file,
 * so that the test runs what the README says and the two can't drift.
 */
export function readmeInstallCommands(readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')): InstallCommands {
  const start = readme.indexOf(`\n${INSTALL_HEADING}\n`);
  if (start < 0) throw new Error(`README.md has no section '${INSTALL_HEADING}'`);
  const rest = readme.slice(start + INSTALL_HEADING.length + 2);
  const section = rest.slice(0, rest.search(/^## /m) < 0 ? rest.length : rest.search(/^## /m));
  const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1].trim()).filter((b) => b.includes('kubectl wait'));
  const serverSide = blocks.filter((b) => b.includes('--server-side'));
  const clientSide = blocks.filter((b) => !b.includes('--server-side'));
  if (serverSide.length !== 1 || clientSide.length !== 1) {
    throw new Error(`'${INSTALL_HEADING}' must have one sh block with kubectl wait for each of client-side and server-side apply; found ${clientSide.length} and ${serverSide.length}`);
  }
  return { clientSide: oneLine(clientSide[0]), serverSide: oneLine(serverSide[0]) };
}

function oneLine(block: string): string {
  if (block.includes('\n')) throw new Error(`the install command must be one copy-pasteable line, not:\n${block}`);
  return block;
}
