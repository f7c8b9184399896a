import { availableParallelism } from 'node:os';
import { hash, parseOptions, verify } from '@node-rs/argon2';
import { identityError } from './identity.errors.ts';

/**
 * Argon2id with the OWASP parameters (m = 19 MiB, t = 2, p = 1) or stronger. @node-rs/argon2's
 * async functions run on the libuv threadpool, never on the event loop; on top of that at most
 * (cores - 1) hashes run at once, so a login storm leaves a core to serve other requests, and a
 * bounded queue turns an overload into a quick 503 instead of an ever-growing backlog.
 */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const OWASP_ARGON2: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum the isolated-modules build cannot import)

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(storedHash: string, password: string): Promise<boolean>;
  /** Whether a stored hash was made with other parameters (then re-hash at next sign-in). */
  needsRehash(storedHash: string): boolean;
  /** Spends the time of a real verification, for unknown accounts (timing equalization). */
  verifyDummy(password: string): Promise<void>;
}

export interface PasswordHasherOptions {
  params?: Argon2Params;
  maxConcurrent?: number;
  maxQueued?: number;
}

/** A counting semaphore with a bounded wait queue. */
function createLimiter(maxConcurrent: number, maxQueued: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= maxConcurrent) {
      if (waiting.length >= maxQueued) throw identityError('BUSY');
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running += 1;
    }
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const params = options.params ?? OWASP_ARGON2;
  const run = createLimiter(
    options.maxConcurrent ?? Math.max(1, availableParallelism() - 1),
    options.maxQueued ?? 256,
  );
  const argonOptions = { ...params, algorithm: ARGON2ID };
  let dummyHash: Promise<string> | undefined;
  return {
    hash: (password) => run(() => hash(password, argonOptions)),
    async verify(storedHash, password) {
      try {
        return await run(() => verify(storedHash, password));
      } catch (error) {
        if ((error as { code?: string }).code === 'BUSY') throw error;
        return false; // a malformed stored hash never verifies
      }
    },
    needsRehash(storedHash) {
      try {
        const parsed = parseOptions(storedHash);
        return (
          parsed.algorithm !== ARGON2ID ||
          parsed.memoryCost < params.memoryCost ||
          parsed.timeCost < params.timeCost ||
          parsed.parallelism !== params.parallelism
        );
      } catch {
        return true;
      }
    },
    async verifyDummy(password) {
      dummyHash ??= hash('vigil-timing-equalizer', argonOptions);
      await run(async () => verify(await dummyHash!, password));
    },
  };
}
