import { formatDiagnostics, typecheck } from '../../compiler';
import { parseCommandArgs } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams check [ENTRY]

Type-checks ENTRY and every file it imports, like \`deno check\`: with your nearest tsconfig.json when
there is one, else strict defaults, and with the TypeScript your project installs (as its tsc would),
else the one cdk8s-imagestreams carries. TypeScript's incremental build info is kept in the cache
(IMAGESTREAMS_CACHE_DIR, else ~/.cache/imagestreams/bundles), so later runs re-check only what changed.

Arguments:
  ENTRY         the TypeScript entry (default: ./main.ts)

Options:
  -h, --help    show this help

Exit codes: 0 no type errors, 1 type errors (printed as file:line:col), 2 a usage error.
`;

export const checkCommand: Command = {
  name: 'check',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('check', argv, {}, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const diagnostics = await typecheck(args.positionals[0] ?? 'main.ts', io.cwd);
    if (diagnostics.length === 0) return 0;
    io.stderr(`${formatDiagnostics(diagnostics, io.cwd)}\n\nfound ${diagnostics.length} type error${diagnostics.length === 1 ? '' : 's'}\n`);
    return 1;
  },
};
