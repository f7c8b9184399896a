import type { Insertable, Updateable } from 'kysely';
import type { DbOrTransaction } from '../audit/index.ts';
import type { AccessReviewCampaignsTable, AccessReviewItemsTable } from './access.tables.ts';

export async function insertCampaign(db: DbOrTransaction, row: Insertable<AccessReviewCampaignsTable>) {
  await db.insertInto('access_review_campaigns').values(row).execute();
}

export async function insertReviewItems(db: DbOrTransaction, rows: Insertable<AccessReviewItemsTable>[]) {
  // Chunked: SQLite caps bound parameters per statement.
  for (let i = 0; i < rows.length; i += 40) {
    await db
      .insertInto('access_review_items')
      .values(rows.slice(i, i + 40))
      .execute();
  }
}

export function findCampaign(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('access_review_campaigns')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listCampaigns(db: DbOrTransaction, tenantId: string, limit: number) {
  return db
    .selectFrom('access_review_campaigns')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export function findLatestCampaign(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('access_review_campaigns')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listDueCampaigns(db: DbOrTransaction, tenantId: string, now: number) {
  return db
    .selectFrom('access_review_campaigns')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'open')
    .where('due_at', '<=', now)
    .execute();
}

export async function closeCampaignRow(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('access_review_campaigns')
    .set({ status: 'closed', closed_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function listReviewItems(
  db: DbOrTransaction,
  tenantId: string,
  campaignId: string,
  filter: { reviewerId?: string; undecidedOnly?: boolean; unappliedOnly?: boolean; limit?: number } = {},
) {
  let query = db
    .selectFrom('access_review_items')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('campaign_id', '=', campaignId);
  if (filter.reviewerId) query = query.where('reviewer_id', '=', filter.reviewerId);
  if (filter.undecidedOnly) query = query.where('decision', 'is', null);
  if (filter.unappliedOnly) query = query.where('decision', 'is not', null).where('outcome', 'is', null);
  query = query.orderBy('user_name').orderBy('id');
  return filter.limit ? query.limit(filter.limit).execute() : query.execute();
}

export function findReviewItem(db: DbOrTransaction, tenantId: string, campaignId: string, id: string) {
  return db
    .selectFrom('access_review_items')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('campaign_id', '=', campaignId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Records a decision unless someone decided first; false when the item was already decided. */
export async function claimDecision(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  changes: Updateable<AccessReviewItemsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('access_review_items')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('decision', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setItemOutcome(db: DbOrTransaction, tenantId: string, id: string, outcome: string) {
  await db
    .updateTable('access_review_items')
    .set({ outcome })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('outcome', 'is', null)
    .execute();
}
