/**
 * Reading what users pass to constructs and factories, as esbuild reads its options: TypeScript types
 * vanish at run time (JavaScript users, `as any`, objects spread from elsewhere), so each value is
 * checked with a small predicate, unknown keys are refused by name, and each error names where
 * (`at`: `[construct/path]` or `Factory():`), the prop, the value it got, and what would be right.
 */

/** `[construct/path]` for constructs, `Factory():` for factories. */
export type At = string;

/** The value as a message shows it: strings quoted, objects by what they are. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === null || typeof value !== 'object' && typeof value !== 'function') return String(value);
  if (typeof value === 'function') return value.name ? `a function (${value.name})` : 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
}

/** Throws `${at} '${prop}' (${value}) must be ${what}`. */
export function wrongValue(at: At, prop: string, value: unknown, what: string): never {
  throw new Error(`${at} '${prop}' (${shown(value)}) must be ${what}`);
}

/**
 * The keys of `T`, every one listed (the compiler says when an interface grows and this list
 * does not): what an options object may hold.
 */
export function keysOf<T>(keys: Record<keyof Required<T>, true>): readonly string[] {
  return Object.keys(keys);
}

/**
 * An options object (undefined reads as `{}`): anything else, or a key it does not know, is refused
 * by name, with the key it was probably meant to be.
 */
export function checkOptions<T>(at: At, what: string, value: T | undefined, keys: readonly string[], example: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${at} ${what} (${shown(value)}) must be an object: ${example}`);
  }
  for (const key of Object.keys(value)) {
    if (keys.includes(key)) continue;
    const near = nearest(key, keys);
    throw new Error(`${at} ${what} has an unknown key '${key}'${near ? `: did you mean '${near}'?` : ''} (known: ${keys.join(', ')})`);
  }
  return value;
}

export function checkString(at: At, prop: string, value: unknown, example: string): string {
  if (typeof value !== 'string') wrongValue(at, prop, value, `a string, e.g. ${example}`);
  return value;
}

export function optionalString(at: At, prop: string, value: unknown, example: string): string | undefined {
  return value === undefined ? undefined : checkString(at, prop, value, example);
}

export function optionalBoolean(at: At, prop: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') wrongValue(at, prop, value, 'true or false');
  return value;
}

export function optionalNumber(at: At, prop: string, value: unknown, example: string): number | undefined {
  if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) wrongValue(at, prop, value, `a number, e.g. ${example}`);
  return value;
}

/** A cdk8s Duration, by shape (a second copy of cdk8s makes `instanceof` lie). */
export function optionalDuration<D>(at: At, prop: string, value: D | undefined, example: string): D | undefined {
  if (value === undefined) return undefined;
  const d = value as { toSeconds?: unknown; toMilliseconds?: unknown } | null;
  if (typeof d !== 'object' || d === null || typeof d.toSeconds !== 'function' || typeof d.toMilliseconds !== 'function') {
    wrongValue(at, prop, value, `a cdk8s Duration, e.g. ${example}`);
  }
  return value;
}

/** A cdk8s Size, by shape. */
export function optionalSize<S>(at: At, prop: string, value: S | undefined, example: string): S | undefined {
  if (value === undefined) return undefined;
  const s = value as { toKibibytes?: unknown } | null;
  if (typeof s !== 'object' || s === null || typeof s.toKibibytes !== 'function') wrongValue(at, prop, value, `a cdk8s Size, e.g. ${example}`);
  return value;
}

/** An array (readonly lists may come as any array), each item checked by `item`. */
export function optionalList<T>(at: At, prop: string, value: readonly T[] | undefined, example: string, item?: (value: unknown, index: number) => T): T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) wrongValue(at, prop, value, `a list, e.g. ${example}`);
  return item ? value.map((v, i) => item(v, i)) : [...value];
}

/** A list of strings. */
export function optionalStringList(at: At, prop: string, value: readonly string[] | undefined, example: string): string[] | undefined {
  return optionalList(at, prop, value, example, (v, i) => checkString(at, `${prop}[${i}]`, v, example.replace(/^\[|\]$/g, '')));
}

/** A map of strings to strings (labels, env, build args …). */
export function optionalStringMap(at: At, prop: string, value: Readonly<Record<string, string>> | undefined, example: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) wrongValue(at, prop, value, `an object of strings, e.g. ${example}`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') wrongValue(at, `${prop}.${key}`, v, `a string${typeof v === 'number' || typeof v === 'boolean' ? `: write it quoted, '${String(v)}'` : ''}`);
  }
  return { ...value };
}

/** A value made by one of our factories, recognised by its brand check. */
export function checkMadeBy<T>(at: At, prop: string, value: unknown, is: (x: unknown) => x is T, factories: string): T {
  if (!is(value)) wrongValue(at, prop, value, factories);
  return value;
}

/** The known key closest to `key` (a typo, or the wrong case), if any is close. */
function nearest(key: string, keys: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of keys) {
    const distance = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (distance <= Math.max(1, Math.floor(candidate.length / 4)) && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
