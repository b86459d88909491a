/**
 * Tekton's `$(...)` variable substitution, strict: a reference to anything the scope does not
 * hold throws, so a typo in an emitted Task fails the test instead of reaching a shell.
 * Shell command substitutions such as `$(git rev-parse HEAD)` are left alone, like Tekton does:
 * only the prefixes below are Tekton's.
 */

const TEKTON_PREFIXES = ['params', 'workspaces', 'results', 'tasks', 'context', 'steps', 'step'];
const REFERENCE = new RegExp(`\\$\\(((?:${TEKTON_PREFIXES.join('|')})(?:[.\\[][^)]*)?)\\)`, 'g');

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

/** Substitutes every reference in a string field; arrays are not allowed here. */
export function substitute(text: string, scope: VariableScope, where: string): string {
  return text.replace(REFERENCE, (_match, raw: string) => {
    const name = normalize(raw);
    const value = scope.strings.get(name);
    if (value !== undefined) return value;
    const arrayName = name.endsWith('[*]') ? name.slice(0, -3) : name;
    if (scope.arrays.has(arrayName)) {
      throw new TektonValidationError(
        `$(${raw}) is an array: it may only be an isolated item of an array field (args, command, array param value), found in ${where}`,
      );
    }
    throw new TektonValidationError(`unknown variable $(${raw}) in ${where}`);
  });
}

/** Substitutes an array field: an item that is exactly `$(params.x[*])` expands to the array's items. */
export function substituteArray(items: readonly string[], scope: VariableScope, where: string): string[] {
  return items.flatMap((item) => {
    const whole = /^\$\(([^)]*)\[\*\]\)$/.exec(item);
    if (whole) {
      const values = scope.arrays.get(normalize(whole[1]));
      if (values) return [...values];
    }
    return [substitute(item, scope, where)];
  });
}
