/**
 * Sharding of the controller by namespace, the way Argo CD shards its application controller by
 * cluster: N shards, each owning a fixed range of a 32-bit hash of the namespace name, so that a
 * namespace's shard never depends on which other namespaces exist. Each shard has a Lease of its own;
 * whoever holds it reconciles the namespaces of its range. Pure: the System construct and the runtime
 * share it.
 */

/** The most shards a System may run. */
export const MAX_SHARDS = 16;

/** FNV-1a (32-bit) of the name's UTF-8 bytes. */
export function namespaceHash(namespace: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(namespace)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The shard owning `namespace`: shard i owns the hashes from i·2³²/shards up to (i+1)·2³²/shards. */
export function shardOf(namespace: string, shards: number): number {
  return Math.floor((namespaceHash(namespace) * shards) / 2 ** 32);
}

/** The Lease of a shard: the unsharded controller's own name when there is one shard. */
export function shardLeaseName(base: string, shard: number, shards: number): string {
  return shards === 1 ? base : `${base}-shard-${shard}`;
}

/** Why `shards` and `shard` can't be used, or undefined. */
export function shardingProblem(shards: number, shard: number): string | undefined {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) return `shards (${shards}) must be a whole number from 1 to ${MAX_SHARDS}`;
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards) return `shard (${shard}) must be a whole number from 0 to ${shards - 1}`;
  return undefined;
}
