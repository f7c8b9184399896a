import type { DbOrTransaction } from '../audit/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import {
  findSubjectById,
  findSubjectsAndKnownKeys,
  findSubjectsByIds,
  findSubjectsByKeys,
  findSubjectsNotSeenSince,
  insertIdentifiers,
  insertSubject,
  KIND_OF_COLUMN,
  markSubjectErased,
  markSubjectsErased,
  type SubjectKeyColumn,
  type SubjectKeys,
  touchSubject,
  updateSubjectRegion,
} from './subjects.queries.ts';
import { resolveSubjects } from './subjects.resolve-many.ts';
import type { SubjectIdentifiersTable, SubjectsTable } from './subjects.tables.ts';

export type { SubjectKeys };

export type SubjectIdentifierKind = 'phone' | 'email' | 'identifier';

export interface SubjectIdentifiers {
  phone?: string | undefined;
  email?: string | undefined;
  customerRef?: string | undefined;
}

export interface Subject {
  id: string;
  region: string | null;
  createdAt: number;
  lastSeenAt: number;
  erasedAt: number | null;
}

export interface SubjectsDeps {
  clock: Clock;
  ids: IdGenerator;
  /** Keyed, normalising blind index from the crypto layer. */
  blindIndex(
    db: DbOrTransaction,
    tenantId: string,
    kind: SubjectIdentifierKind,
    value: string,
  ): Promise<string>;
}

const toSubject = (row: {
  id: string;
  region: string | null;
  created_at: number;
  last_seen_at: number;
  erased_at: number | null;
}): Subject => ({
  id: row.id,
  region: row.region,
  createdAt: Number(row.created_at),
  lastSeenAt: Number(row.last_seen_at),
  erasedAt: row.erased_at === null ? null : Number(row.erased_at),
});

/** Identifiers in `keys` the subject was seen with besides those on its profile, found by no one yet. */
function furtherIdentifiers(
  subject: SubjectsTable,
  keys: SubjectKeys,
  known: ReadonlySet<SubjectKeyColumn>,
  now: number,
): SubjectIdentifiersTable[] {
  return (Object.keys(KIND_OF_COLUMN) as SubjectKeyColumn[]).flatMap((column) => {
    const value = keys[column];
    const onProfile = subject[column];
    // An identifier that already finds a customer (this one, or another one sharing it: a
    // household's phone) is not linked again: each link widens what a search or a request finds.
    if (!value || !onProfile || onProfile === value || known.has(column)) return [];
    return [
      {
        tenant_id: subject.tenant_id,
        kind: KIND_OF_COLUMN[column],
        bidx: value,
        subject_id: subject.id,
        created_at: now,
      },
    ];
  });
}

/** Finds or creates the data subjects behind customer identifiers, without ever storing them in the clear. */
export function createSubjectsService(deps: SubjectsDeps) {
  // An identifier that normalises to nothing (a phone written without digits) simply is not indexed.
  const index = (
    db: DbOrTransaction,
    tenantId: string,
    kind: SubjectIdentifierKind,
    value: string | undefined,
  ) => (value ? deps.blindIndex(db, tenantId, kind, value).catch(() => null) : Promise.resolve(null));
  /** Blind indexes of a customer's identifiers; pass the open transaction if there is one. */
  const keysOf = async (
    db: DbOrTransaction,
    tenantId: string,
    ids: SubjectIdentifiers,
  ): Promise<SubjectKeys> => {
    const phone = await index(db, tenantId, 'phone', ids.phone);
    const email = await index(db, tenantId, 'email', ids.email);
    const ref = await index(db, tenantId, 'identifier', ids.customerRef);
    return { phone_bidx: phone, email_bidx: email, customer_ref_bidx: ref };
  };
  return {
    keysOf,
    /**
     * The subject an interaction belongs to: the oldest live subject matching any identifier, else
     * a new one. Returns null when the interaction carries no customer identifier at all.
     */
    async resolve(
      trx: DbOrTransaction,
      tenantId: string,
      keys: SubjectKeys,
      region?: string,
    ): Promise<Subject | null> {
      if (!keys.phone_bidx && !keys.email_bidx && !keys.customer_ref_bidx) return null;
      const now = deps.clock.now();
      const matches = await findSubjectsAndKnownKeys(trx, tenantId, keys);
      const existing = matches.subjects.find((s) => s.erased_at === null);
      if (existing) {
        await touchSubject(trx, tenantId, existing.id, keys, now);
        await insertIdentifiers(trx, furtherIdentifiers(existing, keys, matches.known, now));
        return toSubject(existing);
      }
      const row = {
        id: deps.ids.newId(),
        tenant_id: tenantId,
        phone_bidx: keys.phone_bidx ?? null,
        email_bidx: keys.email_bidx ?? null,
        customer_ref_bidx: keys.customer_ref_bidx ?? null,
        region: region ?? null,
        created_at: now,
        last_seen_at: now,
        erased_at: null,
      };
      await insertSubject(trx, row);
      return toSubject(row);
    },
    /**
     * resolve for a batch of customers in one transaction (ingest): the same subjects as resolving
     * them one after the other, in a few statements. Null where a customer has no identifier.
     */
    async resolveMany(
      trx: DbOrTransaction,
      tenantId: string,
      keys: readonly SubjectKeys[],
    ): Promise<(Subject | null)[]> {
      const rows = await resolveSubjects(deps, trx, tenantId, keys, deps.clock.now());
      return rows.map((row) => (row ? toSubject(row) : null));
    },
    /** Subjects matching an identifier, for DSAR lookups and search. */
    async find(db: DbOrTransaction, tenantId: string, ids: SubjectIdentifiers): Promise<Subject[]> {
      const keys = await keysOf(db, tenantId, ids);
      if (!keys.phone_bidx && !keys.email_bidx && !keys.customer_ref_bidx) return [];
      return (await findSubjectsByKeys(db, tenantId, keys)).map(toSubject);
    },
    async get(db: DbOrTransaction, tenantId: string, id: string): Promise<Subject | undefined> {
      const row = await findSubjectById(db, tenantId, id);
      return row ? toSubject(row) : undefined;
    },
    /** After the subject's key is destroyed: forget the blind indexes too, so they cannot be re-identified. */
    async markErased(db: DbOrTransaction, tenantId: string, id: string): Promise<void> {
      await markSubjectErased(db, tenantId, id, deps.clock.now());
    },
    /** markErased for many subjects in one statement; those already erased keep their date. */
    async markErasedMany(db: DbOrTransaction, tenantId: string, ids: readonly string[]): Promise<void> {
      for (let i = 0; i < ids.length; i += 500)
        await markSubjectsErased(db, tenantId, ids.slice(i, i + 500), deps.clock.now());
    },
    /** Live subjects last seen before `before`, oldest first after a keyset position (customer-profile retention). */
    async listNotSeenSince(
      db: DbOrTransaction,
      tenantId: string,
      f: { before: number; after?: { lastSeenAt: number; id: string }; limit: number },
    ): Promise<Subject[]> {
      return (await findSubjectsNotSeenSince(db, tenantId, f)).map(toSubject);
    },
    /** Several subjects at once, by id (absent ids are unknown subjects). */
    async getMany(
      db: DbOrTransaction,
      tenantId: string,
      ids: readonly string[],
    ): Promise<Map<string, Subject>> {
      return new Map((await findSubjectsByIds(db, tenantId, ids)).map((r) => [r.id, toSubject(r)]));
    },
    /** Records which jurisdiction segment a customer belongs to (e.g. the country they told a DSAR handler). */
    async setRegion(
      db: DbOrTransaction,
      tenantId: string,
      id: string,
      region: string | null,
    ): Promise<boolean> {
      return (await updateSubjectRegion(db, tenantId, id, region)) > 0;
    },
  };
}

export type SubjectsService = ReturnType<typeof createSubjectsService>;
