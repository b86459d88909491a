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

const PARAM_REFERENCE = /\$\(params(?:\.([A-Za-z0-9_-]+)|\[(['"])([^'"\]]+)\2\])\)/g;
const MAX_REFERENCE_DEPTH = 10;

/**
 * A PipelineRun's params, as Tekton (>= 1.x) resolves them before anything else: the run's values
 * as given; a string default that refers to other params (`$(params.registry)/app`) with those
 * params' values, recursively, failing on an undefined or circular reference; the items of an
 * array default with the string params' values. Run values are never read again.
 * @see tektoncd/pipeline pkg/reconciler/pipelinerun/resources/apply.go ApplyParameters
 */
export function resolvePipelineParams(
  pipeline: { readonly params?: readonly ParamSpec[] },
  given: Readonly<Record<string, ParamValue>>,
): Map<string, ParamValue> {
  const values = resolveParams(pipeline, given, 'pipeline', true);
  const fromDefaults = new Set((pipeline.params ?? []).filter((p) => given[p.name] === undefined).map((p) => p.name));
  const strings = new Map<string, string>();
  for (const [name, value] of values) if (typeof value === 'string' && !fromDefaults.has(name)) strings.set(name, value);
  const resolving = new Set<string>();
  const resolve = (name: string, depth: number): string => {
    const known = strings.get(name);
    if (known !== undefined) return known;
    const raw = values.get(name);
    if (typeof raw !== 'string') throw new TektonValidationError(`parameter resolution failed: references undefined param "params.${name}"`);
    if (resolving.has(name)) throw new TektonValidationError(`parameter resolution failed: circular dependency detected in param "params.${name}"`);
    if (depth > MAX_REFERENCE_DEPTH) throw new TektonValidationError(`parameter resolution failed: maximum recursion depth (${MAX_REFERENCE_DEPTH}) exceeded for param "params.${name}"`);
    resolving.add(name);
    const resolved = raw.replace(PARAM_REFERENCE, (_whole, dotted: string | undefined, _q, bracketed: string | undefined) => resolve((dotted ?? bracketed)!, depth + 1));
    resolving.delete(name);
    strings.set(name, resolved);
    return resolved;
  };
  for (const [name, value] of values) if (typeof value === 'string') resolve(name, 0);
  const substituteStrings = (text: string) => text.replace(PARAM_REFERENCE, (whole, dotted: string | undefined, _q, bracketed: string | undefined) => strings.get((dotted ?? bracketed)!) ?? whole);
  const result = new Map<string, ParamValue>();
  for (const [name, value] of values) {
    if (typeof value === 'string') result.set(name, strings.get(name)!);
    else result.set(name, fromDefaults.has(name) ? value.map(substituteStrings) : value);
  }
  return result;
}
