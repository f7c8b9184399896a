import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeEachDialect, testEnv } from '../../test/harness/test-vigil.ts';
import { DAY_MS } from '../shared/clock.ts';
import { isAppError } from '../shared/errors.ts';
import {
  attachRecording,
  certifiedIds,
  ingestCall,
  interactionIds,
  newTenant,
  operator,
} from './retention.test-support.ts';

const CHILD = fileURLToPath(new URL('./retention.crash-child.ts', import.meta.url));

/** Runs a purge in another process and SIGKILLs it right after its first committed batch. */
function runAndKill(env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('batch ')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(out) : reject(new Error(`child was not killed: ${out} ${err}`)),
    );
  });
}

/**
 * On PostgreSQL the killed process's advisory lock goes when its server backend notices the closed
 * connection, which on a busy machine can be a moment after the kill: until then a new run is
 * refused (RUN_IN_PROGRESS), exactly as a second node would be. Retry until the lock is free.
 */
async function runOnceLockFreed<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isAppError(error) || error.code !== 'RUN_IN_PROGRESS' || attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describeEachDialect('retention purge crash', (get) => {
  it('loses nothing and certifies nothing twice when killed mid-run; the next run finishes the job', async () => {
    const { vigil, clock, config, dialect, dataDir, schema } = get();
    const tenantId = await newTenant(vigil);
    await vigil.retention.settings.setPolicy(operator(tenantId), {
      category: 'voice_transcript',
      jurisdiction: null,
      maxAgeDays: 30,
      action: 'delete',
    });
    const ids: string[] = [];
    for (let i = 0; i < 24; i++)
      ids.push(await ingestCall(vigil, tenantId, `crash-${i}`, { customer: 100 + (i % 8) }));
    for (const id of ids.slice(0, 6)) await attachRecording(vigil, tenantId, id);
    clock.advance(31 * DAY_MS);

    const env = testEnv(dialect, dataDir, {
      VIGIL_MASTER_KEY: config.keys.masterKey!,
      VIGIL_LOG_LEVEL: 'silent',
    });
    const out = await runAndKill(env, [schema ?? '', String(clock.now()), tenantId]);
    expect(out).not.toContain('done');
    const [crashed] = await vigil.retention.runs(tenantId);
    expect(crashed).toMatchObject({ status: 'running' });
    // Every committed batch is whole: what its certificate lists is gone, everything else is there.
    const firstRun = (await certifiedIds(vigil, tenantId, crashed!.id))['voice_transcript.deleted'] ?? [];
    expect(firstRun.length).toBeGreaterThanOrEqual(4);
    expect(firstRun.length % 4).toBe(0);
    const remaining = await interactionIds(vigil, tenantId);
    expect([...remaining, ...firstRun].sort()).toEqual([...ids].sort());

    if (dialect === 'sqlite') {
      // The killed process's job lease would expire after hours; a restarted node finds it stale.
      await vigil.storage.db
        .deleteFrom('job_locks')
        .where('name', '=', `retention:purge:${tenantId}`)
        .execute();
    }
    clock.advance(60_000);
    const report = await runOnceLockFreed(() => vigil.retention.run(operator(tenantId), { batchSize: 4 }));
    expect(report.interruptedRuns).toBe(1);
    expect(await interactionIds(vigil, tenantId)).toEqual([]);
    const secondRun = (await certifiedIds(vigil, tenantId, report.runId!))['voice_transcript.deleted'] ?? [];
    expect([...firstRun, ...secondRun].sort()).toEqual([...ids].sort());
    expect(new Set([...firstRun, ...secondRun]).size).toBe(ids.length);
    // Recording files of the killed run's batches were removed after the restart, if not before.
    for (const id of ids.slice(0, 6))
      expect(existsSync(path.join(dataDir, 'recordings', tenantId, `${id}.rec`))).toBe(false);
    const pending = await vigil.storage.db
      .selectFrom('retention_pending_files')
      .select('interaction_id')
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(pending).toEqual([]);
    expect((await vigil.retention.runs(tenantId)).map((r) => r.status)).toEqual(['completed', 'interrupted']);
  }, 90_000);
});
