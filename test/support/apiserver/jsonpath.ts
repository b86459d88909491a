/**
 * The subset of kube's JSONPath that printer columns use: `.a.b`, `['a.b']`, `[0]`, `[*]`
 * and filters `[?(@.type=="Ready")]`. Returns every match, in order.
 */
import { isObject } from './json';
import { Json } from './types';

type Step = { field: string } | { index: number } | { all: true } | { filter: { path: string[]; value: string } };

function parseFilter(body: string): Step {
  const m = /^@((?:\.[\w-]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)'|(\S+))$/.exec(body.trim());
  if (!m) throw new Error(`unsupported JSONPath filter: ${body}`);
  return { filter: { path: m[1].slice(1).split('.'), value: m[2] ?? m[3] ?? m[4] } };
}

export function parseJsonPath(expr: string): Step[] {
  const text = expr.trim().replace(/^\{(.*)\}$/, '$1').replace(/^\$/, '');
  const steps: Step[] = [];
  const re = /\.([\w-]+)|\[(\d+)\]|\[\*\]|\['([^']*)'\]|\["([^"]*)"\]|\[\?\((.*?)\)\]/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    if (m[1] !== undefined) steps.push({ field: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined || m[4] !== undefined) steps.push({ field: m[3] ?? m[4] });
    else if (m[5] !== undefined) steps.push(parseFilter(m[5]));
    else steps.push({ all: true });
  }
  if (re.lastIndex !== text.length && text !== '') throw new Error(`unsupported JSONPath: ${expr}`);
  return steps;
}

function dig(v: Json | undefined, path: string[]): Json | undefined {
  return path.reduce<Json | undefined>((node, k) => (isObject(node) ? node[k] : undefined), v);
}

function step(values: Json[], s: Step): Json[] {
  const out: Json[] = [];
  for (const v of values) {
    if ('field' in s) {
      if (isObject(v) && v[s.field] !== undefined) out.push(v[s.field]);
    } else if ('index' in s) {
      if (Array.isArray(v) && s.index < v.length) out.push(v[s.index]);
    } else if ('all' in s) {
      if (Array.isArray(v)) out.push(...v);
      else if (isObject(v)) out.push(...Object.values(v));
    } else if (Array.isArray(v)) {
      out.push(...v.filter((item) => String(dig(item, s.filter.path)) === s.filter.value));
    }
  }
  return out;
}

export function evaluateJsonPath(expr: string, root: Json): Json[] {
  return parseJsonPath(expr).reduce<Json[]>((values, s) => step(values, s), [root]);
}
