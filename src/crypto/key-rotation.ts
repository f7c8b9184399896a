import { randomBytes } from 'node:crypto';
import type { Db, StorageDialect } from '../storage/index.ts';
import { cryptoError } from './crypto.errors.ts';
import {
  findCurrentKek,
  findKeksNotOnRoot,
  listTenantIds,
  retireKeksBelow,
  updateKekWrap,
} from './crypto.queries.ts';
import type { KeyDomain } from './crypto.tables.ts';
import type { KeyActor, KeyAudit, KeyJobContext } from './crypto.types.ts';
import {
  countDataKeysBelowKekVersion,
  findDataKeysBelowKekVersion,
  findSharedSlots,
  insertDataKey,
  updateDataKeyWrap,
  updateSlotVersion,
} from './data-keys.queries.ts';
import { rewrapInstallationSecrets } from './installation-secret.ts';
import { KEY_BYTES, type KeyStore } from './key-store.ts';
import type { RootKeyProvider } from './root-key-provider.ts';

export const KEY_DOMAINS: readonly KeyDomain[] = ['data', 'vault'];

export interface RotationDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'withTransactionLock'>;
  store: KeyStore;
  audit: KeyAudit;
  provider: RootKeyProvider;
  clock: { now(): number };
}

const kekLockKey = (tenantId: string, domain: KeyDomain) => `crypto:kek:${tenantId}:${domain}`;

export interface RotatedKek {
  domain: KeyDomain;
  version: number;
  /** Shared keys (general, vault) that got a new version under the new KEK. */
  newDataKeyVersions: number;
}

/**
 * Creates a new KEK version for each domain and a new version of the tenant's shared data keys
 * under it, so new writes use fresh keys at once. Existing data keys keep working under the old
 * KEK until the re-wrap job moves them.
 */
export async function rotateTenantKek(
  deps: RotationDeps,
  input: { tenantId: string; domains?: readonly KeyDomain[]; actor: KeyActor; reason?: string },
): Promise<RotatedKek[]> {
  const rotated: RotatedKek[] = [];
  for (const domain of input.domains ?? KEY_DOMAINS) {
    const result = await deps.dialect.withTransactionLock(deps.db, kekLockKey(input.tenantId, domain), (t) =>
      rotateDomain(deps, t as Db, input, domain),
    );
    rotated.push(result);
  }
  deps.store.forgetCurrentKeys(input.tenantId);
  return rotated;
}

async function rotateDomain(
  deps: RotationDeps,
  trx: Db,
  input: { tenantId: string; actor: KeyActor; reason?: string },
  domain: KeyDomain,
): Promise<RotatedKek> {
  const { tenantId } = input;
  const current = await findCurrentKek(trx, tenantId, domain);
  const version = (current?.version ?? 0) + 1;
  const made = await deps.store.insertKek(trx, tenantId, domain, version);
  if (!made.inserted) throw cryptoError('KEK_MISSING');
  const now = deps.clock.now();
  const shared = await findSharedSlots(trx, tenantId, domain);
  for (const slot of shared) {
    const material = randomBytes(KEY_BYTES);
    const next = slot.current_version + 1;
    await insertDataKey(trx, {
      tenant_id: tenantId,
      key_id: slot.key_id,
      version: next,
      domain,
      kek_version: version,
      wrapped_key: deps.store.sealDataKey(
        made.key,
        tenantId,
        { keyId: slot.key_id, version: next, domain },
        material,
      ),
      created_at: now,
    });
    material.fill(0);
    await updateSlotVersion(trx, tenantId, slot.key_id, next, now);
  }
  await deps.audit.record(trx, {
    tenantId,
    actor: input.actor,
    action: 'keys.kek.rotated',
    outcome: 'success',
    target: { type: 'kek', id: `${domain}:v${version}` },
    ...(input.reason ? { reason: input.reason } : {}),
    details: { domain, version, sharedKeysRotated: shared.length },
  });
  return { domain, version, newDataKeyVersions: shared.length };
}

/**
 * Sets the minimum decryption version: the wrapped material of every KEK version below it is
 * erased. Refused while any data key is still wrapped by one of them (the re-wrap job must finish
 * first), so retiring can never make data unreadable.
 */
export async function retireKekVersions(
  deps: RotationDeps,
  input: { tenantId: string; domain: KeyDomain; belowVersion: number; actor: KeyActor; reason?: string },
): Promise<{ retired: number }> {
  const { tenantId, domain, belowVersion } = input;
  const retired = await deps.dialect.withTransactionLock(deps.db, kekLockKey(tenantId, domain), async (t) => {
    const trx = t as Db;
    const current = await findCurrentKek(trx, tenantId, domain);
    if (!current || !Number.isInteger(belowVersion) || belowVersion < 2 || belowVersion > current.version)
      throw cryptoError('KEK_VERSION_INVALID');
    const remaining = await countDataKeysBelowKekVersion(trx, tenantId, domain, belowVersion);
    if (remaining > 0) throw cryptoError('KEK_RETIRE_BLOCKED', undefined, { details: { remaining } });
    const count = await retireKeksBelow(trx, tenantId, domain, belowVersion, deps.clock.now());
    if (count > 0) {
      await deps.audit.record(trx, {
        tenantId,
        actor: input.actor,
        action: 'keys.kek.retired',
        outcome: 'success',
        target: { type: 'kek', id: `${domain}:<v${belowVersion}` },
        ...(input.reason ? { reason: input.reason } : {}),
        details: { domain, minDecryptionVersion: belowVersion, versionsRetired: count },
      });
    }
    return count;
  });
  deps.store.forgetKeks(tenantId, domain);
  return { retired };
}

export interface RewrapReport {
  tenants: number;
  secretsRewrapped: number;
  keksRewrapped: number;
  dataKeysRewrapped: number;
  batches: number;
  /** 1 when the run was asked to stop (shutdown) before it finished; the next run resumes. */
  stopped: number;
  [key: string]: number;
}

export interface RewrapOptions {
  batchSize?: number;
  /** Called after each committed batch (CLI progress). */
  onBatch?: (report: Readonly<RewrapReport>) => void;
}

const REWRAP_ACTOR: KeyActor = { type: 'system', id: 'job:keys.rewrap', name: 'key re-wrap' };

/**
 * The re-wrap job: moves the installation secret and every KEK onto the provider's current root
 * key, then every data key onto
 * the newest KEK version of its domain. Batched (each batch one short transaction with its audit
 * event), idempotent (each update re-checks what it read) and resumable: progress lives in the
 * rows themselves, so a crash loses at most the batch in flight, which rolls back whole.
 */
export async function rewrapKeys(
  deps: RotationDeps,
  context: KeyJobContext,
  options: RewrapOptions = {},
): Promise<RewrapReport> {
  const batchSize = options.batchSize ?? 200;
  const report: RewrapReport = {
    tenants: 0,
    secretsRewrapped: 0,
    keksRewrapped: 0,
    dataKeysRewrapped: 0,
    batches: 0,
    stopped: 0,
  };
  try {
    report.secretsRewrapped = await rewrapInstallationSecrets(deps.db, deps.provider);
    for (const tenantId of await listTenantIds(deps.db)) {
      const before = report.keksRewrapped + report.dataKeysRewrapped;
      await rewrapTenantKeks(deps, tenantId, context, batchSize, report, options);
      for (const domain of KEY_DOMAINS) {
        await rewrapTenantDataKeys(deps, { tenantId, domain }, context, batchSize, report, options);
      }
      if (report.keksRewrapped + report.dataKeysRewrapped > before) report.tenants++;
    }
  } catch (error) {
    // Asked to stop (shutdown): the batch in flight rolled back; the next run carries on from there.
    if (!context.signal.aborted) throw error;
    report.stopped = 1;
  }
  return report;
}

async function rewrapTenantKeks(
  deps: RotationDeps,
  tenantId: string,
  context: KeyJobContext,
  batchSize: number,
  report: RewrapReport,
  options: RewrapOptions,
): Promise<void> {
  for (;;) {
    context.signal.throwIfAborted();
    const rows = await findKeksNotOnRoot(deps.db, tenantId, deps.provider.currentKeyId(), batchSize);
    if (rows.length === 0) return;
    const moved = await deps.db.transaction().execute(async (trx) => {
      let count = 0;
      for (const row of rows) {
        context.signal.throwIfAborted();
        const material = await deps.store.openKek(row);
        const sealed = await deps.store.sealKek(tenantId, row.domain, row.version, material);
        material.fill(0);
        count += await updateKekWrap(trx, tenantId, row.id, {
          fromRootKeyId: row.root_key_id,
          toRootKeyId: sealed.keyId,
          wrapped: sealed.wrapped,
        });
      }
      if (count > 0) {
        await deps.audit.record(trx, {
          tenantId,
          actor: REWRAP_ACTOR,
          action: 'keys.kek.root_rewrapped',
          outcome: 'success',
          details: { keks: count, rootKeyId: deps.provider.currentKeyId() },
        });
      }
      return count;
    });
    report.keksRewrapped += moved;
    report.batches++;
    options.onBatch?.(report);
    if (rows.length < batchSize) return;
  }
}

async function rewrapTenantDataKeys(
  deps: RotationDeps,
  scope: { tenantId: string; domain: KeyDomain },
  context: KeyJobContext,
  batchSize: number,
  report: RewrapReport,
  options: RewrapOptions,
): Promise<void> {
  const { tenantId, domain } = scope;
  const current = await findCurrentKek(deps.db, tenantId, domain);
  if (!current) return;
  const target = await deps.store.kek(deps.db, tenantId, domain, current.version);
  for (;;) {
    context.signal.throwIfAborted();
    const rows = await findDataKeysBelowKekVersion(deps.db, tenantId, domain, current.version, batchSize);
    if (rows.length === 0) return;
    const moved = await deps.db.transaction().execute(async (trx) => {
      let count = 0;
      for (const row of rows) {
        // Stopping mid-batch throws, and the batch rolls back whole: nothing is half re-wrapped.
        context.signal.throwIfAborted();
        const material = await deps.store.openDataKey(trx, tenantId, row);
        const key = { keyId: row.key_id, version: row.version, domain };
        const wrapped = deps.store.sealDataKey(target, tenantId, key, material);
        material.fill(0);
        count += await updateDataKeyWrap(trx, tenantId, key, {
          fromKekVersion: row.kek_version,
          toKekVersion: current.version,
          wrapped,
        });
      }
      if (count > 0) {
        await deps.audit.record(trx, {
          tenantId,
          actor: REWRAP_ACTOR,
          action: 'keys.data_keys.rewrapped',
          outcome: 'success',
          target: { type: 'kek', id: `${domain}:v${current.version}` },
          details: { domain, dataKeys: count, kekVersion: current.version },
        });
      }
      return count;
    });
    report.dataKeysRewrapped += moved;
    report.batches++;
    options.onBatch?.(report);
    if (rows.length < batchSize) return;
  }
}
