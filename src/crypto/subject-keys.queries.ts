import { sql } from 'kysely';
import type { Db } from '../storage/index.ts';

// Several hundred ids per statement stays far below both dialects' bound-parameter limits.
const CHUNK = 500;

/** The slots with these names (subject keys named `subject:<id>`), in chunks of bounded statements. */
export async function findSlotsByNames(db: Db, tenantId: string, names: readonly string[]) {
  const rows = [];
  for (let i = 0; i < names.length; i += CHUNK) {
    rows.push(
      ...(await db
        .selectFrom('crypto_key_slots')
        .select(['key_id', 'name', 'status', 'destroy_after'])
        .where('tenant_id', '=', tenantId)
        .where('name', 'in', names.slice(i, i + CHUNK))
        .execute()),
    );
  }
  return rows;
}

/**
 * Moves active slots to destruction_scheduled and returns the key ids it changed: a slot another
 * transaction scheduled, cancelled or destroyed meanwhile no longer matches `status = 'active'`
 * and is not returned, so only the keys this call really scheduled get an audit event.
 */
export async function scheduleActiveSlots(
  db: Db,
  tenantId: string,
  keyIds: readonly string[],
  change: { destroyAfter: number; now: number },
): Promise<Set<string>> {
  const changed = new Set<string>();
  for (let i = 0; i < keyIds.length; i += CHUNK) {
    const rows = await db
      .updateTable('crypto_key_slots')
      .set({ status: 'destruction_scheduled', destroy_after: change.destroyAfter, updated_at: change.now })
      .where('tenant_id', '=', tenantId)
      .where('key_id', 'in', keyIds.slice(i, i + CHUNK))
      .where('status', '=', 'active')
      .returning('key_id')
      .execute();
    for (const row of rows) changed.add(row.key_id);
  }
  return changed;
}

/**
 * Turns due scheduled slots into tombstones (`destroyed:<key id>`) and returns the key ids it
 * changed: a slot whose destruction was cancelled since it was read no longer matches.
 */
export async function markSlotsDestroyed(
  db: Db,
  tenantId: string,
  keyIds: readonly string[],
  now: number,
): Promise<Set<string>> {
  const changed = new Set<string>();
  for (let i = 0; i < keyIds.length; i += CHUNK) {
    const rows = await db
      .updateTable('crypto_key_slots')
      .set({
        status: 'destroyed',
        name: sql<string>`'destroyed:' || key_id`,
        destroy_after: null,
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('key_id', 'in', keyIds.slice(i, i + CHUNK))
      .where('status', '=', 'destruction_scheduled')
      .where('destroy_after', '<=', now)
      .returning('key_id')
      .execute();
    for (const row of rows) changed.add(row.key_id);
  }
  return changed;
}

/** Deletes every version of these keys; returns how many versions each key had. */
export async function deleteDataKeysOfSlots(
  db: Db,
  tenantId: string,
  keyIds: readonly string[],
): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  for (let i = 0; i < keyIds.length; i += CHUNK) {
    const rows = await db
      .deleteFrom('crypto_data_keys')
      .where('tenant_id', '=', tenantId)
      .where('key_id', 'in', keyIds.slice(i, i + CHUNK))
      .returning('key_id')
      .execute();
    for (const row of rows) versions.set(row.key_id, (versions.get(row.key_id) ?? 0) + 1);
  }
  return versions;
}
