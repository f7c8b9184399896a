import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openVigil } from '../src/main.ts';
import { genericVoiceCall } from './factories/interactions.ts';
import { TEST_DATABASE_URL } from './harness/test-vigil.ts';

const BIN = path.resolve('bin/vigil.js');
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function environment(dialect: 'sqlite' | 'postgres'): Promise<Record<string, string>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-crash-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const env: Record<string, string> = {
    VIGIL_DATA_DIR: dataDir,
    VIGIL_KEY_PROVIDER: 'env',
    VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
    VIGIL_LOG_LEVEL: 'warn',
  };
  if (dialect === 'postgres') {
    const database = `vigil_crash_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    env['VIGIL_DATABASE_URL'] = url.toString();
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${database} with (force)`);
      await c.end();
    });
  }
  return env;
}

function startServer(env: Record<string, string>, port: number): ChildProcess {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
  return spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
    env: { ...clean, ...env },
    stdio: 'ignore',
  });
}

async function waitReady(port: number): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

describe.each(['sqlite', 'postgres'] as const)('ingest survives kill -9 [%s]', (dialect) => {
  it('keeps every acknowledged interaction exactly once and nothing half-written', async () => {
    const env = await environment(dialect);
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
    const created = spawnSync(
      process.execPath,
      [BIN, 'api-keys', 'create', '--name', 'crash', '--scope', 'ingest'],
      { env: { ...clean, ...env }, encoding: 'utf8' },
    );
    const key = /secret \(shown once, store it now\): (\S+)/.exec(created.stdout)?.[1];
    expect(key, created.stderr).toBeTruthy();
    const acked = new Set<string>();
    let sent = 0;
    for (let round = 0; round < 3; round++) {
      const port = 30000 + Math.floor(Math.random() * 20000);
      const server = startServer(env, port);
      await waitReady(port);
      // Kill at a random moment once requests are flowing (the first acknowledgement), so every round
      // cuts some requests in flight whatever the machine's speed.
      let killAt = Number.POSITIVE_INFINITY;
      const send = async () => {
        while (Date.now() < killAt + 200) {
          const sourceId = `crash-${round}-${sent++}`;
          try {
            const res = await fetch(`http://127.0.0.1:${port}/api/v1/interactions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify(genericVoiceCall(sourceId)),
            });
            if (res.status === 200) {
              acked.add(sourceId);
              if (killAt === Number.POSITIVE_INFINITY) killAt = Date.now() + 100 + Math.random() * 600;
            }
          } catch {
            return; // the server is gone
          }
        }
      };
      const exited = new Promise((resolve) => server.once('exit', resolve));
      const senders = Promise.all([send(), send(), send(), send()]);
      const started = Date.now();
      while (Date.now() < killAt && Date.now() - started < 60_000)
        await new Promise((r) => setTimeout(r, 20));
      server.kill('SIGKILL');
      await exited;
      await senders;
    }
    expect(acked.size).toBeGreaterThan(0);
    const vigil = await openVigil(loadConfig({ env }), { logger: createLogger({ level: 'silent' }) });
    try {
      const tenant = await vigil.tenancy.getBySlug('default');
      const rows = await vigil.storage.db
        .selectFrom('interactions')
        .select(['id', 'source_id', 'finding_count'])
        .where('tenant_id', '=', tenant.id)
        .execute();
      const stored = new Map(rows.map((r) => [r.source_id, r]));
      expect(rows.length).toBe(stored.size);
      for (const id of acked) expect(stored.has(id), `acknowledged ${id} is missing`).toBe(true);
      const findings = await vigil.storage.db
        .selectFrom('interaction_findings')
        .select(['interaction_id', 'count'])
        .where('tenant_id', '=', tenant.id)
        .execute();
      const events = await vigil.storage.db
        .selectFrom('audit_events')
        .select('target_id')
        .where('tenant_id', '=', tenant.id)
        .where('action', '=', 'interactions.ingest')
        .execute();
      const audited = new Set(events.map((e) => e.target_id));
      for (const row of rows) {
        const total = findings
          .filter((f) => f.interaction_id === row.id)
          .reduce((n, f) => n + Number(f.count), 0);
        expect(total).toBe(Number(row.finding_count));
        expect(audited.has(row.id)).toBe(true);
      }
    } finally {
      await vigil.close();
    }
  }, 300_000);
});
