/**
 * The outbox shard of an aggregate: a stable hash of its id into 0..1023. Relay shard i of N owns
 * the rows with shard_key % N = i, so all events of one aggregate go through one relay, in order.
 * N may change between deployments; 1024 keeps the split even for any N that divides it.
 */
export const SHARD_SPACE = 1024;

/** FNV-1a (32-bit) over the id's UTF-8 bytes: tiny, fast, and the same in every process forever. */
export function shardKeyOf(aggregateId: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(aggregateId, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SHARD_SPACE;
}

/** Validates a relay's (shard, shardCount) pair before it reaches SQL. */
export function assertShard(shard: number, shardCount: number): void {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > SHARD_SPACE) {
    throw new RangeError(`shardCount must be an integer in 1..${SHARD_SPACE}`);
  }
  if (!Number.isInteger(shard) || shard < 0 || shard >= shardCount) {
    throw new RangeError(`shard must be an integer in 0..${shardCount - 1}`);
  }
}
