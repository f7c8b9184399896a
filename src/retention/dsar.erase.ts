import type { ExpiredInteraction, InteractionsLifecycle } from '../interactions/index.ts';
import { DAY_MS } from '../shared/clock.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import type { SubjectsService } from '../subjects/index.ts';
import type { Caller } from './retention.caller.ts';
import type { DataCategory } from './retention.categories.ts';
import { type DisposeDeps, disposeInTransaction, flushPendingFiles } from './retention.dispose.ts';
import { holdsLockKey, OPEN_ACCESS_REQUEST } from './retention.holds.ts';
import type { ErasureJournal } from './retention.journal.ts';
import type { PackRegistry } from './retention.packs.ts';
import { heldCandidate } from './retention.purge-interactions.ts';
import { evaluateScope, type ScopeRules, scopeOfRegion } from './retention.rules.ts';
import type { Evaluation } from './retention.settings.ts';
import { type ShredDeps, scheduleQueuedShreds } from './retention.shreds.ts';

export interface ErasureDeps extends DisposeDeps, Omit<ShredDeps, 'lifecycle'> {
  db: Db;
  dialect: Pick<StorageDialect, 'lockInTransaction'>;
  packs: PackRegistry;
  lifecycle: DisposeDeps['lifecycle'] & Pick<InteractionsLifecycle, 'listOfSubject'>;
  subjects: DisposeDeps['subjects'] & Pick<SubjectsService, 'get'>;
  journal: ErasureJournal;
  evaluate(tenantId: string): Promise<Evaluation>;
}

/** Something an erasure did not destroy, and why (GDPR Art. 17(3), CCPA §1798.105(d)...). */
export interface KeptItem {
  category: string;
  id: string;
  reason: 'hold' | 'legal_minimum' | 'open_access_request';
  detail: string;
  cites: string[];
  /** When a legal minimum lapses; null for holds (until released or expired). */
  until: number | null;
}

export interface SubjectErasure {
  subjectId: string;
  found: boolean;
  deleted: number;
  anonymized: number;
  recordingsRemoved: number;
  /** Profile forgotten and key scheduled for destruction: nothing of them is retained. */
  erased: boolean;
  kept: KeptItem[];
}

export interface ErasureOutcome {
  subjects: SubjectErasure[];
  certificates: string[];
  complete: boolean;
}

const BATCH = 500;

function exceptionCites(packs: PackRegistry, rules: ScopeRules, reason: 'legal_minimum' | 'hold'): string[] {
  return rules.packs.flatMap((id) =>
    (packs.get(id)?.dsar?.erasureExceptions ?? []).filter((e) => e.reason === reason).map((e) => e.cite),
  );
}

/** Deletes or anonymizes what may go, keeps what is held or under a legal minimum, in short transactions. */
async function disposeRows(
  deps: ErasureDeps,
  caller: Caller,
  origin: { caseId: string; now: number },
  rows: readonly ExpiredInteraction[],
  rulesFor: (c: DataCategory) => ScopeRules,
  result: SubjectErasure & { certificates: string[] },
  last: boolean,
) {
  const { tenantId } = caller;
  const outcome = await deps.db.transaction().execute(async (trx) => {
    await deps.dialect.lockInTransaction(trx, holdsLockKey(tenantId));
    const held = await deps.holds.heldAmong(trx, tenantId, rows.map(heldCandidate), origin.now);
    const remove: ExpiredInteraction[] = [];
    const anonymize: ExpiredInteraction[] = [];
    for (const row of rows) {
      const rules = rulesFor(row.category as DataCategory);
      const heldBy = held.get(row.id);
      if (heldBy) {
        const open = heldBy === OPEN_ACCESS_REQUEST;
        result.kept.push({
          category: row.category,
          id: row.id,
          reason: open ? 'open_access_request' : 'hold',
          detail: heldBy,
          cites: open ? [] : exceptionCites(deps.packs, rules, 'hold'),
          until: null,
        });
      } else if (rules.minimum && row.ingestedAt > origin.now - rules.minimum.days * DAY_MS) {
        const until = row.ingestedAt + rules.minimum.days * DAY_MS;
        result.kept.push({
          category: row.category,
          id: row.id,
          reason: 'legal_minimum',
          detail: `kept at least ${rules.minimum.days} days`,
          cites: [rules.minimum.cite, ...exceptionCites(deps.packs, rules, 'legal_minimum')],
          until,
        });
      } else if (rules.policies.length > 0 && rules.policies.every((p) => p.action === 'anonymize')) {
        anonymize.push(row);
      } else {
        remove.push(row);
      }
    }
    return disposeInTransaction(trx, deps, {
      tenantId,
      origin: { kind: 'dsar_erasure', id: origin.caseId },
      job: 'dsar.erasure',
      actor: caller.actor,
      referenceAt: origin.now,
      policies: [],
      deleteRows: remove,
      anonymizeRows: anonymize,
      recordingRows: [],
      tokens: [],
      profiles: last ? [result.subjectId] : [],
    });
  });
  result.deleted += outcome.deleted;
  result.anonymized += outcome.anonymized;
  result.recordingsRemoved += outcome.recordingsRemoved;
  if (outcome.subjectsErased.includes(result.subjectId)) result.erased = true;
  if (outcome.certificate) result.certificates.push(outcome.certificate.id);
}

/**
 * Erases one customer: every interaction not held and past any legal minimum is deleted (or
 * anonymized when that is the tenant's policy for the category); when nothing is left the profile
 * is forgotten and the key scheduled for destruction. The erasure is journaled first, so a
 * database restored from an older backup erases them again (see retention.journal.ts).
 */
export async function eraseSubject(
  deps: ErasureDeps,
  caller: Caller,
  input: { caseId: string; subjectId: string; region: string | null; now: number; journal: boolean },
): Promise<SubjectErasure & { certificates: string[] }> {
  const result = {
    subjectId: input.subjectId,
    found: false,
    deleted: 0,
    anonymized: 0,
    recordingsRemoved: 0,
    erased: false,
    kept: [] as KeptItem[],
    certificates: [] as string[],
  };
  const subject = await deps.subjects.get(deps.db, caller.tenantId, input.subjectId);
  if (!subject) return result;
  result.found = true;
  if (subject.erasedAt !== null) return { ...result, erased: true };
  if (input.journal)
    await deps.journal.append(deps.db, {
      tenantId: caller.tenantId,
      subjectId: input.subjectId,
      caseId: input.caseId,
      at: input.now,
    });
  const evaluation = await deps.evaluate(caller.tenantId);
  const scope = scopeOfRegion(evaluation.assignment, subject.region ?? input.region);
  const cache = new Map<DataCategory, ScopeRules>();
  const rulesFor = (category: DataCategory) => {
    let rules = cache.get(category);
    if (!rules) {
      rules = evaluateScope(deps.packs, scope, category, evaluation.policies);
      cache.set(category, rules);
    }
    return rules;
  };
  const rows = await deps.lifecycle.listOfSubject(deps.db, caller.tenantId, input.subjectId);
  for (let i = 0; i < rows.length || i === 0; i += BATCH) {
    await disposeRows(
      deps,
      caller,
      { caseId: input.caseId, now: input.now },
      rows.slice(i, i + BATCH),
      rulesFor,
      result,
      i + BATCH >= rows.length,
    );
  }
  await flushPendingFiles(deps.db, deps, caller.tenantId);
  if (result.erased) await scheduleQueuedShreds(deps, caller, { subjectIds: [input.subjectId] });
  return result;
}
