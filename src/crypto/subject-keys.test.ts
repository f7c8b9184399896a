import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import type { Vigil } from '../main.ts';
import { DAY_MS, HOUR_MS } from '../shared/clock.ts';
import { isAppError } from '../shared/errors.ts';
import type { KeyActor } from './index.ts';

const dpo: KeyActor = { type: 'user', id: 'u-dpo', name: 'Data Protection Officer' };

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isAppError(error) ? error.code : (error as Error).message;
  }
}

async function store(vigil: Vigil, tenantId: string, subjectId: string, rowId: string, plaintext: string) {
  return vigil.keys.encryptField(vigil.storage.db, {
    tenantId,
    subjectId,
    table: 'customers',
    column: 'name',
    rowId,
    plaintext,
  });
}

const read = (vigil: Vigil, tenantId: string, rowId: string, ciphertext: Buffer) =>
  vigil.keys.decryptField(vigil.storage.db, {
    tenantId,
    table: 'customers',
    column: 'name',
    rowId,
    ciphertext,
  });

const runDestroy = (vigil: Vigil, now: number) =>
  vigil.keys.destroyDueSubjectKeys({ now, signal: new AbortController().signal });

describeEachDialect('subject keys (crypto-shredding)', (get) => {
  it('destroys a subject key after the window: its data reads as erased, other subjects are untouched', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'shred-basic', name: 'Shred' });
    const erased = await store(vigil, tenant.id, 'cust-erase', 'r1', 'Ada Lovelace');
    const copy = await store(vigil, tenant.id, 'cust-erase', 'r1-copy', 'Ada Lovelace (copy)');
    const kept = await store(vigil, tenant.id, 'cust-keep', 'r2', 'Grace Hopper');
    const general = await vigil.keys.encryptField(vigil.storage.db, {
      tenantId: tenant.id,
      table: 'notes',
      column: 'body',
      rowId: 'n1',
      plaintext: 'tenant note',
    });

    const scheduled = await vigil.keys.scheduleSubjectKeyDestruction(vigil.storage.db, {
      tenantId: tenant.id,
      subjectId: 'cust-erase',
      actor: dpo,
      reason: 'erasure request #42',
    });
    expect(scheduled.status).toBe('destruction_scheduled');
    expect(scheduled.destroyAfter).toBe(clock.now() + 7 * DAY_MS);
    // Within the window nothing is destroyed and the data still reads.
    clock.advance(6 * DAY_MS);
    expect((await runDestroy(vigil, clock.now())).destroyed).toBe(0);
    expect((await read(vigil, tenant.id, 'r1', erased)).toString()).toBe('Ada Lovelace');

    clock.advance(DAY_MS);
    expect((await runDestroy(vigil, clock.now())).destroyed).toBe(1);
    expect(await errorCode(read(vigil, tenant.id, 'r1', erased))).toBe('SUBJECT_KEY_DESTROYED');
    expect(await errorCode(read(vigil, tenant.id, 'r1-copy', copy))).toBe('SUBJECT_KEY_DESTROYED');
    expect((await read(vigil, tenant.id, 'r2', kept)).toString()).toBe('Grace Hopper');
    expect(
      (
        await vigil.keys.decryptField(vigil.storage.db, {
          tenantId: tenant.id,
          table: 'notes',
          column: 'body',
          rowId: 'n1',
          ciphertext: general,
        })
      ).toString(),
    ).toBe('tenant note');
    // No wrapped key material of the subject remains in the database.
    const keyRows = await vigil.storage.db
      .selectFrom('crypto_data_keys')
      .select('key_id')
      .where('tenant_id', '=', tenant.id)
      .where('key_id', '=', scheduled.keyId)
      .execute();
    expect(keyRows).toHaveLength(0);
    expect((await runDestroy(vigil, clock.now())).destroyed).toBe(0); // idempotent
  });

  it('reports shredding distinctly from tampering, even with a warm cache on this node', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'shred-vs-tamper', name: 'Tamper' });
    const value = await store(vigil, tenant.id, 'cust-t', 'r', 'Alan Turing');
    await read(vigil, tenant.id, 'r', value); // the key is now cached
    const tampered = Buffer.from(value);
    tampered[tampered.length - 1]! ^= 0x01;
    expect(await errorCode(read(vigil, tenant.id, 'r', tampered))).toBe('CIPHERTEXT_INVALID');
    await vigil.keys.scheduleSubjectKeyDestruction(vigil.storage.db, {
      tenantId: tenant.id,
      subjectId: 'cust-t',
      actor: dpo,
      windowMs: HOUR_MS,
    });
    clock.advance(HOUR_MS);
    await runDestroy(vigil, clock.now());
    expect(await errorCode(read(vigil, tenant.id, 'r', value))).toBe('SUBJECT_KEY_DESTROYED');
  });

  it('can be cancelled within the window, and both steps are audited', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'shred-cancel', name: 'Cancel' });
    const value = await store(vigil, tenant.id, 'cust-c', 'r', 'Katherine Johnson');
    const db = vigil.storage.db;
    await vigil.keys.scheduleSubjectKeyDestruction(db, {
      tenantId: tenant.id,
      subjectId: 'cust-c',
      actor: dpo,
    });
    const again = await vigil.keys.scheduleSubjectKeyDestruction(db, {
      tenantId: tenant.id,
      subjectId: 'cust-c',
      actor: dpo,
      windowMs: 30 * DAY_MS,
    });
    expect(again.destroyAfter).toBe(clock.now() + 7 * DAY_MS); // the earlier date stands
    const cancelled = await vigil.keys.cancelSubjectKeyDestruction(db, {
      tenantId: tenant.id,
      subjectId: 'cust-c',
      actor: dpo,
      reason: 'request withdrawn',
    });
    expect(cancelled.status).toBe('active');
    expect(
      await errorCode(
        vigil.keys.cancelSubjectKeyDestruction(db, { tenantId: tenant.id, subjectId: 'cust-c', actor: dpo }),
      ),
    ).toBe('SUBJECT_KEY_NOT_SCHEDULED');
    clock.advance(8 * DAY_MS);
    expect((await runDestroy(vigil, clock.now())).destroyed).toBe(0);
    expect((await read(vigil, tenant.id, 'r', value)).toString()).toBe('Katherine Johnson');
    const events = await db
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'reason', 'sensitive'])
      .where('tenant_id', '=', tenant.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual([
      'keys.subject.destruction_scheduled',
      'keys.subject.destruction_cancelled',
    ]);
    expect(events[1]!.reason).toBe('request withdrawn');
    // The subject id is kept only as an HMAC in the audit log.
    expect(events.every((e) => !JSON.stringify(e).includes('cust-c'))).toBe(true);
  });

  it('gives a subject who returns after erasure a new key, and audits the destruction', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'shred-return', name: 'Return' });
    const db = vigil.storage.db;
    const before = await store(vigil, tenant.id, 'cust-r', 'r1', 'first life');
    const scheduled = await vigil.keys.scheduleSubjectKeyDestruction(db, {
      tenantId: tenant.id,
      subjectId: 'cust-r',
      actor: dpo,
      windowMs: HOUR_MS,
    });
    clock.advance(HOUR_MS);
    await runDestroy(vigil, clock.now());
    expect(await vigil.keys.subjectKeyState(db, { tenantId: tenant.id, subjectId: 'cust-r' })).toBeNull();
    const after = await store(vigil, tenant.id, 'cust-r', 'r2', 'second life');
    expect(after.subarray(1, 17).equals(before.subarray(1, 17))).toBe(false);
    expect((await read(vigil, tenant.id, 'r2', after)).toString()).toBe('second life');
    expect(await errorCode(read(vigil, tenant.id, 'r1', before))).toBe('SUBJECT_KEY_DESTROYED');
    const destroyed = await db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'target_id'])
      .where('tenant_id', '=', tenant.id)
      .where('action', '=', 'keys.subject.destroyed')
      .execute();
    expect(destroyed).toEqual([
      { action: 'keys.subject.destroyed', actor_type: 'system', target_id: scheduled.keyId },
    ]);
  });

  it('refuses unknown subjects and out-of-range windows', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'shred-refuse', name: 'Refuse' });
    const db = vigil.storage.db;
    expect(
      await errorCode(
        vigil.keys.scheduleSubjectKeyDestruction(db, {
          tenantId: tenant.id,
          subjectId: 'nobody',
          actor: dpo,
        }),
      ),
    ).toBe('SUBJECT_KEY_NOT_FOUND');
    await store(vigil, tenant.id, 'cust-w', 'r', 'x');
    for (const windowMs of [0, HOUR_MS - 1, 366 * DAY_MS]) {
      expect(
        await errorCode(
          vigil.keys.scheduleSubjectKeyDestruction(db, {
            tenantId: tenant.id,
            subjectId: 'cust-w',
            actor: dpo,
            windowMs,
          }),
        ),
      ).toBe('DESTRUCTION_WINDOW_INVALID');
    }
  });
});
