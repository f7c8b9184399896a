import type { DbOrTransaction } from '../audit/index.ts';
import type { InteractionFindingsTable, InteractionsTable } from './interactions.tables.ts';

export function findInteractionBySource(db: DbOrTransaction, tenantId: string, platform: string, sourceId: string) {
  return db
    .selectFrom('interactions')
    .select(['id', 'source_revision', 'subject_id'])
    .where('tenant_id', '=', tenantId)
    .where('source_platform', '=', platform)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

export function findInteractionById(db: DbOrTransaction, tenantId: string, id: string) {
  return db.selectFrom('interactions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function insertInteraction(db: DbOrTransaction, row: InteractionsTable): Promise<void> {
  await db.insertInto('interactions').values(row).execute();
}

export async function updateInteraction(db: DbOrTransaction, tenantId: string, id: string, row: Omit<InteractionsTable, 'id' | 'tenant_id' | 'ingested_at'>): Promise<void> {
  await db.updateTable('interactions').set(row).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function replaceInteractionFindings(db: DbOrTransaction, tenantId: string, interactionId: string, rows: InteractionFindingsTable[]): Promise<void> {
  await db.deleteFrom('interaction_findings').where('tenant_id', '=', tenantId).where('interaction_id', '=', interactionId).execute();
  if (rows.length > 0) await db.insertInto('interaction_findings').values(rows).execute();
}

export async function setRecordingFlag(db: DbOrTransaction, tenantId: string, id: string, hasRecording: boolean, now: number): Promise<void> {
  await db.updateTable('interactions').set({ has_recording: hasRecording, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export interface InteractionFilter {
  tenantId: string;
  from?: number;
  to?: number;
  channel?: string;
  queue?: string;
  agentRef?: string;
  phoneBidx?: string;
  emailBidx?: string;
  subjectId?: string;
  findingType?: string;
  /** Restrict to these queues (team scope of a supervisor); undefined means no restriction. */
  queues?: readonly string[];
  /** Restrict to one agent's own interactions. */
  ownAgentRef?: string;
  /** Cursor: return rows with id lower than this (ids are time-ordered UUIDv7). */
  beforeId?: string;
  limit: number;
}

const LIST_COLUMNS = [
  'id',
  'source_platform',
  'source_id',
  'channel',
  'direction',
  'started_at',
  'ended_at',
  'language',
  'queue',
  'agent_ref',
  'segment_count',
  'finding_count',
  'has_recording',
  'ingested_at',
  'anonymized_at',
  'subject_id',
] as const;

/** Newest first, keyset-paginated on the time-ordered id; every filter uses an index, nothing is decrypted. */
export function listInteractions(db: DbOrTransaction, f: InteractionFilter) {
  let query = db.selectFrom('interactions').select(LIST_COLUMNS).where('tenant_id', '=', f.tenantId);
  if (f.from !== undefined) query = query.where('started_at', '>=', f.from);
  if (f.to !== undefined) query = query.where('started_at', '<', f.to);
  if (f.channel) query = query.where('channel', '=', f.channel);
  if (f.queue) query = query.where('queue', '=', f.queue);
  if (f.agentRef) query = query.where('agent_ref', '=', f.agentRef);
  if (f.phoneBidx) query = query.where('customer_phone_bidx', '=', f.phoneBidx);
  if (f.emailBidx) query = query.where('customer_email_bidx', '=', f.emailBidx);
  if (f.subjectId) query = query.where('subject_id', '=', f.subjectId);
  if (f.queues) query = f.queues.length === 0 ? query.where('queue', '=', '\u0000none') : query.where('queue', 'in', f.queues);
  if (f.ownAgentRef !== undefined) query = query.where('agent_ref', '=', f.ownAgentRef);
  if (f.beforeId) query = query.where('id', '<', f.beforeId);
  if (f.findingType) {
    const type = f.findingType;
    query = query.where('id', 'in', (eb) =>
      eb.selectFrom('interaction_findings').select('interaction_id').where('tenant_id', '=', f.tenantId).where('type', '=', type),
    );
  }
  return query.orderBy('id', 'desc').limit(f.limit).execute();
}

export function findingTypesOf(db: DbOrTransaction, tenantId: string, interactionIds: readonly string[]) {
  if (interactionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('interaction_findings')
    .select(['interaction_id', 'type', 'count'])
    .where('tenant_id', '=', tenantId)
    .where('interaction_id', 'in', interactionIds)
    .execute();
}
