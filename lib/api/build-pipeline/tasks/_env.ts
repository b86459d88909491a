import type { EnvVar } from '../../tekton';

/**
 * Params reach scripts through env vars, never by `$(params.x)` inside the script text: Tekton
 * pastes values into scripts unescaped, so a quote in a URL would become shell code.
 */
export function paramEnv(names: readonly string[]): EnvVar[] {
  return names.map((name) => ({ name: `PARAM_${name}`, value: `$(params.${name})` }));
}

/** The env var a script reads for a param, e.g. PARAM_URL. */
export function envOf(param: string): string {
  return `PARAM_${param}`;
}
