import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { openVigil } from '../main.ts';
import { HOUR_MS } from '../shared/clock.ts';
import { createScheduler, type JobDefinition } from './index.ts';

describeEachDialect('scheduler', (get, dialect) => {
  const scheduler = (jobs: JobDefinition[]) => {
    const { vigil } = get();
    return createScheduler(
      { storage: vigil.storage, clock: vigil.clock, ids: vigil.ids, logger: vigil.logger, nodeName: 'test' },
      jobs,
    );
  };

  it('runs a job once per interval and records its report', async () => {
    let runs = 0;
    const s = scheduler([
      { name: 'count-once', intervalMs: HOUR_MS, run: async () => ({ processed: ++runs }) },
    ]);
    expect(await s.runNow('count-once')).toEqual({ outcome: 'succeeded', report: { processed: 1 } });
    const rows = await get()
      .vigil.storage.db.selectFrom('job_runs')
      .selectAll()
      .where('job', '=', 'count-once')
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.report!)).toEqual({ processed: 1 });
  });

  it('records a failure with its message and keeps going', async () => {
    const s = scheduler([
      {
        name: 'always-fails',
        intervalMs: HOUR_MS,
        run: async () => {
          throw new Error('disk full');
        },
      },
    ]);
    expect(await s.runNow('always-fails')).toEqual({ outcome: 'failed', error: 'disk full' });
  });

  it('skips a job whose lease another process holds', async () => {
    const { vigil } = get();
    const s = scheduler([{ name: 'leased', intervalMs: HOUR_MS, run: async () => ({}) }]);
    if (vigil.storage.dialect.multiNode) {
      // PostgreSQL: hold the advisory lock from another connection, as another node would.
      await vigil.storage.dialect.tryWithJobLock(vigil.storage.db, 'job:leased', async () => {
        expect(await s.runNow('leased')).toEqual({ outcome: 'skipped' });
      });
    } else {
      // SQLite: another process (a CLI run) holds the lease row.
      await vigil.storage.db
        .insertInto('job_locks')
        .values({ name: 'job:leased', holder: 'other-process', expires_at: Date.now() + HOUR_MS })
        .execute();
      expect(await s.runNow('leased')).toEqual({ outcome: 'skipped' });
      await vigil.storage.db.deleteFrom('job_locks').where('name', '=', 'job:leased').execute();
    }
    expect((await s.runNow('leased')).outcome).toBe('succeeded');
  });

  // Two nodes in one process only make sense on PostgreSQL: SQLite is the single-node store.
  it.runIf(dialect === 'postgres')('never runs the same job twice at once, even from two nodes', async () => {
    // A second node: another Vigil instance with its own connections to the same database.
    const t = get();
    const other = await openVigil(t.config, {
      clock: t.clock,
      logger: t.vigil.logger,
      storage: t.schema ? { postgresSchema: t.schema } : {},
    });
    let active = 0;
    let maxActive = 0;
    const slow: JobDefinition = {
      name: 'exclusive',
      intervalMs: HOUR_MS,
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 50));
        active--;
        return {};
      },
    };
    const a = scheduler([slow]);
    const b = createScheduler(
      { storage: other.storage, clock: other.clock, ids: other.ids, logger: other.logger, nodeName: 'other' },
      [slow],
    );
    const results = await Promise.all([a.runNow('exclusive'), b.runNow('exclusive')]);
    expect(maxActive).toBe(1);
    expect(results.map((r) => r.outcome).sort()).toEqual(['skipped', 'succeeded']);
    await other.close();
  });
});
