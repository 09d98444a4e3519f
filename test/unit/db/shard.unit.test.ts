import { assertShard, SHARD_SPACE, shardKeyOf } from '../../../db/outbox/shard';

describe('outbox shard key', () => {
  it('is a stable FNV-1a hash of the aggregate id, folded into 0..1023', () => {
    // Pinned: changing the hash would move live aggregates to another relay shard mid-stream.
    expect(shardKeyOf('res-1')).toBe(535); // FNV-1a('res-1') = 3109735959
    expect(shardKeyOf('res-1')).toBe(shardKeyOf('res-1'));
    expect(shardKeyOf('')).toBe(0x811c9dc5 % SHARD_SPACE);
  });

  it('spreads ids evenly enough over relay shards', () => {
    const shards = 4;
    const counts = new Array<number>(shards).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const key = shardKeyOf(`reservation-${i}`);
      expect(key).toBeGreaterThanOrEqual(0);
      expect(key).toBeLessThan(SHARD_SPACE);
      counts[key % shards]! += 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(2_000);
  });

  it('hashes UTF-8 bytes, so non-ASCII ids are stable too', () => {
    expect(shardKeyOf('saga-ü')).not.toBe(shardKeyOf('saga-u'));
  });

  it('validates a relay shard assignment', () => {
    expect(() => assertShard(0, 1)).not.toThrow();
    expect(() => assertShard(3, 4)).not.toThrow();
    expect(() => assertShard(4, 4)).toThrow(RangeError);
    expect(() => assertShard(-1, 4)).toThrow(RangeError);
    expect(() => assertShard(0, 0)).toThrow(RangeError);
    expect(() => assertShard(0, SHARD_SPACE + 1)).toThrow(RangeError);
  });
});
