import { CompiledQuery, sql } from 'kysely';
import type { DbOrTransaction } from '../audit/index.ts';
import type { InteractionFindingsTable, InteractionsTable } from './interactions.tables.ts';

export function findInteractionBySource(
  db: DbOrTransaction,
  tenantId: string,
  platform: string,
  sourceId: string,
) {
  return db
    .selectFrom('interactions')
    .select(['id', 'source_revision', 'source_adapter', 'subject_id'])
    .where('tenant_id', '=', tenantId)
    .where('source_platform', '=', platform)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

/** The stored interactions among a batch's sources of one platform (chunk the ids). */
export function findInteractionsBySources(
  db: DbOrTransaction,
  tenantId: string,
  platform: string,
  sourceIds: readonly string[],
) {
  return db
    .selectFrom('interactions')
    .select(['id', 'source_id'])
    .where('tenant_id', '=', tenantId)
    .where('source_platform', '=', platform)
    .where('source_id', 'in', sourceIds)
    .execute();
}

export function findInteractionById(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('interactions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertInteraction(db: DbOrTransaction, row: InteractionsTable): Promise<void> {
  await db.insertInto('interactions').values(row).execute();
}

// Every column, so a batch insert never drops one (the compiler checks the list against the table).
const INTERACTION_COLUMNS = Object.keys({
  id: true,
  tenant_id: true,
  subject_id: true,
  source_platform: true,
  source_id: true,
  source_revision: true,
  source_adapter: true,
  channel: true,
  direction: true,
  started_at: true,
  ended_at: true,
  language: true,
  queue: true,
  agent_ref: true,
  customer_phone_bidx: true,
  customer_email_bidx: true,
  segment_count: true,
  finding_count: true,
  category: true,
  sample_bucket: true,
  body: true,
  originals: true,
  has_recording: true,
  ingested_at: true,
  updated_at: true,
  anonymized_at: true,
} satisfies Record<keyof InteractionsTable, true>) as (keyof InteractionsTable)[];

const FINDING_COLUMNS = Object.keys({
  tenant_id: true,
  interaction_id: true,
  type: true,
  count: true,
  ingested_at: true,
} satisfies Record<keyof InteractionFindingsTable, true>) as (keyof InteractionFindingsTable)[];

/**
 * A multi-row insert whose SQL text Kysely builds once per dialect and row count. Building a
 * batch insert makes a query node per value (6,500 for 250 interactions), most of the main
 * thread's query-building time in ingest, while the text depends only on the dialect, the columns
 * and the count. Each call still builds a one-row insert of the same shape, which passes the
 * tenant guard like any query and names the dialect in the cache key; the batch then runs as the
 * cached text with the rows' values in column order.
 */
function multiRowInsert<T extends object>(
  table: 'interactions' | 'interaction_findings',
  columns: readonly (keyof T & string)[],
) {
  // A row of nulls: each still compiles to one parameter. Typed loosely: the table is a parameter.
  const blank = Object.fromEntries(columns.map((column) => [column, null])) as never;
  const texts = new Map<string, string>();
  return async (db: DbOrTransaction, rows: readonly T[]): Promise<void> => {
    if (rows.length === 0) return;
    const key = `${rows.length}:${db.insertInto(table).values(blank).compile().sql}`;
    let text = texts.get(key);
    if (text === undefined) {
      const template = db
        .insertInto(table)
        .values(rows.map(() => blank) as never)
        .compile();
      // Each value must be one parameter, in row-then-column order, for the values below to bind.
      if (template.parameters.length !== rows.length * columns.length)
        throw new Error(`unexpected ${table} insert template`);
      text = template.sql;
      if (texts.size >= 16) texts.clear();
      texts.set(key, text);
    }
    const parameters: unknown[] = new Array(rows.length * columns.length);
    let at = 0;
    for (const row of rows) for (const column of columns) parameters[at++] = row[column];
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  };
}

const insertInteractionRows = multiRowInsert<InteractionsTable>('interactions', INTERACTION_COLUMNS);
const insertFindingRows = multiRowInsert<InteractionFindingsTable>('interaction_findings', FINDING_COLUMNS);

/** New interactions in one statement (the caller keeps a batch under the parameter limits). */
export function insertInteractions(db: DbOrTransaction, rows: readonly InteractionsTable[]): Promise<void> {
  return insertInteractionRows(db, rows);
}

export async function updateInteraction(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  row: Omit<InteractionsTable, 'id' | 'tenant_id' | 'ingested_at'>,
): Promise<void> {
  await db
    .updateTable('interactions')
    .set(row)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function replaceInteractionFindings(
  db: DbOrTransaction,
  tenantId: string,
  interactionId: string,
  rows: InteractionFindingsTable[],
): Promise<void> {
  await db
    .deleteFrom('interaction_findings')
    .where('tenant_id', '=', tenantId)
    .where('interaction_id', '=', interactionId)
    .execute();
  if (rows.length > 0) await db.insertInto('interaction_findings').values(rows).execute();
}

export function insertInteractionFindings(
  db: DbOrTransaction,
  rows: readonly InteractionFindingsTable[],
): Promise<void> {
  return insertFindingRows(db, rows);
}

export async function setRecordingFlag(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  hasRecording: boolean,
  now: number,
): Promise<void> {
  await db
    .updateTable('interactions')
    .set({ has_recording: hasRecording ? 1 : 0, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export type ReadScope =
  | { all: true }
  | { all: false; agentRefs: readonly string[]; queues: readonly string[]; samplePercent: number };

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
  /** The reader's reach: everything in the tenant, or the union of their own, their teams' queues and a QA sample. */
  scope: ReadScope;
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

/**
 * Ids of the customers known by a phone or email: on their profile, or among the further
 * identifiers they were seen with. A search by phone finds every interaction of those customers
 * (through interactions_subject): interactions keep no index of their own phone or email, whose
 * random keys made each insert and purge rewrite two more pages.
 */
function subjectsKnownBy(db: DbOrTransaction, tenantId: string, kind: 'phone' | 'email', bidx: string) {
  const column = kind === 'phone' ? 'phone_bidx' : 'email_bidx';
  return db
    .selectFrom('subjects')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where(column, '=', bidx)
    .unionAll(
      db
        .selectFrom('subject_identifiers')
        .select('subject_id as id')
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where('bidx', '=', bidx),
    );
}

/**
 * The id as a sort key that no index provides, for the interactions of one customer: those are
 * few, found through interactions_subject and then sorted. Ordered by the bare id, SQLite (which
 * plans without statistics) walks the tenant's id index instead and reads every interaction of
 * the tenant to find them. `id || ''` sorts the same.
 */
const ID_WITHOUT_ITS_INDEX = sql<string>`${sql.ref('id')} || ''`;

/** Newest first, keyset-paginated on the time-ordered id; every filter uses an index, nothing is decrypted. */
export function listInteractions(db: DbOrTransaction, f: InteractionFilter) {
  return listInteractionsQuery(db, f).execute();
}

/** The query of listInteractions (tests read its plan). */
export function listInteractionsQuery(db: DbOrTransaction, f: InteractionFilter) {
  let query = db.selectFrom('interactions').select(LIST_COLUMNS).where('tenant_id', '=', f.tenantId);
  if (f.from !== undefined) query = query.where('started_at', '>=', f.from);
  if (f.to !== undefined) query = query.where('started_at', '<', f.to);
  if (f.channel) query = query.where('channel', '=', f.channel);
  if (f.queue) query = query.where('queue', '=', f.queue);
  if (f.agentRef) query = query.where('agent_ref', '=', f.agentRef);
  if (f.phoneBidx)
    query = query.where('subject_id', 'in', subjectsKnownBy(db, f.tenantId, 'phone', f.phoneBidx));
  if (f.emailBidx)
    query = query.where('subject_id', 'in', subjectsKnownBy(db, f.tenantId, 'email', f.emailBidx));
  if (f.subjectId) query = query.where('subject_id', '=', f.subjectId);
  const scope = f.scope;
  if (!scope.all) {
    query = query.where((eb) =>
      eb.or([
        ...(scope.agentRefs.length > 0 ? [eb('agent_ref', 'in', scope.agentRefs)] : []),
        ...(scope.queues.length > 0 ? [eb('queue', 'in', scope.queues)] : []),
        ...(scope.samplePercent > 0 ? [eb('sample_bucket', '<', scope.samplePercent)] : []),
        // Nothing granted: a condition no row meets, so the reader sees nothing.
        eb(eb.val(0), '=', 1),
      ]),
    );
  }
  if (f.beforeId) query = query.where('id', '<', f.beforeId);
  if (f.findingType) {
    const type = f.findingType;
    query = query.where('id', 'in', (eb) =>
      eb
        .selectFrom('interaction_findings')
        .select('interaction_id')
        .where('tenant_id', '=', f.tenantId)
        .where('type', '=', type),
    );
  }
  const oneCustomer = Boolean(f.subjectId || f.phoneBidx || f.emailBidx);
  const order = oneCustomer ? ID_WITHOUT_ITS_INDEX : sql.ref('id');
  return query.orderBy(order, 'desc').limit(f.limit);
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

/** Oldest first: interactions of a category ingested before a time, skipping held ids. */
/** Keyset position in (ingested_at, id) order: the scan resumes after it. */
export interface IngestedCursor {
  ingestedAt: number;
  id: string;
}

const LIFECYCLE_COLUMNS = [
  'id',
  'subject_id',
  'has_recording',
  'ingested_at',
  'anonymized_at',
  'category',
  'channel',
  'queue',
  'agent_ref',
  'started_at',
] as const;

export function findInteractionsIngestedBefore(
  db: DbOrTransaction,
  f: {
    tenantId: string;
    category: string;
    before: number;
    excludeIds: readonly string[];
    onlyIdentified?: boolean;
    after?: IngestedCursor;
    limit: number;
  },
) {
  let query = db
    .selectFrom('interactions')
    .select(LIFECYCLE_COLUMNS)
    .where('tenant_id', '=', f.tenantId)
    .where('category', '=', f.category)
    .where('ingested_at', '<', f.before);
  if (f.excludeIds.length > 0) query = query.where('id', 'not in', f.excludeIds);
  if (f.onlyIdentified) query = query.where('anonymized_at', 'is', null);
  const after = f.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('ingested_at', '>', after.ingestedAt),
        eb.and([eb('ingested_at', '=', after.ingestedAt), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('ingested_at').orderBy('id').limit(f.limit).execute();
}

/** Oldest first: interactions that still have a recording file, ingested before a time. */
export function findRecordedIngestedBefore(
  db: DbOrTransaction,
  f: { tenantId: string; before: number; after?: IngestedCursor; limit: number },
) {
  let query = db
    .selectFrom('interactions')
    .select(LIFECYCLE_COLUMNS)
    .where('tenant_id', '=', f.tenantId)
    .where('has_recording', '=', 1)
    .where('ingested_at', '<', f.before);
  const after = f.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('ingested_at', '>', after.ingestedAt),
        eb.and([eb('ingested_at', '=', after.ingestedAt), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('ingested_at').orderBy('id').limit(f.limit).execute();
}

export async function clearRecordingFlags(
  db: DbOrTransaction,
  tenantId: string,
  ids: readonly string[],
  now: number,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('interactions')
    .set({ has_recording: 0, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** How many interactions each of these subjects still has (subjects with none are absent). */
export function countInteractionsOfSubjects(
  db: DbOrTransaction,
  tenantId: string,
  subjectIds: readonly string[],
) {
  if (subjectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('interactions')
    .select(['subject_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('subject_id', 'in', subjectIds)
    .groupBy('subject_id')
    .execute();
}

export function findInteractionsOfSubject(db: DbOrTransaction, tenantId: string, subjectId: string) {
  return interactionsOfSubjectQuery(db, tenantId, subjectId).execute();
}

/** The query of findInteractionsOfSubject (tests read its plan). */
export function interactionsOfSubjectQuery(db: DbOrTransaction, tenantId: string, subjectId: string) {
  return db
    .selectFrom('interactions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .orderBy(ID_WITHOUT_ITS_INDEX);
}

export function countSubjectInteractions(db: DbOrTransaction, tenantId: string, subjectId: string) {
  return db
    .selectFrom('interactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .executeTakeFirstOrThrow();
}

export async function deleteInteractionsByIds(
  db: DbOrTransaction,
  tenantId: string,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  // Finding rows first, set-based (no foreign key cascades them: a per-row trigger on both
  // databases). Their key leads with (tenant_id, interaction_id), so this is a key lookup per id,
  // never a scan of the tenant's findings (migration 0011).
  await db
    .deleteFrom('interaction_findings')
    .where('tenant_id', '=', tenantId)
    .where('interaction_id', 'in', ids)
    .execute();
  const result = await db
    .deleteFrom('interactions')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function replaceWithAnonymized(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  fields: { body: Buffer; now: number },
): Promise<void> {
  await db
    .updateTable('interactions')
    .set({
      body: fields.body,
      originals: null,
      subject_id: null,
      customer_phone_bidx: null,
      customer_email_bidx: null,
      anonymized_at: fields.now,
      updated_at: fields.now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export function countInteractionsByCategory(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('interactions')
    .select([
      'category',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.min('ingested_at').as('oldest'),
    ])
    .where('tenant_id', '=', tenantId)
    .groupBy('category')
    .execute();
}
