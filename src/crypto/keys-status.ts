import { DAY_MS } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import { listKeks, listTenantIds } from './crypto.queries.ts';
import type { KeyDomain, SlotPurpose, SlotStatus } from './crypto.tables.ts';
import { countDataKeysByKek, countSlotsByStatus } from './data-keys.queries.ts';
import { countInstallationSecretsOnOldRoot } from './installation-secret.ts';
import { KEY_DOMAINS } from './key-rotation.ts';
import type { KeyStore } from './key-store.ts';
import type { RootKeyProvider } from './root-key-provider.ts';

export interface KekVersionStatus {
  version: number;
  createdAt: number;
  ageDays: number;
  /** Root key that wraps it (null once retired). */
  rootKeyId: string | null;
  retired: boolean;
  /** Data keys this version still wraps. */
  dataKeys: number;
}

export interface DomainStatus {
  domain: KeyDomain;
  currentVersion: number | null;
  /** Oldest version still able to decrypt (versions below are retired). */
  minDecryptionVersion: number | null;
  versions: KekVersionStatus[];
  /** Data keys waiting for the re-wrap job (under an older version than the current one). */
  pendingRewrap: number;
}

export interface TenantKeysStatus {
  tenantId: string;
  domains: DomainStatus[];
  /** KEKs still wrapped by another root key than the current one. */
  keksOnOldRootKey: number;
  keys: Record<SlotPurpose, Record<SlotStatus, number>>;
}

export interface KeysStatus {
  rootKey: {
    provider: string;
    currentKeyId: string;
    loadedKeyIds: string[];
    /** Installation secrets still wrapped by an older root key (a root rotation not yet re-wrapped). */
    secretsOnOldRootKey: number;
  };
  tenants: TenantKeysStatus[];
  cache: ReturnType<KeyStore['stats']>;
}

const emptyCounts = (): Record<SlotStatus, number> => ({ active: 0, destruction_scheduled: 0, destroyed: 0 });

async function tenantStatus(
  db: Db,
  tenantId: string,
  rootKeyId: string,
  now: number,
): Promise<TenantKeysStatus> {
  const [keks, byKek, slots] = await Promise.all([
    listKeks(db, tenantId),
    countDataKeysByKek(db, tenantId),
    countSlotsByStatus(db, tenantId),
  ]);
  const domains = KEY_DOMAINS.map((domain): DomainStatus => {
    const versions = keks
      .filter((k) => k.domain === domain)
      .map((k) => ({
        version: k.version,
        createdAt: Number(k.created_at),
        ageDays: Math.floor((now - Number(k.created_at)) / DAY_MS),
        rootKeyId: k.root_key_id,
        retired: k.retired_at !== null,
        dataKeys: byKek.find((c) => c.domain === domain && c.kekVersion === k.version)?.count ?? 0,
      }));
    const current = versions.at(-1)?.version ?? null;
    const live = versions.filter((v) => !v.retired);
    return {
      domain,
      currentVersion: current,
      minDecryptionVersion: live[0]?.version ?? null,
      versions,
      pendingRewrap: versions.filter((v) => v.version !== current).reduce((n, v) => n + v.dataKeys, 0),
    };
  });
  const keys = {
    general: emptyCounts(),
    vault: emptyCounts(),
    index: emptyCounts(),
    vault_index: emptyCounts(),
    subject: emptyCounts(),
  };
  for (const s of slots) keys[s.purpose][s.status] += s.count;
  return {
    tenantId,
    domains,
    keksOnOldRootKey: keks.filter((k) => k.retired_at === null && k.root_key_id !== rootKeyId).length,
    keys,
  };
}

/** Versions, ages and usage of every key of one tenant (or all), for `vigil keys status`. */
export async function keysStatus(
  deps: { db: Db; provider: RootKeyProvider; store: KeyStore; clock: { now(): number } },
  input: { tenantId?: string } = {},
): Promise<KeysStatus> {
  const tenantIds = input.tenantId ? [input.tenantId] : await listTenantIds(deps.db);
  const rootKeyId = deps.provider.currentKeyId();
  const tenants: TenantKeysStatus[] = [];
  for (const tenantId of tenantIds)
    tenants.push(await tenantStatus(deps.db, tenantId, rootKeyId, deps.clock.now()));
  return {
    rootKey: {
      provider: deps.provider.name,
      currentKeyId: rootKeyId,
      loadedKeyIds: [...deps.provider.knownKeyIds()],
      secretsOnOldRootKey: await countInstallationSecretsOnOldRoot(deps.db, deps.provider),
    },
    tenants,
    cache: deps.store.stats(),
  };
}
