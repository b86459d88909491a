import { resolve } from 'node:path';
import { asSingleStream, findDrift, OUTPUT_RECORD, synthesize, writeOutputDir, type Drift, type OutputLayout } from '../../compiler';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams synth [ENTRY] [options]

Compiles ENTRY (TypeScript, no build step or tsconfig needed), runs the cdk8s App it builds and
writes deterministic manifests into two folders, applied in this order:
  DIR/00-definitions/   CustomResourceDefinitions and Namespaces
  DIR/01-resources/     everything else
  kubectl apply -f DIR/00-definitions && kubectl wait --for condition=Established --all crd && kubectl apply -f DIR/01-resources

Synth records the files it writes in DIR/${OUTPUT_RECORD}, and replaces or deletes only those: it
writes into a new or empty folder, or one it wrote before, and refuses any other.

Arguments:
  ENTRY                 the TypeScript file that builds the App (default: ./main.ts)

Options:
  -o, --out DIR         output folder (default: dist)
      --check           write nothing; exit 1 with a diff when DIR differs from what would be written
      --stdout          print one multi-document YAML stream instead of writing files
      --layout KIND     chart (one file per chart, the default) or resource (one file per object)
      --take-over       write into DIR although synth did not write it: files of the names synth
                        writes are replaced, nothing else is deleted, and synth owns DIR from then on
      --no-cache        always compile; don't read or write the compiled-entry cache
      --verbose         show full stack traces for errors
  -h, --help            show this help

Exit codes: 0 ok, 1 an error in the config or the output folder (or drift with --check), 2 a usage error.
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
      'take-over': { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    if (args.flag('check') && args.flag('stdout')) throw new UsageError('--check and --stdout cannot be used together', 'synth');
    for (const other of ['check', 'stdout']) {
      if (args.flag('take-over') && args.flag(other)) throw new UsageError(`--take-over writes into a folder; it cannot be used with --${other}`, 'synth');
    }
    const layout = parseLayout(args.string('layout'));
    const entry = args.positionals[0] ?? 'main.ts';
    const { files } = await synthesize(entry, { layout, noCache: args.flag('no-cache'), cwd: io.cwd });
    if (args.flag('stdout')) return io.stdout(asSingleStream(files)), 0;
    const out = args.string('out') ?? 'dist';
    const outDir = resolve(io.cwd, out);
    if (args.flag('check')) return reportDrift(findDrift(outDir, files, out), out, io);
    const { removed } = writeOutputDir(outDir, files, { displayDir: out, takeOver: args.flag('take-over') });
    const gone = removed > 0 ? `, removed ${removed} it no longer writes` : '';
    io.stderr(`wrote ${files.size} file${files.size === 1 ? '' : 's'} to ${out}${gone}\n`);
    return 0;
  },
};

function parseLayout(value: string | undefined): OutputLayout {
  if (value === 'chart' || value === 'resource') return value;
  throw new UsageError(`--layout must be 'chart' or 'resource', not '${value}'`, 'synth');
}

function reportDrift(drift: Drift | undefined, out: string, io: Parameters<Command['run']>[1]): number {
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
