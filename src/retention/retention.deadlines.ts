import type { DsarKind, PackRegistry } from './retention.packs.ts';

/** One pack's deadline for a request, with its legal basis. */
export interface DeadlineBasis {
  pack: string;
  cite: string;
  text: string;
  dueAt: number;
  /** The latest date an extension can reach under this pack (dueAt when it allows none). */
  extendedDueAt: number;
  extensionCite: string | null;
}

export interface CaseDeadlines {
  /** The earliest deadline of every applicable pack: meeting it meets them all. Null: no pack gives one. */
  dueAt: number | null;
  /** The latest date the case may be extended to while still meeting every pack. */
  maxExtendedDueAt: number | null;
  acknowledgeBy: { at: number; cite: string } | null;
  basis: DeadlineBasis[];
  /** Packs that keep the data while the request is open (PIPEDA s. 8(8)). */
  holdWhileOpen: { pack: string; cite: string }[];
}

const endOfUtcDay = (y: number, m: number, d: number) => Date.UTC(y, m, d + 1) - 1;

/**
 * Adds a period to the day of receipt, in UTC. Months follow Regulation (EEC, Euratom) 1182/71:
 * the period ends on the same date of the later month, or on its last day when that date does
 * not exist (31 January + 1 month = 28/29 February). The deadline is the end of that day.
 */
export function addPeriod(
  at: number,
  period: { days?: number | undefined; months?: number | undefined },
): number {
  const date = new Date(at);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  if (period.months !== undefined) {
    const lastDay = new Date(Date.UTC(y, m + period.months + 1, 0)).getUTCDate();
    return endOfUtcDay(y, m + period.months, Math.min(d, lastDay));
  }
  return endOfUtcDay(y, m, d + (period.days ?? 0));
}

/** Business days exclude Saturdays and Sundays (public holidays vary by state and are not counted). */
export function addBusinessDays(at: number, days: number): number {
  const date = new Date(at);
  let remaining = days;
  while (remaining > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) remaining--;
  }
  return endOfUtcDay(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

/** The deadlines of a request of this kind received at `receivedAt`, under these packs. */
export function caseDeadlines(
  registry: PackRegistry,
  packIds: readonly string[],
  kind: DsarKind,
  receivedAt: number,
): CaseDeadlines {
  const basis: DeadlineBasis[] = [];
  const holdWhileOpen: CaseDeadlines['holdWhileOpen'] = [];
  let acknowledgeBy: CaseDeadlines['acknowledgeBy'] = null;
  for (const id of packIds) {
    const dsar = registry.get(id)?.dsar;
    if (!dsar?.rights.some((r) => r.right === kind)) continue;
    const dueAt = addPeriod(receivedAt, dsar.response);
    const extendedDueAt = dsar.extension ? addPeriod(dueAt, dsar.extension) : dueAt;
    basis.push({
      pack: id,
      cite: dsar.response.cite,
      text: dsar.response.text,
      dueAt,
      extendedDueAt,
      extensionCite: dsar.extension?.cite ?? null,
    });
    if (dsar.holdWhileOpen && kind === 'access')
      holdWhileOpen.push({ pack: id, cite: dsar.holdWhileOpen.cite });
    if (dsar.acknowledge) {
      const at = addBusinessDays(receivedAt, dsar.acknowledge.businessDays);
      if (!acknowledgeBy || at < acknowledgeBy.at) acknowledgeBy = { at, cite: dsar.acknowledge.cite };
    }
  }
  if (basis.length === 0) return { dueAt: null, maxExtendedDueAt: null, acknowledgeBy, basis, holdWhileOpen };
  return {
    dueAt: Math.min(...basis.map((b) => b.dueAt)),
    maxExtendedDueAt: Math.min(...basis.map((b) => b.extendedDueAt)),
    acknowledgeBy,
    basis,
    holdWhileOpen,
  };
}

/** Breach notification duties of the packs, soonest fixed deadline first. */
export function breachDuties(registry: PackRegistry, packIds: readonly string[]) {
  return packIds
    .flatMap((id) => (registry.get(id)?.breach ?? []).map((b) => ({ pack: id, ...b })))
    .sort((a, b) => (a.hours ?? Number.MAX_SAFE_INTEGER) - (b.hours ?? Number.MAX_SAFE_INTEGER));
}
