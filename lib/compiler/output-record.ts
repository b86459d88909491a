import { UserError } from './diagnostics';

/**
 * The record of what synth wrote into an output folder: its name there, and its format — a comment,
 * then one relative path a line, sorted. Not YAML nor JSON, so that kubectl, Argo CD and Flux never
 * read it as a manifest.
 */
export const OUTPUT_RECORD = '.imagestreams-output';

const HEADER = [
  '# Written by imagestreams synth: the files it wrote into this folder, which it may replace or delete.',
  '# It touches no other file here. Delete this record only together with the files it lists.',
];

export function formatRecord(paths: Iterable<string>): string {
  return `${[...HEADER, ...[...paths].sort()].join('\n')}\n`;
}

/** The paths a record lists; a line that names no file synth could have written is an error. */
export function parseRecord(text: string, displayPath: string): string[] {
  const paths = text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const bad = paths.filter((p) => !isRecordablePath(p));
  if (bad.length > 0) {
    throw UserError.of(`${displayPath} lists ${bad.map((p) => `'${p}'`).join(', ')}, which synth never writes: the record was edited`, {
      notes: ['synth writes only .yaml files in folders of its own, never in hidden folders or node_modules: remove those lines'],
    });
  }
  return [...new Set(paths)].sort();
}

/** A relative, normalised path to a .yaml file, outside hidden folders and node_modules. */
export function isRecordablePath(path: string): boolean {
  const segments = path.split('/');
  return path.endsWith('.yaml')
    && !path.includes('\\')
    && segments.every((s) => s !== '' && !s.startsWith('.') && s !== 'node_modules');
}
