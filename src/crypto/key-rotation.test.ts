import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import type { Vigil } from '../main.ts';
import { isAppError } from '../shared/errors.ts';
import type { KeyActor } from './index.ts';

const admin: KeyActor = { type: 'user', id: 'u-admin', name: 'Key Admin' };
const job = () => ({ now: Date.now(), signal: new AbortController().signal });

async function seed(vigil: Vigil, tenantId: string, subjects: number) {
  const db = vigil.storage.db;
  const values: { rowId: string; ciphertext: Buffer; plain: string }[] = [];
  for (let i = 0; i < subjects; i++) {
    const rowId = `row-${i}`;
    const plain = `customer ${i} +44 20 7946 ${String(i).padStart(4, '0')}`;
    const ciphertext = await vigil.keys.encryptField(db, {
      tenantId,
      subjectId: `subject-${i}`,
      table: 'customers',
      column: 'phone',
      rowId,
      plaintext: plain,
    });
    values.push({ rowId, ciphertext, plain });
  }
  const general = await vigil.keys.encryptField(db, {
    tenantId,
    table: 'notes',
    column: 'body',
    rowId: 'n-1',
    plaintext: 'general note',
  });
  return { values, general };
}

async function expectAllReadable(
  vigil: Vigil,
  tenantId: string,
  values: { rowId: string; ciphertext: Buffer; plain: string }[],
) {
  for (const v of values) {
    const plain = await vigil.keys.decryptField(vigil.storage.db, {
      tenantId,
      table: 'customers',
      column: 'phone',
      rowId: v.rowId,
      ciphertext: v.ciphertext,
    });
    expect(plain.toString()).toBe(v.plain);
  }
}

async function auditActions(vigil: Vigil, tenantId: string): Promise<string[]> {
  const rows = await vigil.storage.db
    .selectFrom('audit_events')
    .select('action')
    .where('tenant_id', '=', tenantId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

const domain = (status: Awaited<ReturnType<Vigil['keys']['keysStatus']>>, name: 'data' | 'vault') =>
  status.tenants[0]!.domains.find((d) => d.domain === name)!;

describeEachDialect('key rotation', (get) => {
  it('rotates a KEK: new writes use a new key version, old data stays readable, re-wrap moves every data key', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'rot-basic', name: 'Rot' });
    const db = vigil.storage.db;
    const { values, general } = await seed(vigil, tenant.id, 12);
    const rotated = await vigil.keys.rotateTenantKek({ tenantId: tenant.id, actor: admin, reason: 'yearly' });
    expect(rotated.map((r) => [r.domain, r.version])).toEqual([
      ['data', 2],
      ['vault', 1],
    ]);
    const fresh = await vigil.keys.encryptField(db, {
      tenantId: tenant.id,
      table: 'notes',
      column: 'body',
      rowId: 'n-2',
      plaintext: 'after rotation',
    });
    expect(general.readUInt32BE(17)).toBe(1);
    expect(fresh.readUInt32BE(17)).toBe(2);
    let status = await vigil.keys.keysStatus({ tenantId: tenant.id });
    expect(domain(status, 'data').currentVersion).toBe(2);
    // 12 subject keys + general v1 + the blind-index key do not exist yet: 13 data keys under v1.
    expect(domain(status, 'data').versions.find((v) => v.version === 1)?.dataKeys).toBe(13);
    expect(domain(status, 'data').pendingRewrap).toBe(13);

    const report = await vigil.keys.rewrapKeys(job(), { batchSize: 5 });
    expect(report.dataKeysRewrapped).toBe(13);
    expect(report.stopped).toBe(0);
    status = await vigil.keys.keysStatus({ tenantId: tenant.id });
    expect(domain(status, 'data').pendingRewrap).toBe(0);
    expect(domain(status, 'data').versions.find((v) => v.version === 2)?.dataKeys).toBe(14);
    expect((await vigil.keys.rewrapKeys(job())).dataKeysRewrapped).toBe(0); // idempotent

    clock.advance(10 * 60_000); // past the key cache TTL: keys are re-read through the new KEK
    await expectAllReadable(vigil, tenant.id, values);
    const actions = await auditActions(vigil, tenant.id);
    expect(actions.filter((a) => a === 'keys.kek.rotated')).toHaveLength(2);
    expect(actions).toContain('keys.data_keys.rewrapped');
  });

  it('retires old versions only once nothing depends on them', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'rot-retire', name: 'Retire' });
    const { values } = await seed(vigil, tenant.id, 4);
    await vigil.keys.rotateTenantKek({ tenantId: tenant.id, domains: ['data'], actor: admin });
    const blocked = await vigil.keys
      .retireKekVersions({ tenantId: tenant.id, domain: 'data', belowVersion: 2, actor: admin })
      .catch((e: unknown) => e);
    expect(isAppError(blocked) && blocked.code).toBe('KEK_RETIRE_BLOCKED');
    expect(isAppError(blocked) && blocked.details).toEqual({ remaining: 5 });
    const tooHigh = await vigil.keys
      .retireKekVersions({ tenantId: tenant.id, domain: 'data', belowVersion: 3, actor: admin })
      .catch((e: unknown) => e);
    expect(isAppError(tooHigh) && tooHigh.code).toBe('KEK_VERSION_INVALID');

    await vigil.keys.rewrapKeys(job());
    expect(
      await vigil.keys.retireKekVersions({
        tenantId: tenant.id,
        domain: 'data',
        belowVersion: 2,
        actor: admin,
      }),
    ).toEqual({ retired: 1 });
    const v1 = await vigil.storage.db
      .selectFrom('crypto_keks')
      .select(['wrapped_key', 'retired_at'])
      .where('tenant_id', '=', tenant.id)
      .where('domain', '=', 'data')
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    expect(v1.wrapped_key).toBeNull();
    expect(v1.retired_at).not.toBeNull();
    const status = await vigil.keys.keysStatus({ tenantId: tenant.id });
    expect(domain(status, 'data').minDecryptionVersion).toBe(2);
    expect(domain(status, 'vault').currentVersion).toBe(null); // the vault hierarchy was never used here
    clock.advance(10 * 60_000);
    await expectAllReadable(vigil, tenant.id, values);
    expect(await auditActions(vigil, tenant.id)).toContain('keys.kek.retired');
  });

  it('keeps writes and reads working while the re-wrap job runs (rotation under load)', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'rot-load', name: 'Load' });
    const db = vigil.storage.db;
    const { values } = await seed(vigil, tenant.id, 40);
    await vigil.keys.rotateTenantKek({ tenantId: tenant.id, actor: admin });
    let stop = false;
    const written: typeof values = [];
    const load = (async () => {
      let i = 0;
      while (!stop) {
        const rowId = `load-${i}`;
        const plain = `written under load ${i}`;
        const ciphertext = await vigil.keys.encryptField(db, {
          tenantId: tenant.id,
          subjectId: `load-subject-${i % 7}`,
          table: 'customers',
          column: 'phone',
          rowId,
          plaintext: plain,
        });
        written.push({ rowId, ciphertext, plain });
        const old = values[i % values.length]!;
        const read = await vigil.keys.decryptField(db, {
          tenantId: tenant.id,
          table: 'customers',
          column: 'phone',
          rowId: old.rowId,
          ciphertext: old.ciphertext,
        });
        expect(read.toString()).toBe(old.plain);
        i++;
        // Cached keys make both calls pure CPU: yield so the job's I/O interleaves, as requests would.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const report = await vigil.keys.rewrapKeys(job(), { batchSize: 4 });
    stop = true;
    await load;
    expect(report.dataKeysRewrapped).toBeGreaterThanOrEqual(41);
    expect(written.length).toBeGreaterThan(0);
    await vigil.keys.rewrapKeys(job());
    const status = await vigil.keys.keysStatus({ tenantId: tenant.id });
    expect(domain(status, 'data').pendingRewrap).toBe(0);
    clock.advance(10 * 60_000);
    await expectAllReadable(vigil, tenant.id, [...values, ...written]);
  });

  it('stops between batches when asked and resumes where it stopped', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'rot-resume', name: 'Resume' });
    const { values } = await seed(vigil, tenant.id, 20);
    await vigil.keys.rotateTenantKek({ tenantId: tenant.id, domains: ['data'], actor: admin });
    const controller = new AbortController();
    const first = await vigil.keys.rewrapKeys(
      { now: Date.now(), signal: controller.signal },
      { batchSize: 6, onBatch: () => controller.abort() },
    );
    expect(first).toMatchObject({ stopped: 1, dataKeysRewrapped: 6, batches: 1 });
    let status = await vigil.keys.keysStatus({ tenantId: tenant.id });
    expect(domain(status, 'data').pendingRewrap).toBe(15);
    clock.advance(10 * 60_000);
    await expectAllReadable(vigil, tenant.id, values); // half re-wrapped is fully readable
    const second = await vigil.keys.rewrapKeys(job(), { batchSize: 6 });
    expect(second.dataKeysRewrapped).toBe(15);
    status = await vigil.keys.keysStatus({ tenantId: tenant.id });
    expect(domain(status, 'data').pendingRewrap).toBe(0);
  });
});
