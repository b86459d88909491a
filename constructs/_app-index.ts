import type { IConstruct } from 'constructs';

/**
 * The constructs of one app that checks look up (its Systems, ImageStreams, BuildConfigs, the
 * per-namespace shared objects), kept on the app's root as each is made, and what checks derive from
 * the whole app, memoized: looking them up never walks the tree, which made synthesis quadratic (a
 * walk per stream, per build, per workload). Kept on the root under a `Symbol.for` key, so duplicate
 * copies of this package share it.
 *
 * A memoized result holds until the app changes in a way it may depend on: a construct is registered,
 * `appChanged` is called (our validations that add objects call it), or a validation pass starts —
 * the root's validation runs first in every pass (cdk8s and the compiler validate from the root
 * down), so whatever the app's code changed between passes is seen.
 */
interface AppIndex {
  readonly members: Map<string, IConstruct[]>;
  readonly memos: Map<string, { readonly version: number; readonly value: unknown }>;
  version: number;
}

const INDEX = Symbol.for('cdk8s-imagestreams.AppIndex');

function indexOf(scope: IConstruct): AppIndex {
  const root = scope.node.root as IConstruct & { [INDEX]?: AppIndex };
  const existing = root[INDEX];
  if (existing) return existing;
  const index: AppIndex = { members: new Map(), memos: new Map(), version: 0 };
  Object.defineProperty(root, INDEX, { value: index });
  root.node.addValidation({ validate: () => (index.version++, []) });
  return index;
}

/** Records `construct` as one of its app's `kind` (in the order they are made). */
export function register(construct: IConstruct, kind: string): void {
  const index = indexOf(construct);
  const members = index.members.get(kind);
  if (members) members.push(construct);
  else index.members.set(kind, [construct]);
  index.version++;
}

/** The registered constructs of `kind` in `scope`'s app, in the order they were made. */
export function registered<T extends IConstruct>(scope: IConstruct, kind: string, is: (x: IConstruct) => x is T): readonly T[] {
  return (indexOf(scope).members.get(kind) ?? []).filter(is);
}

/** Tells the index that `scope`'s app gained objects that memoized results may depend on. */
export function appChanged(scope: IConstruct): void {
  indexOf(scope).version++;
}

/** `compute()` for `scope`'s app, reused until the app changes (see above). */
export function memoized<T>(scope: IConstruct, key: string, compute: () => T): T {
  const index = indexOf(scope);
  const memo = index.memos.get(key);
  if (memo && memo.version === index.version) return memo.value as T;
  const value = compute();
  index.memos.set(key, { version: index.version, value });
  return value;
}
