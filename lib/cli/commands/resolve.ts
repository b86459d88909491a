import { parsePlatform } from '../../api/platform';
import { RegistryError } from '../../runtime/registry/errors';
import { resolveImage } from '../../runtime/registry/resolve';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams resolve IMAGE [options]

Prints the digest an image reference points at now, as an import would record it. Talks only to
the registry (anonymously); no cluster is needed.

Arguments:
  IMAGE                   an image reference, e.g. docker.io/library/eclipse-temurin:8-jdk

Options:
      --insecure          plain http (or https without certificate verification)
      --platform OS/ARCH  the platform picked out of a manifest list (default: linux/amd64)
      --preserve-original the manifest list's own digest instead of one platform's (importMode PreserveOriginal)
  -h, --help              show this help

Exit codes: 0 resolved, 1 the registry could not resolve it, 2 a usage error.
`;

export const resolveCommand: Command = {
  name: 'resolve',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('resolve', argv, {
      insecure: { type: 'boolean', default: false },
      platform: { type: 'string' },
      'preserve-original': { type: 'boolean', default: false },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const image = args.positionals[0];
    if (!image) throw new UsageError('the IMAGE argument is missing', 'resolve');
    const platformText = args.string('platform');
    let platform;
    try {
      platform = platformText === undefined ? undefined : parsePlatform(platformText);
    } catch (e) {
      throw new UsageError(`--platform: ${(e as Error).message}`, 'resolve');
    }
    try {
      const resolved = await resolveImage(image, {
        insecure: args.flag('insecure'),
        importMode: args.flag('preserve-original') ? 'PreserveOriginal' : 'Legacy',
        ...(platform ? { platform } : {}),
      });
      return io.stdout(`${resolved.digest}\n`), 0;
    } catch (e) {
      if (!RegistryError.isRegistryError(e)) throw e;
      return io.stderr(`error: ${e.reason}: ${e.message}\n`), 1;
    }
  },
};
