/**
 * Values that must reach a step exactly as the user wrote them: build args, env, labels, inline
 * Dockerfiles, paths, URLs.
 *
 * Two layers rewrite text on its way from a PipelineRun to a step's script:
 * - Tekton substitutes `$(params.x)`, `$(context.…)`, `$(tasks.….results.…)`, `$(workspaces.….path)`
 *   and more, in several passes: a value pasted in by one pass is read again by the next, and a
 *   Pipeline param's default may refer to other params. Tekton has no escape for `$(`.
 * - The kubelet expands `$(NAME)` in a container's env values, command and args with the
 *   container's env vars (and the service links, KUBERNETES_SERVICE_HOST …), and turns `$$` into `$`.
 *
 * So a build param carries its value percent-encoded in the two characters that matter: `%` → `%25`
 * and `$` → `%24`. The text then has no `$` at all, which neither layer touches, and the step script
 * decodes it (`decode_literal`). Text without `%24` or `%25` decodes to itself, so a value written by
 * hand into a run still works unless it holds those sequences.
 */

/** `%` → `%25`, `$` → `%24`: what a build param carries. */
export function encodeLiteral(value: string): string {
  return value.replace(/%/g, '%25').replace(/\$/g, '%24');
}

/** The inverse of encodeLiteral. */
export function decodeLiteral(value: string): string {
  return value.replace(/%2[45]/g, (escape) => (escape === '%24' ? '$' : '%'));
}

/**
 * For a value the kubelet reads but Tekton never does (a plain container's env, command or args):
 * `$` → `$$`, which the kubelet turns back into `$`, so `$(NAME)` stays literal.
 */
export function kubernetesLiteral(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/**
 * The POSIX sh function every step script that reads a build param uses: `decode_literal NAME VALUE`
 * sets the variable NAME to VALUE decoded, trailing newlines kept. sed only: it runs in busybox,
 * Alpine, UBI and Ubuntu images alike.
 */
export const DECODE_LITERAL_SH = `decode_literal() {
  _decoded="$(printf '%sx' "$2" | sed -e 's/%24/$/g' -e 's/%25/%/g')"
  eval "$1=\\"\\\${_decoded%x}\\""
}`;
