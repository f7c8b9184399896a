import type { ErasureOutcome } from './dsar.erase.ts';
import { caseDeadlines, type DeadlineBasis } from './retention.deadlines.ts';
import type { DsarKind, PackRegistry } from './retention.packs.ts';
import type { DsarCasesTable } from './retention.tables.ts';

/** A data-subject request as handlers see it: deadlines with their legal basis, overdue flag, outcome. */
export interface DsarCase {
  id: string;
  kind: DsarKind;
  status: 'open' | 'awaiting' | 'completed' | 'rejected';
  identifiedBy: string;
  subjectIds: string[];
  region: string | null;
  packs: string[];
  receivedAt: number;
  /** The statutory deadline (earliest of the applicable packs), null when no pack sets one. */
  dueAt: number | null;
  /** The deadline in force: the extended one once an extension was taken. */
  effectiveDueAt: number | null;
  maxExtendedDueAt: number | null;
  extendedDueAt: number | null;
  extensionReason: string | null;
  acknowledgeBy: { at: number; cite: string } | null;
  basis: DeadlineBasis[];
  holdWhileOpen: { pack: string; cite: string }[];
  overdue: boolean;
  daysLeft: number | null;
  openedAt: number;
  openedBy: string;
  exportedAt: number | null;
  closedAt: number | null;
  closedBy: string | null;
  outcome: ErasureOutcome | null;
  note: string | null;
}

const num = (v: number | null) => (v === null ? null : Number(v));

export function toCase(packs: PackRegistry, row: DsarCasesTable, now: number): DsarCase {
  const kind = row.kind as DsarKind;
  const packIds = JSON.parse(row.packs) as string[];
  const deadlines = caseDeadlines(packs, packIds, kind, Number(row.received_at));
  const dueAt = num(row.due_at);
  const effectiveDueAt = num(row.extended_due_at) ?? dueAt;
  const status = row.status as DsarCase['status'];
  return {
    id: row.id,
    kind,
    status,
    identifiedBy: row.identified_by,
    subjectIds: JSON.parse(row.subject_ids) as string[],
    region: row.region,
    packs: packIds,
    receivedAt: Number(row.received_at),
    dueAt,
    effectiveDueAt,
    maxExtendedDueAt: num(row.max_extended_due_at),
    extendedDueAt: num(row.extended_due_at),
    extensionReason: row.extension_reason,
    acknowledgeBy: deadlines.acknowledgeBy,
    basis: deadlines.basis,
    holdWhileOpen: deadlines.holdWhileOpen,
    // Only a request still waiting for its answer can be late; an erasure awaiting a hold was answered.
    overdue: status === 'open' && effectiveDueAt !== null && now > effectiveDueAt,
    daysLeft:
      status === 'open' && effectiveDueAt !== null ? Math.floor((effectiveDueAt - now) / 86_400_000) : null,
    openedAt: Number(row.opened_at),
    openedBy: row.opened_by,
    exportedAt: num(row.exported_at),
    closedAt: num(row.closed_at),
    closedBy: row.closed_by,
    outcome: row.outcome ? (JSON.parse(row.outcome) as ErasureOutcome) : null,
    note: row.note,
  };
}
