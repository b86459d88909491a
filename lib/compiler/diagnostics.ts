import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Where a problem is in a user's file (1-based line and column, as editors count). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly lineText?: string;
}

/** A problem reported to the user: data first, formatted only when printed (as esbuild does). */
export interface Diagnostic {
  readonly text: string;
  readonly location?: SourceLocation;
  /** The construct path, for problems found in the construct tree. */
  readonly constructPath?: string;
  readonly notes?: readonly string[];
}

/**
 * An error the user made (a missing entry, a syntax error, an exception in a construct, a validation
 * problem). The CLI prints its diagnostics and exits 1 without a compiler stack trace.
 */
export class UserError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    /** The error behind it, shown with --verbose. */
    readonly causeError?: unknown,
  ) {
    super(diagnostics.map((d) => d.text).join('\n'));
    this.name = 'UserError';
  }

  static of(text: string, extra: Omit<Diagnostic, 'text'> = {}): UserError {
    return new UserError([{ text, ...extra }]);
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof Error && e.name === 'UserError' && Array.isArray((e as UserError).diagnostics);
}

/** Formats diagnostics like a compiler: `file:line:col: error: text`, a code frame, then notes. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], cwd = process.cwd()): string {
  return diagnostics.map((d) => formatDiagnostic(d, cwd)).join('\n');
}

function formatDiagnostic(d: Diagnostic, cwd: string): string {
  const lines: string[] = [];
  const where = d.location
    ? `${relative(cwd, d.location.file) || d.location.file}:${d.location.line}:${d.location.column}: `
    : d.constructPath ? `[${d.constructPath}] ` : '';
  lines.push(`${where}error: ${d.text}`);
  if (d.location) lines.push(...codeFrame(d.location));
  for (const note of d.notes ?? []) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

function codeFrame(loc: SourceLocation): string[] {
  const text = loc.lineText ?? readLine(loc.file, loc.line);
  if (text === undefined) return [];
  const gutter = String(loc.line);
  return [
    `  ${gutter} | ${text}`,
    `  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, loc.column - 1))}^`,
  ];
}

function readLine(file: string, line: number): string | undefined {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[line - 1];
  } catch {
    return undefined;
  }
}
