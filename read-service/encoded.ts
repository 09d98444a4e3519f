/**
 * Answers as the wire carries them: the queries (queries.ts) encode an answer once, when it is
 * loaded from MongoDB; the cache (cache.ts) keeps those bytes and the gRPC server
 * (grpc-server.ts) sends them as they are, so a cache hit is neither decoded nor encoded.
 */
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/** The encoded proto message of type T. */
export type Encoded<T> = Buffer & { readonly __encodes?: T };

/** What a generated message (proto/gen) offers to encode itself. */
export interface Encoder<T> {
  encode(message: T): { finish(): Uint8Array };
}

export function encode<T>(codec: Encoder<T>, message: T): Encoded<T> {
  const bytes = codec.encode(message).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The number of the `customer_id` field of each answer about one customer's data
 * (proto/cinema/read/v1/read.proto; test/unit/read/encoded.unit.test.ts checks them against the
 * generated code).
 */
export const OWNER_FIELD = { ticket: 6, payment: 3, reservation: 3, purchase: 3 } as const;

/** A string field of an encoded message, read without decoding the others; '' when absent. */
export function stringField(message: Uint8Array, field: number): string {
  const reader = new BinaryReader(message);
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (no === field && wireType === WireType.LengthDelimited) return reader.string();
    reader.skip(wireType, no);
  }
  return '';
}
