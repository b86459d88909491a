import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from './diagnostics';
import { UserError } from './diagnostics';

/** Strict settings for users who have no tsconfig.json, as `deno check` has strict defaults. */
const STRICT_DEFAULTS = {
  strict: true,
  target: 9 /* ES2022 */,
  module: 99 /* ESNext */,
  moduleResolution: 100 /* Bundler */,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  resolveJsonModule: true,
};

/**
 * Type-checks the entry and every file it imports (not the user's whole tsconfig project), with the
 * user's nearest tsconfig.json when there is one, else strict defaults. Returns the problems found.
 */
export async function typecheck(entryArg: string, cwd = process.cwd()): Promise<Diagnostic[]> {
  const entry = resolve(cwd, entryArg);
  if (!existsSync(entry)) throw UserError.of(`entry ${entryArg} does not exist`);
  // ts-morph carries the TypeScript compiler: loaded only by this command.
  const { Project, ts } = await import('ts-morph');
  const tsConfigFilePath = findTsconfig(dirname(entry));
  const project = tsConfigFilePath
    ? new Project({ tsConfigFilePath, skipAddingFilesFromTsConfig: true })
    : new Project({ compilerOptions: STRICT_DEFAULTS });
  project.addSourceFileAtPath(entry);
  project.resolveSourceFileDependencies();
  return project.getPreEmitDiagnostics()
    .filter((d) => !d.getSourceFile()?.getFilePath().includes('/node_modules/'))
    .map((d) => toDiagnostic(d, ts));
}

function findTsconfig(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(d, 'package.json')) || dirname(d) === d) return undefined;
  }
}

type TsMorphDiagnostic = ReturnType<import('ts-morph').Project['getPreEmitDiagnostics']>[number];

function toDiagnostic(d: TsMorphDiagnostic, ts: typeof import('ts-morph').ts): Diagnostic {
  const message = d.getMessageText();
  const text = `${typeof message === 'string' ? message : ts.flattenDiagnosticMessageText(message.compilerObject, '\n')} (TS${d.getCode()})`;
  const file = d.getSourceFile();
  const start = d.getStart();
  if (!file || start === undefined) return { text };
  const { line, column } = file.getLineAndColumnAtPos(start);
  return { text, location: { file: file.getFilePath(), line, column } };
}
