import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from './clock.ts';

/** Ids are UUIDv7: time-ordered (good B-tree locality, cursor pagination) and random enough to be unguessable. */
export interface IdGenerator {
  newId(): string;
}

// Random bits come from one buffer of CSPRNG output refilled 256 ids at a time: a randomFillSync
// call costs several times the rest of making an id, and an ingest batch needs thousands of ids.
// Each 16-byte slice is handed out once; uuid reads it at once and keeps no reference.
const RANDOM_BYTES_PER_ID = 16;
const POOL_BYTES = 256 * RANDOM_BYTES_PER_ID;
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let poolOffset = POOL_BYTES;

function takeRandom(): Uint8Array {
  if (poolOffset + RANDOM_BYTES_PER_ID > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += RANDOM_BYTES_PER_ID;
  return pool.subarray(start, start + RANDOM_BYTES_PER_ID);
}

export function createIdGenerator(clock: Clock): IdGenerator {
  return { newId: () => uuidv7({ msecs: clock.now(), random: takeRandom() }) };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: string): boolean {
  return UUID_PATTERN.test(value);
}
