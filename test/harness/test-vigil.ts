import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { loadConfig, type VigilConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { openVigil, type Vigil } from '../../src/main.ts';
import { ManualClock } from '../../src/shared/clock.ts';

export type DialectName = 'sqlite' | 'postgres';
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** PostgreSQL for tests; CI fails (not skips) when it is unreachable, so both dialects always run. */
export const TEST_DATABASE_URL =
  process.env['VIGIL_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Captured log lines, so leak tests can search everything Vigil logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    done();
  }
  text(): string {
    return this.lines.join('');
  }
}

export interface TestVigil {
  dialect: DialectName;
  vigil: Vigil;
  clock: ManualClock;
  logs: LogCapture;
  dataDir: string;
  /** PostgreSQL schema of this test (undefined on SQLite). */
  schema: string | undefined;
  config: Readonly<VigilConfig>;
  destroy(): Promise<void>;
}

export function testEnv(
  dialect: DialectName,
  dataDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    VIGIL_DATA_DIR: dataDir,
    VIGIL_KEY_PROVIDER: 'env',
    VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
    VIGIL_LOG_LEVEL: 'info',
    VIGIL_SQLITE_SYNCHRONOUS: 'NORMAL',
    ...(dialect === 'postgres'
      ? { VIGIL_DATABASE_URL: TEST_DATABASE_URL, VIGIL_DATABASE_POOL_MAX: '4' }
      : {}),
    ...extra,
  };
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated Vigil on the given dialect: SQLite in a temp dir, PostgreSQL in its own schema. */
export async function createTestVigil(
  dialect: DialectName,
  extraEnv: Record<string, string> = {},
): Promise<TestVigil> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-test-'));
  const schema = dialect === 'postgres' ? `vigil_t_${randomBytes(6).toString('hex')}` : undefined;
  if (schema) await adminQuery(`create schema ${schema}`);
  const config = loadConfig({ env: testEnv(dialect, dataDir, extraEnv) });
  const clock = new ManualClock();
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', destination: logs });
  const vigil = await openVigil(config, { clock, logger, storage: schema ? { postgresSchema: schema } : {} });
  return {
    dialect,
    vigil,
    clock,
    logs,
    dataDir,
    schema,
    config,
    async destroy() {
      await vigil.close();
      if (schema) await adminQuery(`drop schema ${schema} cascade`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs the same test body on SQLite and on PostgreSQL, each with its own fresh database.
 * `get()` returns the current dialect's TestVigil inside tests.
 */
export function describeEachDialect(
  name: string,
  body: (get: () => TestVigil, dialect: DialectName) => void,
  extraEnv: Record<string, string> = {},
): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let current: TestVigil | undefined;
      beforeAll(async () => {
        current = await createTestVigil(dialect, extraEnv);
      });
      afterAll(async () => {
        await current?.destroy();
      });
      body(() => {
        if (!current) throw new Error('test vigil not ready');
        return current;
      }, dialect);
    });
  }
}
