import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openVigil } from '../src/main.ts';
import { genericVoiceCall } from './factories/interactions.ts';
import { childEnvironment, childProcessEnv } from './harness/child-env.ts';
import { startServer } from './harness/server-process.ts';

const BIN = path.resolve('bin/vigil.js');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe.each(['sqlite', 'postgres'] as const)('ingest survives kill -9 [%s]', (dialect) => {
  it('keeps every acknowledged interaction exactly once and nothing half-written', async () => {
    const { env, destroy } = await childEnvironment(dialect);
    cleanups.push(destroy);
    const created = spawnSync(
      process.execPath,
      [BIN, 'api-keys', 'create', '--name', 'crash', '--scope', 'ingest'],
      { env: childProcessEnv(env), encoding: 'utf8' },
    );
    const key = /secret \(shown once, store it now\): (\S+)/.exec(created.stdout)?.[1];
    expect(key, created.stderr).toBeTruthy();
    const acked = new Set<string>();
    let sent = 0;
    for (let round = 0; round < 3; round++) {
      const server = await startServer(env);
      const port = server.port;
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
      const senders = Promise.all([send(), send(), send(), send()]);
      const started = Date.now();
      while (Date.now() < killAt && Date.now() - started < 60_000)
        await new Promise((r) => setTimeout(r, 20));
      server.child.kill('SIGKILL');
      await server.exited;
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
