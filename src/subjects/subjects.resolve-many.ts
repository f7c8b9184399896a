import type { DbOrTransaction } from '../audit/index.ts';
import type { IdGenerator } from '../shared/ids.ts';
import {
  findSubjectsByKeyValues,
  insertIdentifiers,
  insertSubjects,
  KIND_OF_COLUMN,
  olderSubjectFirst,
  type SubjectKeyColumn,
  type SubjectKeys,
  touchSubject,
  touchSubjects,
} from './subjects.queries.ts';
import type { SubjectIdentifiersTable, SubjectsTable } from './subjects.tables.ts';

const COLUMNS: readonly SubjectKeyColumn[] = ['phone_bidx', 'email_bidx', 'customer_ref_bidx'];
// Values per `in (...)` list and rows per multi-row insert: far under both dialects' parameter limits.
const CHUNK = 500;

interface Entry {
  row: SubjectsTable;
  isNew: boolean;
  touched: boolean;
  /** Identifiers this batch added to a stored subject (written with coalesce, one update each). */
  filled: SubjectKeys | undefined;
}

/** Live subjects sharing an identifier with the batch, and the further identifiers that matched. */
async function loadMatching(db: DbOrTransaction, tenantId: string, keys: readonly SubjectKeys[]) {
  const found = new Map<string, SubjectsTable>();
  const further: { column: SubjectKeyColumn; bidx: string; subjectId: string }[] = [];
  for (const column of COLUMNS) {
    const values = [...new Set(keys.map((k) => k[column]).filter((v): v is string => !!v))];
    for (let i = 0; i < values.length; i += CHUNK) {
      const matched = await findSubjectsByKeyValues(db, tenantId, column, values.slice(i, i + CHUNK));
      for (const row of matched.rows) found.set(row.id, row);
      for (const f of matched.further) further.push({ column, bidx: f.bidx, subjectId: f.subject_id });
    }
  }
  return { rows: [...found.values()].filter((row) => row.erased_at === null), further };
}

/**
 * The batch form of `resolve`: the same answer as resolving each customer in turn (the oldest live
 * subject sharing any identifier, else a new one; identifiers a subject lacked are filled in), with
 * the reads and writes of the whole batch done in a few statements. Customers of one batch who
 * share an identifier land on one subject, as they would one after the other.
 */
export async function resolveSubjects(
  deps: { ids: IdGenerator },
  trx: DbOrTransaction,
  tenantId: string,
  keys: readonly SubjectKeys[],
  now: number,
): Promise<(SubjectsTable | null)[]> {
  const index = new Map<string, Entry[]>();
  const indexed = (column: SubjectKeyColumn, value: string) => `${column}\u0000${value}`;
  const register = (entry: Entry, column: SubjectKeyColumn, value = entry.row[column]) => {
    if (!value) return;
    const k = indexed(column, value);
    const entries = index.get(k) ?? [];
    if (!entries.includes(entry)) index.set(k, [...entries, entry]);
  };
  const matching = await loadMatching(trx, tenantId, keys);
  const byId = new Map<string, Entry>();
  for (const row of matching.rows) {
    const entry: Entry = { row: { ...row }, isNew: false, touched: false, filled: undefined };
    byId.set(row.id, entry);
    for (const column of COLUMNS) register(entry, column);
  }
  for (const f of matching.further) {
    const entry = byId.get(f.subjectId);
    if (entry) register(entry, f.column, f.bidx);
  }
  // Identifiers seen with a subject whose profile holds another one of that kind.
  const further: SubjectIdentifiersTable[] = [];
  const created: Entry[] = [];
  const result = keys.map((k): SubjectsTable | null => {
    if (!k.phone_bidx && !k.email_bidx && !k.customer_ref_bidx) return null;
    let match: Entry | undefined;
    for (const column of COLUMNS) {
      const value = k[column];
      for (const entry of value ? (index.get(indexed(column, value)) ?? []) : []) {
        if (!match || olderSubjectFirst(entry.row, match.row) < 0) match = entry;
      }
    }
    if (!match) {
      const row: SubjectsTable = {
        id: deps.ids.newId(),
        tenant_id: tenantId,
        phone_bidx: k.phone_bidx ?? null,
        email_bidx: k.email_bidx ?? null,
        customer_ref_bidx: k.customer_ref_bidx ?? null,
        region: null,
        created_at: now,
        last_seen_at: now,
        erased_at: null,
      };
      const entry: Entry = { row, isNew: true, touched: false, filled: undefined };
      for (const column of COLUMNS) register(entry, column);
      created.push(entry);
      return row;
    }
    match.touched = true;
    match.row.last_seen_at = now;
    for (const column of COLUMNS) {
      const value = k[column];
      if (!value || match.row[column] === value) continue;
      if (match.row[column]) {
        // Only an identifier no customer is known by yet (see furtherIdentifiers in the service).
        if (!index.has(indexed(column, value))) {
          further.push({
            tenant_id: tenantId,
            kind: KIND_OF_COLUMN[column],
            bidx: value,
            subject_id: match.row.id,
            created_at: now,
          });
        }
      } else {
        match.row[column] = value;
        if (!match.isNew) match.filled = { ...match.filled, [column]: value };
      }
      register(match, column, value);
    }
    return match.row;
  });
  const rows = created.map((e) => e.row);
  for (let i = 0; i < rows.length; i += CHUNK) await insertSubjects(trx, rows.slice(i, i + CHUNK));
  const stored = [...new Set([...index.values()].flat())].filter((e) => !e.isNew && e.touched);
  const seen = stored.filter((e) => !e.filled).map((e) => e.row.id);
  for (let i = 0; i < seen.length; i += CHUNK)
    await touchSubjects(trx, tenantId, seen.slice(i, i + CHUNK), now);
  for (const e of stored) if (e.filled) await touchSubject(trx, tenantId, e.row.id, e.filled, now);
  for (let i = 0; i < further.length; i += CHUNK) await insertIdentifiers(trx, further.slice(i, i + CHUNK));
  return result;
}
