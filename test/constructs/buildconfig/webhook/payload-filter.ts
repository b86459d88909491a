/**
 * Test helper: evaluates the small part of CEL our branch filters use, on a payload, as the Triggers
 * cel interceptor would: clauses joined by `&&`, each `path == "literal"`, `path != null`,
 * `!path`, `path.matches("RE2")` (a non-string is an error, as in CEL) or `header.match("Name", "value")`. A missing key is an evaluation error (as in CEL), which
 * the interceptor treats as "do not fire". Anything else throws, so a changed filter shape is noticed.
 */
export type FilterResult = 'fires' | 'filtered' | 'error';

type Json = unknown;

const PATH = /^(body(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+)$/;

/** `body.a.b[0].c` against `{ body }`; throws on a missing key like CEL's "no such key". */
export function lookup(root: Record<string, Json>, path: string): Json {
  let value: Json = root;
  for (const part of path.match(/[A-Za-z_][A-Za-z0-9_]*|\[\d+\]/g) ?? []) {
    const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part;
    if (value === null || typeof value !== 'object' || !(key in (value as object))) throw new Error(`no such key: ${part}`);
    value = (value as Record<string | number, Json>)[key];
  }
  return value;
}

function clause(text: string, body: Json, headers: Record<string, string>): boolean {
  const root = { body };
  let m = /^header\.match\("([^"]+)", "([^"]*)"\)$/.exec(text);
  if (m) return Object.entries(headers).some(([k, v]) => k.toLowerCase() === m![1].toLowerCase() && v === m![2]);
  m = /^(\S+) == ("(?:[^"\\]|\\.)*")$/.exec(text);
  if (m && PATH.test(m[1])) return lookup(root, m[1]) === JSON.parse(m[2]);
  m = /^(\S+) != null$/.exec(text);
  if (m && PATH.test(m[1])) return lookup(root, m[1]) !== null;
  m = /^(\S+)\.matches\(("(?:[^"\\]|\\.)*")\)$/.exec(text);
  if (m && PATH.test(m[1])) {
    const value = lookup(root, m[1]);
    if (typeof value !== 'string') throw new Error(`no such overload: matches on ${typeof value}`);
    return new RegExp(JSON.parse(m[2]) as string).test(value);
  }
  m = /^!(\S+)$/.exec(text);
  if (m && PATH.test(m[1])) return !lookup(root, m[1]);
  throw new Error(`the test's CEL subset does not know: ${text}`);
}

export function evaluateFilter(filter: string, body: Json, headers: Record<string, string> = {}): FilterResult {
  const clauses = filter.split(' && ');
  try {
    return clauses.every((c) => clause(c, body, headers)) ? 'fires' : 'filtered';
  } catch (e) {
    if (/^no such (key|overload)/.test((e as Error).message)) return 'error';
    throw e;
  }
}

/** A TriggerBinding value with its `$(body.x)` parts replaced from the payload. */
export function resolveBinding(value: string, body: Json): string {
  return value.replace(/\$\((body[^)]*)\)/g, (_, path: string) => String(lookup({ body }, path)));
}
