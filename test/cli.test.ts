import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './harness/server-process.ts';
import { TEST_DATABASE_URL } from './harness/test-vigil.ts';

const BIN = path.resolve('bin/vigil.js');
const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function vigil(args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('vigil CLI', () => {
  it('prints its version', () => {
    expect(vigil(['--version'], {}).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('init creates the data directory and a private root key, and never replaces it', () => {
    const dataDir = path.join(freshDir(), 'data');
    const first = vigil(['init'], { VIGIL_DATA_DIR: dataDir });
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('created root key file');
    const keyFile = path.join(dataDir, 'master.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const before = statSync(keyFile).mtimeMs;
    expect(vigil(['init'], { VIGIL_DATA_DIR: dataDir }).stdout).toContain('already exists; left unchanged');
    expect(statSync(keyFile).mtimeMs).toBe(before);
    expect(vigil(['doctor'], { VIGIL_DATA_DIR: dataDir }).status).toBe(0);
  });

  it('doctor explains each wrong setting in one line', () => {
    const result = vigil(['doctor'], {
      VIGIL_PORT: 'eighty',
      VIGIL_LOG_LEVEL: 'loud',
      VIGIL_DATA_DIR: freshDir(),
    });
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes('VIGIL_PORT'))).toMatch(/^FAIL VIGIL_PORT: .+/);
    expect(lines.find((l) => l.includes('VIGIL_LOG_LEVEL'))).toMatch(/^FAIL VIGIL_LOG_LEVEL: .+/);
  });

  it('doctor flags a root key file other users can read', () => {
    const dataDir = path.join(freshDir(), 'data');
    vigil(['init'], { VIGIL_DATA_DIR: dataDir });
    chmodSync(path.join(dataDir, 'master.key'), 0o644);
    const result = vigil(['doctor'], { VIGIL_DATA_DIR: dataDir });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/FAIL root key: .*mode 0644.*chmod 600/);
  });

  it('doctor says when PostgreSQL is unreachable', () => {
    const result = vigil(['doctor'], {
      VIGIL_DATA_DIR: freshDir(),
      VIGIL_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      VIGIL_KEY_PROVIDER: 'env',
      VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/FAIL database: postgresql unreachable/);
  });
});

async function serveUntilReadyThenStop(env: Record<string, string>) {
  const server = await startServer(env);
  server.child.kill('SIGTERM');
  return { body: server.readiness, exitCode: await server.exited, output: server.output() };
}

describe('vigil serve', () => {
  it('starts on embedded SQLite with no other step, and stops gracefully on SIGTERM', async () => {
    const dataDir = path.join(freshDir(), 'fresh');
    const { body, exitCode, output } = await serveUntilReadyThenStop({ VIGIL_DATA_DIR: dataDir });
    expect(body).toEqual({ status: 'ready', database: 'ok', pendingMigrations: 0 });
    expect(exitCode).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    expect(existsSync(path.join(dataDir, 'vigil.db'))).toBe(true);
  }, 120_000);

  it('starts on PostgreSQL when VIGIL_DATABASE_URL is set', async () => {
    const database = `vigil_cli_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
    try {
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = `/${database}`;
      const { body, exitCode } = await serveUntilReadyThenStop({
        VIGIL_DATA_DIR: freshDir(),
        VIGIL_DATABASE_URL: url.toString(),
      });
      expect(body).toEqual({ status: 'ready', database: 'ok', pendingMigrations: 0 });
      expect(exitCode).toBe(0);
      const tables = await new pg.Client({ connectionString: url.toString() });
      await tables.connect();
      const { rows } = await tables.query(`select count(*)::int as n from tenants where slug = 'default'`);
      await tables.end();
      expect(rows[0].n).toBe(1);
    } finally {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    }
  }, 120_000);
});
