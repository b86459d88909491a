/**
 * One copy of each repeated string in the caches (namespaces, tag and container names, kinds,
 * condition reasons): JSON.parse makes a new string for every occurrence, and thousands of cached
 * objects repeat the same few. Bounded: past `max` entries the table starts over (strings already
 * shared stay shared; only later ones are looked up afresh).
 */
export class StringTable {
  private readonly table = new Map<string, string>();

  constructor(private readonly max = 50_000) {}

  intern<S extends string | undefined>(value: S): S {
    if (value === undefined) return value;
    const known = this.table.get(value);
    if (known !== undefined) return known as S;
    if (this.table.size >= this.max) this.table.clear();
    this.table.set(value, value);
    return value;
  }

  get size(): number {
    return this.table.size;
  }
}

/** The table the controller's caches share. */
export const sharedStrings = new StringTable();

/**
 * One copy of each small JSON value that many cached objects repeat whole (an import policy, a
 * reference policy, a True ImportSuccess condition of one generation): a value whose JSON is at most
 * `maxJson` characters is looked up by its JSON and the first copy returned, so that 20,000 streams
 * of 10 tags hold a handful of such objects instead of 200,000. Readers never mutate cached objects
 * (they are shared by every reconciler already). Bounded as StringTable is.
 */
export class ValueTable {
  private readonly table = new Map<string, unknown>();

  constructor(private readonly maxJson = 120, private readonly max = 20_000) {}

  /** `value`, its small parts shared: objects and arrays bottom-up, strings through `strings`. */
  share<T>(value: T, strings: StringTable = sharedStrings): T {
    if (typeof value === 'string') return (value.length <= 40 ? strings.intern(value) : value) as T;
    if (value === null || typeof value !== 'object') return value;
    const shared: unknown = Array.isArray(value)
      ? value.map((v) => this.share(v, strings))
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.share(v, strings)]));
    const json = JSON.stringify(shared);
    if (json.length > this.maxJson) return shared as T;
    const known = this.table.get(json);
    if (known !== undefined) return known as T;
    if (this.table.size >= this.max) this.table.clear();
    this.table.set(json, shared);
    return shared as T;
  }
}

/** The table the controller's caches share. */
export const sharedValues = new ValueTable();
