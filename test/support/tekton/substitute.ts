/**
 * Tekton's `$(...)` variable substitution, as its reconcilers do it:
 * - The emitted text is checked strictly first: a reference to anything the scope does not hold
 *   throws, so a typo in an emitted Task fails the test instead of reaching a shell.
 * - Then one pass per kind of variable, in Tekton's order (params, context, results, steps,
 *   workspaces, then tasks' results at the Pipeline level). Each pass replaces exactly the
 *   `$(name)` strings it knows, in one go (Go's strings.Replacer), and the next pass reads the text
 *   the previous one produced: a param VALUE that holds `$(context.taskRun.name)` or
 *   `$(workspaces.x.path)` is substituted too, while one that holds `$(params.x)` is not (the params
 *   pass is over). References inside values that no pass knows are left as they are.
 * Shell command substitutions such as `$(git rev-parse HEAD)` are left alone, like Tekton does:
 * only the prefixes below are Tekton's.
 * @see tektoncd/pipeline pkg/reconciler/taskrun/taskrun.go applyParamsContextsResultsAndWorkspaces,
 *   pkg/reconciler/pipelinerun/resources/apply.go, pkg/substitution/replacements.go
 */

const TEKTON_PREFIXES = ['params', 'workspaces', 'results', 'tasks', 'context', 'steps', 'step'];
const REFERENCE = new RegExp(`\\$\\(((?:${TEKTON_PREFIXES.join('|')})(?:[.\\[][^)]*)?)\\)`, 'g');
/** The order of Tekton's substitution passes over a spec (TaskRun, then PipelineRun variables). */
const PASSES = ['params', 'context', 'results', 'steps', 'workspaces', 'tasks'] as const;

export class TektonValidationError extends Error {
  override readonly name = 'TektonValidationError';
}

/** Values visible to one substitution: 'params.URL' → '…', arrays under their bare name. */
export interface VariableScope {
  readonly strings: ReadonlyMap<string, string>;
  readonly arrays: ReadonlyMap<string, readonly string[]>;
}

/** `params['a-b']` and `params["a-b"]` mean `params.a-b`. */
function normalize(reference: string): string {
  return reference.replace(/\[(['"])([^'"\]]+)\1\]/g, '.$2');
}

const passOf = (name: string) => (name.startsWith('step.') ? 'steps' : name.slice(0, name.indexOf('.')));

/** Throws on a reference the scope does not hold, or an array where only a string may be. */
function validate(text: string, scope: VariableScope, where: string): void {
  for (const match of text.matchAll(REFERENCE)) {
    const raw = match[1];
    const name = normalize(raw);
    if (scope.strings.has(name)) continue;
    const arrayName = name.endsWith('[*]') ? name.slice(0, -3) : name;
    if (scope.arrays.has(arrayName)) {
      throw new TektonValidationError(
        `$(${raw}) is an array: it may only be an isolated item of an array field (args, command, array param value), found in ${where}`,
      );
    }
    throw new TektonValidationError(`unknown variable $(${raw}) in ${where}`);
  }
}

/** One pass: every `$(name)` of the pass's variables replaced at once, the inserted text not read again. */
function applyPass(text: string, scope: VariableScope, pass: string): string {
  return text.replace(REFERENCE, (whole, raw: string) => {
    const name = normalize(raw);
    if (passOf(name) !== pass) return whole;
    return scope.strings.get(name) ?? whole;
  });
}

/** The passes alone, without the strict check: what Tekton does to text it did not write (values). */
export function applyPasses(text: string, scope: VariableScope): string {
  return PASSES.reduce((current, pass) => applyPass(current, scope, pass), text);
}

/** Substitutes every reference in a string field; arrays are not allowed here. */
export function substitute(text: string, scope: VariableScope, where: string): string {
  validate(text, scope, where);
  return applyPasses(text, scope);
}

/**
 * Substitutes an array field: an item that is exactly `$(params.x[*])` (or `$(params.x)` of an
 * array) expands to the array's items, which the later passes then read like any other text.
 */
export function substituteArray(items: readonly string[], scope: VariableScope, where: string): string[] {
  return items.flatMap((item) => {
    const whole = /^\$\(([^)]*?)(\[\*\])?\)$/.exec(item);
    if (whole) {
      const values = scope.arrays.get(normalize(whole[1]));
      if (values) {
        const later = { strings: scope.strings, arrays: new Map() };
        return values.map((value) => PASSES.slice(1).reduce((current, pass) => applyPass(current, later, pass), value));
      }
    }
    return [substitute(item, scope, where)];
  });
}
