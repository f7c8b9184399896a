import type { AuditRecorder } from '../audit/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import type { SubjectIdentifiers } from '../subjects/index.ts';
import { subjectsOfOpenAccessCases } from './dsar.queries.ts';
import { actorLabel, auditFrom, type Caller } from './retention.caller.ts';
import type { DataCategory } from './retention.categories.ts';
import { retentionError } from './retention.errors.ts';
import {
  countHoldItems,
  findHeldRefs,
  findHold,
  insertHold,
  listHolds,
  releaseHold,
} from './retention.queries.ts';

/** A filter over records: every given field must match (lists match any of their values). */
export interface HoldQuery {
  categories?: DataCategory[];
  channels?: string[];
  queues?: string[];
  agentRefs?: string[];
  startedFrom?: number;
  startedTo?: number;
  createdFrom?: number;
  createdTo?: number;
}

export type HoldTarget =
  | { kind: 'customer'; identifier: SubjectIdentifiers }
  | { kind: 'interactions'; ids: string[] }
  | { kind: 'query'; query: HoldQuery };

export interface HoldInput {
  name: string;
  reason: string;
  owner: string;
  expiresAt?: number;
  target: HoldTarget;
}

export interface Hold {
  id: string;
  kind: 'subject' | 'interactions' | 'query';
  name: string;
  reason: string;
  owner: string;
  query: HoldQuery | null;
  items: number;
  createdAt: number;
  createdBy: string;
  expiresAt: number | null;
  releasedAt: number | null;
  releasedBy: string | null;
  releaseReason: string | null;
  active: boolean;
}

/** The facts about a record that holds are matched against. */
export interface HeldCandidate {
  id: string;
  category: DataCategory;
  /** The customer it belongs to (a customer profile names itself). */
  subjectId?: string | null;
  hasRecording?: boolean;
  channel?: string | null;
  queue?: string | null;
  agentRef?: string | null;
  startedAt?: number | null;
  createdAt: number;
}

export interface HoldsDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'lockInTransaction'>;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  findSubjects(db: Db, tenantId: string, identifier: SubjectIdentifiers): Promise<{ id: string }[]>;
}

/** Why a record of a customer with an open access request is kept (PIPEDA s. 8(8)). */
export const OPEN_ACCESS_REQUEST = 'an open data subject access request';

/** Purge batches and hold changes take this lock, so a hold committed first is always seen. */
export const holdsLockKey = (tenantId: string) => `retention:holds:${tenantId}`;

const INTERACTION_ONLY: (keyof HoldQuery)[] = ['channels', 'queues', 'agentRefs', 'startedFrom', 'startedTo'];

const within = (value: number | null | undefined, from?: number, to?: number) =>
  (from === undefined && to === undefined) ||
  (value !== null &&
    value !== undefined &&
    (from === undefined || value >= from) &&
    (to === undefined || value < to));

/** Whether a query hold covers a record. A held recording keeps its interaction too. */
export function queryMatches(query: HoldQuery, r: HeldCandidate): boolean {
  const interaction = r.channel !== undefined;
  if (!interaction && INTERACTION_ONLY.some((k) => query[k] !== undefined)) return false;
  const categories = query.categories;
  if (categories && !categories.includes(r.category) && !(r.hasRecording && categories.includes('recording')))
    return false;
  if (query.channels && !query.channels.includes(r.channel ?? '')) return false;
  if (query.queues && !query.queues.includes(r.queue ?? '')) return false;
  if (query.agentRefs && !query.agentRefs.includes(r.agentRef ?? '')) return false;
  return (
    within(r.startedAt, query.startedFrom, query.startedTo) &&
    within(r.createdAt, query.createdFrom, query.createdTo)
  );
}

const toHold = (row: Awaited<ReturnType<typeof listHolds>>[number], items: number, now: number): Hold => ({
  id: row.id,
  kind: row.kind as Hold['kind'],
  name: row.name,
  reason: row.reason,
  owner: row.owner,
  query: row.query ? (JSON.parse(row.query) as HoldQuery) : null,
  items,
  createdAt: Number(row.created_at),
  createdBy: row.created_by,
  expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  releasedAt: row.released_at === null ? null : Number(row.released_at),
  releasedBy: row.released_by,
  releaseReason: row.release_reason,
  active: row.released_at === null && (row.expires_at === null || Number(row.expires_at) > now),
});

/**
 * Legal holds: data under an active hold is never purged or erased. A hold names a customer
 * (their subjects, found through blind indexes), a set of interactions, or a query.
 */
export function createLegalHolds(deps: HoldsDeps) {
  const { db, clock } = deps;

  async function itemsOf(caller: Caller, target: HoldTarget) {
    if (target.kind === 'customer') {
      const subjects = await deps.findSubjects(db, caller.tenantId, target.identifier);
      if (subjects.length === 0) throw retentionError('HOLD_NO_MATCH');
      return { kind: 'subject' as const, refKind: 'subject', refs: subjects.map((s) => s.id), query: null };
    }
    if (target.kind === 'interactions') {
      const refs = [...new Set(target.ids)];
      if (refs.length === 0) throw retentionError('HOLD_TARGET_INVALID');
      return { kind: 'interactions' as const, refKind: 'interaction', refs, query: null };
    }
    if (Object.values(target.query).every((v) => v === undefined))
      throw retentionError('HOLD_TARGET_INVALID');
    return { kind: 'query' as const, refKind: '', refs: [] as string[], query: target.query };
  }

  async function list(tenantId: string, options: { activeOnly?: boolean } = {}): Promise<Hold[]> {
    const now = clock.now();
    const rows = await listHolds(db, tenantId, options.activeOnly ? { activeAt: now } : {});
    const counts = new Map(
      (
        await countHoldItems(
          db,
          tenantId,
          rows.map((r) => r.id),
        )
      ).map((c) => [c.hold_id, Number(c.n)]),
    );
    return rows.map((r) => toHold(r, counts.get(r.id) ?? 0, now));
  }

  return {
    list,

    async get(tenantId: string, id: string): Promise<Hold> {
      const hold = (await list(tenantId)).find((h) => h.id === id);
      if (!hold) throw retentionError('HOLD_NOT_FOUND');
      return hold;
    },

    async create(caller: Caller, input: HoldInput): Promise<Hold> {
      const now = clock.now();
      if (input.expiresAt !== undefined && input.expiresAt <= now)
        throw retentionError('HOLD_EXPIRY_INVALID');
      const { kind, refKind, refs, query } = await itemsOf(caller, input.target);
      const id = deps.ids.newId();
      await db.transaction().execute(async (trx) => {
        await deps.dialect.lockInTransaction(trx, holdsLockKey(caller.tenantId));
        const row = {
          tenant_id: caller.tenantId,
          id,
          kind,
          name: input.name,
          reason: input.reason,
          owner: input.owner,
          query: query ? JSON.stringify(query) : null,
          created_at: now,
          created_by: actorLabel(caller),
          expires_at: input.expiresAt ?? null,
          released_at: null,
          released_by: null,
          release_reason: null,
        };
        await insertHold(
          trx,
          row,
          refs.map((ref) => ({ tenant_id: caller.tenantId, hold_id: id, ref_kind: refKind, ref })),
        );
        const identifier = input.target.kind === 'customer' ? input.target.identifier : undefined;
        await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'retention.hold.create',
          outcome: 'success',
          target: { type: 'legal_hold', id },
          reason: input.reason,
          details: { kind, items: refs.length, owner: input.owner, expiresAt: input.expiresAt ?? null },
          ...(identifier
            ? {
                sensitive: Object.fromEntries(
                  Object.entries(identifier).filter(([, v]) => v !== undefined),
                ) as Record<string, string>,
              }
            : {}),
        });
      });
      return (await list(caller.tenantId)).find((h) => h.id === id)!;
    },

    async release(caller: Caller, id: string, reason: string): Promise<Hold> {
      const existing = await findHold(db, caller.tenantId, id);
      if (!existing) throw retentionError('HOLD_NOT_FOUND');
      await db.transaction().execute(async (trx) => {
        await deps.dialect.lockInTransaction(trx, holdsLockKey(caller.tenantId));
        const changed = await releaseHold(trx, caller.tenantId, id, {
          releasedAt: clock.now(),
          releasedBy: actorLabel(caller),
          reason,
        });
        if (changed === 0) throw retentionError('HOLD_ALREADY_RELEASED');
        await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'retention.hold.release',
          outcome: 'success',
          target: { type: 'legal_hold', id },
          reason,
        });
      });
      return (await list(caller.tenantId)).find((h) => h.id === id)!;
    },

    /**
     * Which of these records are held, and by what: the caller runs it inside the transaction that
     * disposes of them, after taking holdsLockKey. Open access requests hold their subject too.
     */
    async heldAmong(
      trx: Db,
      tenantId: string,
      records: readonly HeldCandidate[],
      now: number,
    ): Promise<Map<string, string>> {
      const held = new Map<string, string>();
      if (records.length === 0) return held;
      const active = await listHolds(trx, tenantId, { activeAt: now });
      const label = (h: { id: string; name: string }) => `legal hold ${h.id} (${h.name})`;
      const byId = new Map(active.map((h) => [h.id, h]));
      const ids = active.filter((h) => h.kind !== 'query').map((h) => h.id);
      const subjectIds = [
        ...new Set(records.map((r) => r.subjectId).filter((s): s is string => typeof s === 'string')),
      ];
      const heldSubjects = new Map(
        (await findHeldRefs(trx, tenantId, ids, 'subject', subjectIds)).map((r) => [
          r.ref,
          label(byId.get(r.hold_id)!),
        ]),
      );
      const interactionRefs = records.filter((r) => r.channel !== undefined).map((r) => r.id);
      const heldRows = new Map(
        (await findHeldRefs(trx, tenantId, ids, 'interaction', interactionRefs)).map((r) => [
          r.ref,
          label(byId.get(r.hold_id)!),
        ]),
      );
      const queries = active
        .filter((h) => h.kind === 'query')
        .map((h) => ({ hold: h, query: JSON.parse(h.query ?? '{}') as HoldQuery }));
      const openAccess =
        subjectIds.length > 0 ? await subjectsOfOpenAccessCases(trx, tenantId) : new Set<string>();
      for (const r of records) {
        const subject = r.subjectId ?? null;
        const reason =
          heldRows.get(r.id) ??
          (subject ? heldSubjects.get(subject) : undefined) ??
          queries.find((q) => queryMatches(q.query, r))?.hold;
        if (reason) held.set(r.id, typeof reason === 'string' ? reason : label(reason));
        else if (subject && openAccess.has(subject)) held.set(r.id, OPEN_ACCESS_REQUEST);
      }
      return held;
    },
  };
}

export type LegalHolds = ReturnType<typeof createLegalHolds>;
