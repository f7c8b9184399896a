import { randomBytes } from 'node:crypto';
import type { Db } from '../storage/index.ts';
import {
  findRootSecret,
  findRootSecretsNotOnRoot,
  insertRootSecretIfAbsent,
  updateRootSecretWrap,
} from './crypto.queries.ts';
import { encodeParts } from './field-format.ts';
import type { RootKeyProvider } from './root-key-provider.ts';

const INSTALLATION = 'installation';
const LABEL = 'vigil/root-secret/v1';
const aad = (id: string) => encodeParts(LABEL, [id]);

/**
 * The installation secret: 32 random bytes made once, stored wrapped by the root key. Features
 * derive their HKDF keys (audit MACs, identity secrets) from it instead of from the root key, so
 * rotating the root key re-wraps this secret and every derived key stays the same.
 */
export async function loadInstallationSecret(
  db: Db,
  provider: RootKeyProvider,
  clock: { now(): number },
): Promise<Buffer> {
  const existing = await findRootSecret(db, INSTALLATION);
  if (existing) return provider.unwrap(Buffer.from(existing.wrapped_key), aad(INSTALLATION));
  const secret = randomBytes(32);
  const sealed = await provider.wrap(secret, aad(INSTALLATION));
  const inserted = await insertRootSecretIfAbsent(db, {
    id: INSTALLATION,
    wrapped_key: sealed.wrapped,
    root_key_id: sealed.keyId,
    created_at: clock.now(),
  });
  // Two nodes starting at once: the first insert wins and both use its secret.
  return inserted ? secret : loadInstallationSecret(db, provider, clock);
}

/** Re-wraps installation secrets still under an older root key; returns how many moved. */
export async function rewrapInstallationSecrets(db: Db, provider: RootKeyProvider): Promise<number> {
  let moved = 0;
  for (const row of await findRootSecretsNotOnRoot(db, provider.currentKeyId())) {
    const secret = await provider.unwrap(Buffer.from(row.wrapped_key), aad(row.id));
    const sealed = await provider.wrap(secret, aad(row.id));
    secret.fill(0);
    moved += await updateRootSecretWrap(db, row.id, {
      fromRootKeyId: row.root_key_id,
      toRootKeyId: sealed.keyId,
      wrapped: sealed.wrapped,
    });
  }
  return moved;
}

/** How many installation secrets are still wrapped by another root key than the current one. */
export async function countInstallationSecretsOnOldRoot(db: Db, provider: RootKeyProvider): Promise<number> {
  return (await findRootSecretsNotOnRoot(db, provider.currentKeyId())).length;
}
