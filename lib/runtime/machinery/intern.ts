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
