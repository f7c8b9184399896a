import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect, testEnv } from '../../test/harness/test-vigil.ts';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../logging/logger.ts';
import { openVigil, type Vigil } from '../main.ts';
import { isAppError } from '../shared/errors.ts';
import { loadInstallationSecret, loadRootKeyProvider } from './index.ts';

describeEachDialect('root key rotation', (get) => {
  it('re-wraps every KEK and the installation secret; afterwards only the new root key opens them', async () => {
    const { vigil, clock, config, dialect, dataDir, schema } = get();
    const tenant = await vigil.tenancy.create({ slug: 'root-rot', name: 'Root' });
    const db = vigil.storage.db;
    const at = { tenantId: tenant.id, table: 'customers', column: 'email', rowId: 'r1' };
    const data = await vigil.keys.encryptField(db, {
      ...at,
      subjectId: 'c1',
      plaintext: 'grace@example.com',
    });
    const card = await vigil.keys.encryptField(db, {
      ...at,
      column: 'pan',
      domain: 'vault',
      plaintext: '4111',
    });
    const index = await vigil.keys.blindIndex(db, {
      tenantId: tenant.id,
      kind: 'email',
      value: 'grace@example.com',
    });
    const secretBefore = await loadInstallationSecret(db, vigil.keys.provider, clock);

    const newKey = randomBytes(32);
    const open = async (env: Record<string, string>, provider?: ReturnType<typeof loadRootKeyProvider>) =>
      openVigil(loadConfig({ env: testEnv(dialect, dataDir, env) }), {
        clock,
        logger: createLogger({ level: 'silent' }),
        storage: schema ? { postgresSchema: schema } : {},
        ...(provider ? { rootKeyProvider: provider } : {}),
      });
    const oldEnv = { VIGIL_MASTER_KEY: config.keys.masterKey! };
    const newEnv = { VIGIL_MASTER_KEY: newKey.toString('base64') };
    const rotating = await open(oldEnv, loadRootKeyProvider(config, { rotateTo: newKey }));
    let after: Vigil | undefined;
    try {
      const report = await rotating.keys.rewrapKeys({
        now: clock.now(),
        signal: new AbortController().signal,
      });
      expect(report.secretsRewrapped).toBe(1);
      expect(report.keksRewrapped).toBeGreaterThanOrEqual(2); // this tenant's data and vault KEKs at least
      const status = await rotating.keys.keysStatus();
      expect(status.rootKey.secretsOnOldRootKey).toBe(0);
      expect(status.tenants.every((t) => t.keksOnOldRootKey === 0)).toBe(true);

      after = await open(newEnv);
      const db2 = after.storage.db;
      expect((await after.keys.decryptField(db2, { ...at, ciphertext: data })).toString()).toBe(
        'grace@example.com',
      );
      expect(
        (await after.keys.decryptField(db2, { ...at, column: 'pan', ciphertext: card })).toString(),
      ).toBe('4111');
      // Keys derived from the installation secret (audit MACs, blind indexes) did not change.
      expect(
        await after.keys.blindIndex(db2, { tenantId: tenant.id, kind: 'email', value: 'grace@example.com' }),
      ).toBe(index);
      expect((await loadInstallationSecret(db2, after.keys.provider, clock)).equals(secretBefore)).toBe(true);
      const events = await db2
        .selectFrom('audit_events')
        .select('action')
        .where('tenant_id', '=', tenant.id)
        .where('action', '=', 'keys.kek.root_rewrapped')
        .execute();
      expect(events.length).toBe(1);
    } finally {
      await rotating.close();
      await after?.close();
    }
    // The old root key alone no longer opens anything.
    const refused = await open(oldEnv).catch((error: unknown) => error);
    expect(isAppError(refused) && refused.code).toBe('ROOT_KEY_UNAVAILABLE');
  });
});
