import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import type { Vigil } from '../main.ts';
import { DAY_MS, HOUR_MS } from '../shared/clock.ts';
import { isAppError } from '../shared/errors.ts';
import type { KeyActor } from './index.ts';

const job: KeyActor = { type: 'system', id: 'job:retention.purge', name: 'retention purge' };

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isAppError(error) ? error.code : (error as Error).message;
  }
}

const store = (vigil: Vigil, tenantId: string, subjectId: string, rowId: string) =>
  vigil.keys.encryptField(vigil.storage.db, {
    tenantId,
    subjectId,
    table: 'customers',
    column: 'name',
    rowId,
    plaintext: `name of ${subjectId}`,
  });

const auditActions = (vigil: Vigil, tenantId: string) =>
  vigil.storage.db
    .selectFrom('audit_events')
    .select(['action', 'target_id', 'reason', 'sensitive', 'seq'])
    .where('tenant_id', '=', tenantId)
    .orderBy('seq')
    .execute();

describeEachDialect('subject keys scheduled in batches', (get) => {
  it('schedules many keys with one audit event each, skips subjects without a key, keeps earlier dates', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'batch-shred', name: 'Batch shred' });
    const db = vigil.storage.db;
    // More than one statement chunk (500 ids), so chunking is exercised.
    const subjects = Array.from({ length: 620 }, (_, i) => `cust-${i}`);
    await vigil.keys.loadSubjectKeys(db, tenant.id, subjects);
    const early = await vigil.keys.scheduleSubjectKeyDestruction(db, {
      tenantId: tenant.id,
      subjectId: 'cust-7',
      actor: job,
      windowMs: HOUR_MS,
    });
    const before = (await auditActions(vigil, tenant.id)).length;
    clock.advance(60_000);

    const states = await vigil.keys.scheduleSubjectKeysDestruction(db, {
      tenantId: tenant.id,
      subjectIds: [...subjects, 'never-had-a-key', 'cust-3'],
      actor: job,
      reason: 'retention purge run-1',
      windowMs: DAY_MS,
    });
    expect(states.size).toBe(620);
    expect(states.has('never-had-a-key')).toBe(false);
    expect(states.get('cust-7')!.destroyAfter).toBe(early.destroyAfter); // the earlier date stands
    expect(states.get('cust-0')).toMatchObject({
      status: 'destruction_scheduled',
      destroyAfter: clock.now() + DAY_MS,
    });
    const events = (await auditActions(vigil, tenant.id)).slice(before);
    // One event per key that this call scheduled (not cust-7, already scheduled), in one append.
    expect(events).toHaveLength(619);
    expect(new Set(events.map((e) => e.action))).toEqual(new Set(['keys.subject.destruction_scheduled']));
    expect(new Set(events.map((e) => e.target_id)).size).toBe(619);
    expect(events.every((e) => e.reason === 'retention purge run-1')).toBe(true);
    // The subject id is kept only as an HMAC in the audit log.
    expect(events.every((e) => !JSON.stringify(e).includes('cust-1'))).toBe(true);
    const read = await vigil.keys.subjectKeyStates(db, { tenantId: tenant.id, subjectIds: subjects });
    expect([...read.values()].every((s) => s.status === 'destruction_scheduled')).toBe(true);

    // Once the window passed the destruction job shreds them all, in batches with one append each.
    clock.advance(DAY_MS);
    const destroyed = await vigil.keys.destroyDueSubjectKeys({
      now: clock.now(),
      signal: new AbortController().signal,
    });
    expect(destroyed.destroyed).toBe(620);
    expect((await vigil.keys.subjectKeyStates(db, { tenantId: tenant.id, subjectIds: subjects })).size).toBe(
      0,
    );
    const destroyEvents = (await auditActions(vigil, tenant.id)).filter(
      (e) => e.action === 'keys.subject.destroyed',
    );
    expect(destroyEvents).toHaveLength(620);
  });

  it('is all or nothing: a failing transaction schedules no key and audits nothing', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'batch-atomic', name: 'Batch atomic' });
    const db = vigil.storage.db;
    await store(vigil, tenant.id, 'cust-a', 'r1');
    await store(vigil, tenant.id, 'cust-b', 'r2');
    const before = (await auditActions(vigil, tenant.id)).length;
    const failed = db.transaction().execute(async (trx) => {
      await vigil.keys.scheduleSubjectKeysDestruction(trx, {
        tenantId: tenant.id,
        subjectIds: ['cust-a', 'cust-b'],
        actor: job,
      });
      throw new Error('later step failed');
    });
    expect(await errorCode(failed)).toBe('later step failed');
    const states = await vigil.keys.subjectKeyStates(db, {
      tenantId: tenant.id,
      subjectIds: ['cust-a', 'cust-b'],
    });
    expect([...states.values()].map((s) => s.status)).toEqual(['active', 'active']);
    expect(await auditActions(vigil, tenant.id)).toHaveLength(before);
  });

  it('refuses an out-of-range window and an invalid subject id before touching anything', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'batch-refuse', name: 'Batch refuse' });
    const db = vigil.storage.db;
    await store(vigil, tenant.id, 'cust-w', 'r');
    for (const windowMs of [0, HOUR_MS - 1, 366 * DAY_MS]) {
      expect(
        await errorCode(
          vigil.keys.scheduleSubjectKeysDestruction(db, {
            tenantId: tenant.id,
            subjectIds: ['cust-w'],
            actor: job,
            windowMs,
          }),
        ),
      ).toBe('DESTRUCTION_WINDOW_INVALID');
    }
    expect(
      await errorCode(
        vigil.keys.scheduleSubjectKeysDestruction(db, {
          tenantId: tenant.id,
          subjectIds: ['cust-w', 'has a space'],
          actor: job,
        }),
      ),
    ).toBe('SUBJECT_ID_INVALID');
    const state = await vigil.keys.subjectKeyState(db, { tenantId: tenant.id, subjectId: 'cust-w' });
    expect(state?.status).toBe('active');
  });
});
