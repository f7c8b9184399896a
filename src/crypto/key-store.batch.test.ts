import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { keyIdFromBytes } from './field-format.ts';

const field = (tenantId: string, subjectId: string, rowId: string) => ({
  tenantId,
  subjectId,
  table: 'interactions',
  column: 'body',
  rowId,
  plaintext: 'personal',
});

describeEachDialect('keyring loadSubjectKeys', (get) => {
  it('creates the keys of many subjects at once; encryptions in and after the transaction use them', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'ksb-commit', name: 'Commit' });
    const subjects = ['subj-a', 'subj-b', 'subj-c'];
    await vigil.keys.encryptField(vigil.storage.db, field(tenant.id, 'subj-c', 'before'));
    const inside = await vigil.storage.db.transaction().execute(async (trx) => {
      await vigil.keys.loadSubjectKeys(trx, tenant.id, [...subjects, 'subj-a']);
      return vigil.keys.encryptField(trx, field(tenant.id, 'subj-a', 'r1'));
    });
    for (const subjectId of subjects) {
      const state = await vigil.keys.subjectKeyState(vigil.storage.db, { tenantId: tenant.id, subjectId });
      expect(state?.status).toBe('active');
      const after = await vigil.keys.encryptField(vigil.storage.db, field(tenant.id, subjectId, 'r2'));
      expect(keyIdFromBytes(after.subarray(1, 17))).toBe(state!.keyId);
    }
    const opened = await vigil.keys.decryptField(vigil.storage.db, {
      ...field(tenant.id, 'subj-a', 'r1'),
      ciphertext: inside,
    });
    expect(opened.toString()).toBe('personal');
  });

  it('never uses a key whose transaction rolled back', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'ksb-rollback', name: 'Rollback' });
    let rolledBackKeyId = '';
    await expect(
      vigil.storage.db.transaction().execute(async (trx) => {
        await vigil.keys.loadSubjectKeys(trx, tenant.id, ['subj-x', 'subj-y']);
        const sealed = await vigil.keys.encryptField(trx, field(tenant.id, 'subj-x', 'r1'));
        rolledBackKeyId = keyIdFromBytes(sealed.subarray(1, 17));
        throw new Error('batch failed');
      }),
    ).rejects.toThrow('batch failed');
    expect(
      await vigil.keys.subjectKeyState(vigil.storage.db, { tenantId: tenant.id, subjectId: 'subj-x' }),
    ).toBeNull();
    const sealed = await vigil.keys.encryptField(vigil.storage.db, field(tenant.id, 'subj-x', 'r2'));
    const state = await vigil.keys.subjectKeyState(vigil.storage.db, {
      tenantId: tenant.id,
      subjectId: 'subj-x',
    });
    expect(keyIdFromBytes(sealed.subarray(1, 17))).toBe(state!.keyId);
    expect(state!.keyId).not.toBe(rolledBackKeyId);
  });
});
