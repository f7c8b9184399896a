// Card vault throughput on SQLite and PostgreSQL: tokenize (validate, keyed fingerprint lookup,
// encrypt under the vault key, insert, audit event; one transaction each) and detokenize
// (permission check, per-actor sliding-window rate limit under a lock, decrypt, audit event with
// the reason; one transaction each). Sequential calls, then 8 in flight.
//   node --import tsx bench/vault-tokenize.ts [--cards 1000] [--concurrency 8] [--dialects sqlite,postgres]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openVigil, type Vigil } from '../src/main.ts';
import { MINUTE_MS } from '../src/shared/clock.ts';
import type { Principal } from '../src/shared/principal.ts';
import { createVaultService, luhnValid, type VaultService } from '../src/vault/index.ts';

const { values } = parseArgs({
  options: {
    cards: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const CARDS = Number(values.cards);
const CONCURRENCY = Number(values.concurrency);
const DATABASE_URL = process.env['VIGIL_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Distinct Luhn-valid Visa numbers (test ranges, no real account). */
function visaNumbers(count: number, salt: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const partial = `4${String(salt).padStart(3, '0')}${String(i).padStart(11, '0')}`;
    for (let d = 0; d <= 9; d++) if (luhnValid(partial + d)) return partial + d;
    throw new Error('unreachable');
  });
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function openFor(dialect: string, dataDir: string, schema: string): Promise<Vigil> {
  const env: Record<string, string> = {
    VIGIL_DATA_DIR: dataDir,
    VIGIL_KEY_PROVIDER: 'env',
    VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
    VIGIL_SQLITE_SYNCHRONOUS: 'FULL',
    ...(dialect === 'postgres' ? { VIGIL_DATABASE_URL: DATABASE_URL, VIGIL_DATABASE_POOL_MAX: '10' } : {}),
  };
  return openVigil(loadConfig({ env }), {
    logger: createLogger({ level: 'silent' }),
    ...(dialect === 'postgres' ? { storage: { postgresSchema: schema } } : {}),
  });
}

/** Runs fn over items with `concurrency` calls in flight; returns operations per second. */
async function throughput<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
  return Math.round((items.length / (performance.now() - start)) * 1000);
}

async function benchDialect(dialect: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-vault-'));
  const schema = `vigil_bench_${randomBytes(4).toString('hex')}`;
  if (dialect === 'postgres') await adminQuery(`create schema ${schema}`);
  const vigil = await openFor(dialect, dataDir, schema);
  try {
    const tenant = await vigil.tenancy.ensureDefault();
    // The product's vault, with a limit above what the run needs (the limiter's queries still run).
    const vault: VaultService = createVaultService({
      db: vigil.storage.db,
      dialect: vigil.storage.dialect,
      clock: vigil.clock,
      ids: vigil.ids,
      keys: vigil.keys,
      audit: vigil.audit,
      authorize: (principal, permission, context) => vigil.access.gate.holds(principal, permission, context),
      detokenizeLimit: { max: 1_000_000, windowMs: MINUTE_MS },
    });
    const actor = { type: 'api_key', id: 'bench-ingest' };
    const specialist = (id: string): Principal => ({
      tenantId: tenant.id,
      kind: 'user',
      id,
      displayName: 'Bench Payments',
      roles: ['payments_specialist'],
      mfaVerifiedAt: vigil.clock.now(),
    });
    const result: Record<string, number> = {};
    for (const [label, concurrency, salt] of [
      ['sequential', 1, 1],
      [`concurrency${CONCURRENCY}`, CONCURRENCY, 2],
    ] as const) {
      const pans = visaNumbers(CARDS, salt);
      const tokens: string[] = [];
      result[`tokenize_${label}`] = await throughput(pans, concurrency, async (pan) => {
        tokens.push((await vault.tokenize(undefined, { tenantId: tenant.id, pan, actor })).token);
      });
      result[`tokenizeExisting_${label}`] = await throughput(pans, concurrency, (pan) =>
        vault.tokenize(undefined, { tenantId: tenant.id, pan, actor }),
      );
      // Each in-flight worker is its own actor, as separate payments specialists would be.
      let worker = 0;
      result[`detokenize_${label}`] = await throughput(tokens, concurrency, (token) =>
        vault.detokenize({
          tenantId: tenant.id,
          token,
          actor: specialist(`bench-user-${worker++ % concurrency}`),
          reason: 'benchmark: refund processing',
        }),
      );
    }
    return result;
  } finally {
    await vigil.close();
    if (dialect === 'postgres') await adminQuery(`drop schema ${schema} cascade`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const all: Record<string, Record<string, number>> = {};
for (const dialect of values.dialects.split(',')) {
  all[dialect] = await benchDialect(dialect);
  const r = all[dialect];
  console.log(`${dialect} (${CARDS} cards per run${dialect === 'sqlite' ? ', synchronous=FULL' : ''})`);
  for (const label of ['sequential', `concurrency${CONCURRENCY}`]) {
    console.log(
      `  ${label.padEnd(14)} tokenize ${String(r[`tokenize_${label}`]).padStart(6)}/s  ` +
        `tokenize (known card) ${String(r[`tokenizeExisting_${label}`]).padStart(6)}/s  ` +
        `detokenize ${String(r[`detokenize_${label}`]).padStart(6)}/s`,
    );
  }
}
console.log(
  `BENCH_JSON ${JSON.stringify({ bench: 'vault-tokenize', cards: CARDS, concurrency: CONCURRENCY, opsPerSec: all })}`,
);
