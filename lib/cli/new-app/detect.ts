import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_S2I_BUILDERS } from '../../api/build-pipeline/tasks/s2i-builders';
import { formatReference, parseReference } from '../../api/image-reference';

/**
 * Marker files and their language, most specific first (a Java app may carry a package.json for
 * its UI): the order S2I's detection in the build uses (s2i-generate-script.ts).
 */
export const LANGUAGE_MARKERS: readonly (readonly [string, string])[] = [
  ['java', 'pom.xml'], ['java', 'build.gradle'], ['java', 'build.gradle.kts'], ['go', 'go.mod'],
  ['python', 'requirements.txt'], ['python', 'setup.py'], ['python', 'Pipfile'], ['python', 'pyproject.toml'],
  ['ruby', 'Gemfile'], ['php', 'composer.json'], ['dotnet', 'global.json'], ['nodejs', 'package.json'], ['php', 'index.php'],
];

/** What new-app builds, and from what. */
export type Detected =
  | {
    readonly strategy: 'Docker';
    readonly dockerfile: string;
    /** The first FROM, which the build replaces with the stream's digest; undefined for scratch or a FROM with build args. */
    readonly from?: string;
    /** Why the FROM is not tracked, when it is not. */
    readonly fromNote?: string;
    readonly ports: readonly number[];
  }
  | {
    readonly strategy: 'Source';
    readonly language: string;
    /** The marker file that decided it. */
    readonly marker?: string;
    readonly builder: string;
    readonly ports: readonly number[];
  };

export interface DetectOptions {
  readonly strategy?: 'Docker' | 'Source';
  /** The builder image (Source) or the base replacing the first FROM (Docker). */
  readonly image?: string;
  readonly contextDir?: string;
}

const DOCKERFILES = ['Dockerfile', 'Containerfile'];

/** Chooses the strategy as `oc new-app` does: a Dockerfile → Docker; else the language of the sources → S2I. */
export function detect(repo: string, options: DetectOptions = {}): Detected | string {
  const context = join(repo, options.contextDir ?? '.');
  if (!existsSync(context)) return `the repository has no folder ${options.contextDir}`;
  const dockerfile = DOCKERFILES.find((f) => existsSync(join(context, f)));
  if (options.strategy !== 'Source' && dockerfile) return docker(join(context, dockerfile), dockerfile, options.image);
  if (options.strategy === 'Docker') return `--strategy docker, but ${options.contextDir ?? 'the repository'} has no Dockerfile (or Containerfile)`;
  const found = LANGUAGE_MARKERS.find(([, file]) => existsSync(join(context, file)));
  if (!found && !options.image) {
    return `cannot tell the language of ${options.contextDir ?? 'the repository'}: it has no Dockerfile and none of ${LANGUAGE_MARKERS.map(([, f]) => f).join(', ')}; give the builder with --image`;
  }
  const language = found?.[0] ?? 'custom';
  return { strategy: 'Source', language, marker: found?.[1], builder: options.image ?? DEFAULT_S2I_BUILDERS[language], ports: [8080] };
}

function docker(path: string, name: string, image: string | undefined): Detected {
  const text = readFileSync(path, 'utf8');
  const lines = logicalLines(text);
  const froms = lines.filter((l) => /^FROM\s/i.test(l));
  const ports = [...new Set(lines.filter((l) => /^EXPOSE\s/i.test(l)).flatMap((l) => l.split(/\s+/).slice(1)).map((p) => Number.parseInt(p, 10)).filter((p) => p > 0 && p < 65536))];
  const first = froms[0]?.split(/\s+/).slice(1).filter((w) => !w.startsWith('--'))[0];
  const base = image ?? first;
  let from: string | undefined;
  let fromNote: string | undefined;
  if (!base) fromNote = `${name} has no FROM`;
  else if (base === 'scratch') fromNote = 'the first FROM is scratch: nothing to track';
  else if (base.includes('$')) fromNote = `the first FROM (${base}) uses a build argument: its image is known only at build time`;
  else {
    try {
      from = formatReference(parseReference(base));
    } catch {
      fromNote = `the first FROM (${base}) is not an image reference`;
    }
  }
  return { strategy: 'Docker', dockerfile: name, from, fromNote, ports };
}

/** Dockerfile instructions, continuation lines joined and comments dropped. */
function logicalLines(text: string): string[] {
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}
