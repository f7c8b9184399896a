// Shared by the audit benchmarks: a fresh Vigil on SQLite (temp dir) or PostgreSQL (own schema).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openVigil, type Vigil } from '../src/main.ts';

export type BenchDialect = 'sqlite' | 'postgres';
export const DATABASE_URL =
  process.env['VIGIL_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface BenchVigil {
  vigil: Vigil;
  dataDir: string;
  destroy(): Promise<void>;
}

/** Opens a migrated Vigil with synchronous=NORMAL on SQLite (the setting tests use) and a quiet logger. */
export async function openBenchVigil(dialect: BenchDialect): Promise<BenchVigil> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-'));
  const schema = dialect === 'postgres' ? `vigil_b_${randomBytes(6).toString('hex')}` : undefined;
  if (schema) await admin(`create schema ${schema}`);
  const config = loadConfig({
    env: {
      VIGIL_DATA_DIR: dataDir,
      VIGIL_KEY_PROVIDER: 'env',
      VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
      VIGIL_LOG_LEVEL: 'error',
      VIGIL_SQLITE_SYNCHRONOUS: 'NORMAL',
      ...(dialect === 'postgres' ? { VIGIL_DATABASE_URL: DATABASE_URL, VIGIL_DATABASE_POOL_MAX: '8' } : {}),
    },
  });
  const vigil = await openVigil(config, {
    logger: createLogger({ level: 'error' }),
    storage: schema ? { postgresSchema: schema } : {},
  });
  return {
    vigil,
    dataDir,
    async destroy() {
      await vigil.close();
      if (schema) await admin(`drop schema ${schema} cascade`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A realistic event: every field filled, about 400 bytes encoded. */
export function benchEvent(tenantId: string, i: number) {
  return {
    tenantId,
    actor: { type: 'user' as const, id: `agent-${i % 500}`, name: `Agent ${i % 500}` },
    action: i % 3 === 0 ? 'vault.detokenize' : 'interactions.read',
    outcome: 'success' as const,
    target: { type: 'interaction', id: `01890000-0000-7000-8000-${String(i).padStart(12, '0')}` },
    reason: 'customer callback',
    origin: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Vigil-Console/1.0' },
    requestId: `req-${i}`,
    details: { channel: 'voice', queue: 'billing' },
    sensitive: { phone: `+1555${String(i).padStart(7, '0')}` },
  };
}
