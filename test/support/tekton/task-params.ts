import type { ParamSpec, ParamValue } from '../../../constructs/tekton';
import { TektonValidationError } from './substitute';

/**
 * The value of every declared param: given, else its default. For Tasks, stricter than Tekton on
 * one point: a param the Task does not declare is an error (it is always a typo in our Pipelines).
 * A PipelineRun may pass params its Pipeline does not declare (`allowUndeclared`), as Tekton
 * allows (tektoncd/pipeline#2513): the controller passes REVISION to every build.
 */
export function resolveParams(
  task: { readonly params?: readonly ParamSpec[] },
  given: Readonly<Record<string, ParamValue>>,
  where: string,
  allowUndeclared = false,
): Map<string, ParamValue> {
  const declared = new Map((task.params ?? []).map((param) => [param.name, param]));
  for (const name of Object.keys(given)) {
    if (!declared.has(name) && !allowUndeclared) throw new TektonValidationError(`${where}: it declares no param "${name}"`);
  }
  const values = new Map<string, ParamValue>();
  for (const param of declared.values()) {
    const value = given[param.name] ?? param.default;
    if (value === undefined) {
      throw new TektonValidationError(`${where}: param "${param.name}" has no value and no default`);
    }
    const type = param.type ?? 'string';
    if ((type === 'array') !== Array.isArray(value)) {
      throw new TektonValidationError(`${where}: param "${param.name}" is of type ${type} but got ${JSON.stringify(value)}`);
    }
    values.set(param.name, value);
  }
  return values;
}
