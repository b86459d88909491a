import { resolve } from 'node:path';
import { asSingleStream, findDrift, synthesize, writeOutputDir, type OutputLayout } from '../../compiler';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams synth [ENTRY] [options]

Compiles ENTRY (TypeScript, no build step or tsconfig needed), runs the cdk8s App it builds and
writes deterministic manifests: one file per chart, CustomResourceDefinitions and Namespaces first.

Arguments:
  ENTRY                 the TypeScript file that builds the App (default: ./main.ts)

Options:
  -o, --out DIR         output folder (default: dist); its YAML files are owned by synth
      --check           write nothing; exit 1 with a diff when DIR differs from what would be written
      --stdout          print one multi-document YAML stream instead of writing files
      --layout KIND     chart (one file per chart, the default) or resource (one file per object)
      --no-cache        always compile; don't read or write the compiled-entry cache
      --verbose         show full stack traces for errors
  -h, --help            show this help

Exit codes: 0 ok, 1 an error in the config (or drift with --check), 2 a usage error.
`;

export const synthCommand: Command = {
  name: 'synth',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('synth', argv, {
      out: { type: 'string', short: 'o', default: 'dist' },
      check: { type: 'boolean', default: false },
      stdout: { type: 'boolean', default: false },
      layout: { type: 'string', default: 'chart' },
      'no-cache': { type: 'boolean', default: false },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    if (args.flag('check') && args.flag('stdout')) throw new UsageError('--check and --stdout cannot be used together', 'synth');
    const layout = parseLayout(args.string('layout'));
    const entry = args.positionals[0] ?? 'main.ts';
    const { files } = await synthesize(entry, { layout, noCache: args.flag('no-cache'), cwd: io.cwd });
    if (args.flag('stdout')) return io.stdout(asSingleStream(files)), 0;
    const out = args.string('out') ?? 'dist';
    const outDir = resolve(io.cwd, out);
    if (args.flag('check')) return reportDrift(findDrift(outDir, files, out), out, io);
    writeOutputDir(outDir, files);
    io.stderr(`wrote ${files.size} file${files.size === 1 ? '' : 's'} to ${out}\n`);
    return 0;
  },
};

function parseLayout(value: string | undefined): OutputLayout {
  if (value === 'chart' || value === 'resource') return value;
  throw new UsageError(`--layout must be 'chart' or 'resource', not '${value}'`, 'synth');
}

function reportDrift(drift: ReturnType<typeof findDrift>, out: string, io: Parameters<Command['run']>[1]): number {
  if (!drift) {
    io.stderr(`${out} is up to date\n`);
    return 0;
  }
  io.stdout(drift.diff);
  const parts = [
    drift.changed.length && `${drift.changed.length} changed`,
    drift.missing.length && `${drift.missing.length} missing`,
    drift.extra.length && `${drift.extra.length} extra`,
  ].filter(Boolean);
  io.stderr(`error: ${out} is stale (${parts.join(', ')}): run imagestreams synth to update it\n`);
  return 1;
}
