import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL } from './test-vigil.ts';

/**
 * Environment for a Vigil child process (CLI or server) on a fresh data directory and, for
 * PostgreSQL, a fresh database (the production shape: one database, default schema).
 */
export async function childEnvironment(
  dialect: 'sqlite' | 'postgres',
): Promise<{ env: Record<string, string>; destroy(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-child-'));
  const env: Record<string, string> = {
    VIGIL_DATA_DIR: dataDir,
    VIGIL_KEY_PROVIDER: 'env',
    VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
    VIGIL_LOG_LEVEL: 'warn',
  };
  let database: string | undefined;
  if (dialect === 'postgres') {
    database = `vigil_child_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    env['VIGIL_DATABASE_URL'] = url.toString();
  }
  return {
    env,
    async destroy() {
      rmSync(dataDir, { recursive: true, force: true });
      if (!database) return;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    },
  };
}

/** The parent's environment without any VIGIL_ variable, plus the given ones. */
export function childProcessEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_'))),
    ...env,
  };
}
