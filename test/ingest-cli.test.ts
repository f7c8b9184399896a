import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openVigil } from '../src/main.ts';
import { genericVoiceCall, SAMPLE } from './factories/interactions.ts';
import { childEnvironment, childProcessEnv } from './harness/child-env.ts';

const BIN = path.resolve('bin/vigil.js');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe.each(['sqlite', 'postgres'] as const)('vigil ingest [%s]', (dialect) => {
  it('ingests JSON Lines and e-mail files, reports bad lines, resumes from its state file', async () => {
    const child = await childEnvironment(dialect);
    cleanups.push(child.destroy);
    const dir = path.join(child.env['VIGIL_DATA_DIR']!, 'inbox');
    mkdirSync(dir);
    const lines = [
      JSON.stringify(genericVoiceCall('cli-1')),
      '{"sourceId": "cli-bad", "channel": "fax"}',
      'not json at all',
      JSON.stringify(genericVoiceCall('cli-2')),
    ];
    writeFileSync(path.join(dir, 'a.jsonl'), `${lines.join('\n')}\n`);
    copyFileSync('../shared/payloads/email/talon-gmail.eml', path.join(dir, 'b.eml'));
    const state = path.join(child.env['VIGIL_DATA_DIR']!, 'ingest.state');
    const run = () =>
      spawnSync(process.execPath, [BIN, 'ingest', dir, '--state', state, '--no-progress'], {
        env: childProcessEnv(child.env),
        encoding: 'utf8',
        timeout: 120_000,
      });
    const first = run();
    expect(first.stdout).toContain('accepted 3 (created 3, updated 0, unchanged 0)');
    expect(first.stdout).toContain('rejected 2');
    expect(first.stdout).toMatch(/a\.jsonl:2: .*channel/);
    expect(first.stdout).toMatch(/a\.jsonl:3: /);
    expect(first.stdout + first.stderr).not.toContain(SAMPLE.pan);
    expect(first.status).toBe(1);
    const again = run();
    expect(again.stdout).toContain('skipped 2 files already done');
    expect(again.stdout).toContain('accepted 0');
    const stdin = spawnSync(process.execPath, [BIN, 'ingest', '-', '--no-progress'], {
      env: childProcessEnv(child.env),
      input: `${JSON.stringify(genericVoiceCall('cli-3'))}\n`,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(stdin.stdout).toContain('accepted 1 (created 1');
    expect(stdin.status).toBe(0);
    const vigil = await openVigil(loadConfig({ env: child.env }), {
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const tenant = await vigil.tenancy.getBySlug('default');
      const rows = await vigil.storage.db
        .selectFrom('interactions')
        .select(['source_id', 'channel'])
        .where('tenant_id', '=', tenant.id)
        .orderBy('source_id')
        .execute();
      expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'voice', 'voice', 'voice']);
    } finally {
      await vigil.close();
    }
  }, 180_000);
});
