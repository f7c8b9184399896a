import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from './clock.ts';

/** Ids are UUIDv7: time-ordered (good B-tree locality, cursor pagination) and random enough to be unguessable. */
export interface IdGenerator {
  newId(): string;
}

export function createIdGenerator(clock: Clock): IdGenerator {
  return { newId: () => uuidv7({ msecs: clock.now(), random: randomBytes(16) }) };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: string): boolean {
  return UUID_PATTERN.test(value);
}
