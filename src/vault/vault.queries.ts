import type { Db } from '../storage/index.ts';
import type { VaultTokensTable } from './vault.tables.ts';

export function findTokenByFingerprint(db: Db, tenantId: string, fingerprint: string) {
  return db
    .selectFrom('vault_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
}

/** Tokens of several cards by fingerprint (chunk the list). */
export function findTokensByFingerprints(db: Db, tenantId: string, fingerprints: readonly string[]) {
  return db
    .selectFrom('vault_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('fingerprint', 'in', fingerprints)
    .execute();
}

/** Inserts several tokens, skipping cards that already have one (the caller re-reads the winners). */
export async function insertTokensIfAbsent(db: Db, rows: readonly VaultTokensTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('vault_tokens')
    .values(rows)
    .onConflict((oc) => oc.columns(['tenant_id', 'fingerprint']).doNothing())
    .execute();
}

export function findToken(db: Db, tenantId: string, token: string) {
  return db
    .selectFrom('vault_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('token', '=', token)
    .executeTakeFirst();
}

/** Inserts unless the card already has a token (false then: the caller reads the winner's row). */
export async function insertTokenIfAbsent(db: Db, row: VaultTokensTable): Promise<boolean> {
  const result = await db
    .insertInto('vault_tokens')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'fingerprint']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateTokenExpiry(
  db: Db,
  tenantId: string,
  token: string,
  expiresAt: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('vault_tokens')
    .set({ expires_at: expiresAt, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('token', '=', token)
    .execute();
}

/** How many attempts one actor made since `since`, and when the oldest of them was (the sliding window). */
export async function countRecentDetokenizations(db: Db, tenantId: string, actorId: string, since: number) {
  const row = await db
    .selectFrom('vault_detokenizations')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('attempted_at').as('oldest')])
    .where('tenant_id', '=', tenantId)
    .where('actor_id', '=', actorId)
    .where('attempted_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
}

export async function insertDetokenization(
  db: Db,
  row: { tenant_id: string; id: string; actor_id: string; attempted_at: number },
): Promise<void> {
  await db.insertInto('vault_detokenizations').values(row).execute();
}

/** Drops an actor's attempts that fell out of the window (the log stays window-sized). */
export async function pruneDetokenizations(
  db: Db,
  tenantId: string,
  actorId: string,
  before: number,
): Promise<void> {
  await db
    .deleteFrom('vault_detokenizations')
    .where('tenant_id', '=', tenantId)
    .where('actor_id', '=', actorId)
    .where('attempted_at', '<=', before)
    .execute();
}

/** Oldest first: tokens last changed before `before`, after a (updated_at, token) keyset position. */
export function findTokensUpdatedBefore(
  db: Db,
  tenantId: string,
  f: { before: number; after?: { updatedAt: number; token: string }; limit: number },
) {
  let query = db
    .selectFrom('vault_tokens')
    .select(['token', 'last4', 'brand', 'created_at', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('updated_at', '<', f.before);
  const after = f.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('updated_at', '>', after.updatedAt),
        eb.and([eb('updated_at', '=', after.updatedAt), eb('token', '>', after.token)]),
      ]),
    );
  }
  return query.orderBy('updated_at').orderBy('token').limit(f.limit).execute();
}

export async function deleteTokens(db: Db, tenantId: string, tokens: readonly string[]): Promise<number> {
  if (tokens.length === 0) return 0;
  const result = await db
    .deleteFrom('vault_tokens')
    .where('tenant_id', '=', tenantId)
    .where('token', 'in', tokens)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
