/** Parameters as declared (ParamSpec) and as passed (Param) in tekton.dev/v1. */

export type ParamType = 'string' | 'array';

/** A value passed for a param: a string, or a list for `type: array`. */
export type ParamValue = string | readonly string[];

/** @see https://tekton.dev/docs/pipelines/tasks/#specifying-parameters */
export interface ParamSpec {
  readonly name: string;
  /** @default 'string' */
  readonly type?: ParamType;
  readonly description?: string;
  /** @default - required: a run without a value fails */
  readonly default?: ParamValue;
}

export interface Param {
  readonly name: string;
  readonly value: ParamValue;
}
