import type { ExpiredInteraction, IngestedCursor } from '../interactions/index.ts';
import { DAY_MS } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import {
  type DataCategory,
  INTERACTION_CATEGORIES,
  type InteractionCategory,
} from './retention.categories.ts';
import { type DisposalBatch, disposeInTransaction, flushPendingFiles } from './retention.dispose.ts';
import { type HeldCandidate, holdsLockKey } from './retention.holds.ts';
import { nextBatchSize, startPacing, yieldToEventLoop } from './retention.pacing.ts';
import type { PurgeContext } from './retention.purge.types.ts';
import { decide, type Policy, scanCutoff } from './retention.rules.ts';

export const heldCandidate = (r: ExpiredInteraction): HeldCandidate => ({
  id: r.id,
  category: r.category as DataCategory,
  subjectId: r.subjectId,
  hasRecording: r.hasRecording,
  channel: r.channel,
  queue: r.queue,
  agentRef: r.agentRef,
  startedAt: r.startedAt,
  createdAt: r.ingestedAt,
});

interface Sorted {
  dispose: ExpiredInteraction[];
  anonymize: ExpiredInteraction[];
  policies: Map<string, Policy>;
}

/** Decides every row of a batch (held rows are kept); tallies and plan items as it goes. */
async function sortRows(
  ctx: PurgeContext,
  db: Db,
  category: DataCategory,
  rows: readonly ExpiredInteraction[],
): Promise<Sorted> {
  const now = ctx.options.now;
  const held = await ctx.deps.holds.heldAmong(db, ctx.tenantId, rows.map(heldCandidate), now);
  const regions = await ctx.regionsOf(
    db,
    rows.map((r) => r.subjectId),
  );
  const sorted: Sorted = { dispose: [], anonymize: [], policies: new Map() };
  const tally = ctx.tally(category);
  const recording = category === 'recording';
  for (const row of rows) {
    tally.scanned++;
    const rules = ctx.rulesFor(
      category,
      row.subjectId === null ? null : (regions.get(row.subjectId) ?? null),
    );
    const ageDays = Math.floor((now - row.ingestedAt) / DAY_MS);
    const base = { category, id: row.id, ageDays, scope: rules.scope };
    const heldBy = held.get(row.id);
    if (heldBy) {
      tally.kept.hold = (tally.kept.hold ?? 0) + 1;
      ctx.addItem({ ...base, action: 'keep', reason: heldBy, policyId: null });
      continue;
    }
    const decision = decide(rules, row.ingestedAt, now, !recording && row.anonymized);
    if (decision.kind === 'keep') {
      tally.kept[decision.reason] = (tally.kept[decision.reason] ?? 0) + 1;
      if (decision.reason === 'conflict')
        ctx.addItem({
          ...base,
          action: 'keep',
          reason: rules.conflicts.map((c) => c.message).join('; '),
          policyId: null,
        });
      continue;
    }
    const { policy } = decision;
    tally.due++;
    sorted.policies.set(policy.id, policy);
    if (decision.kind === 'delete') sorted.dispose.push(row);
    else sorted.anonymize.push(row);
    // Only a plan lists items: a run does not build a reason per row.
    if (ctx.options.mode !== 'plan') continue;
    const why = `older than ${policy.maxAgeDays} days (policy ${policy.id}${policy.jurisdiction ? `, ${policy.jurisdiction}` : ''})`;
    const action = recording ? 'remove_recording' : decision.kind;
    ctx.addItem({ ...base, action, reason: why, policyId: policy.id });
  }
  return sorted;
}

/**
 * One batch, read, decided and destroyed in one short transaction that also issues its
 * certificate; returns the rows read (the scan's next cursor comes from the last one).
 */
async function runBatch(
  ctx: PurgeContext,
  category: DataCategory,
  fetch: (db: Db) => Promise<ExpiredInteraction[]>,
): Promise<ExpiredInteraction[]> {
  const { deps, tenantId, options } = ctx;
  if (options.mode === 'plan') {
    const rows = await fetch(deps.db);
    await sortRows(ctx, deps.db, category, rows);
    return rows;
  }
  const recording = category === 'recording';
  let rows: ExpiredInteraction[] = [];
  const result = await deps.db.transaction().execute(async (trx) => {
    // Holds committed before this lock are seen; a hold committed after it waits for this batch.
    await deps.dialect.lockInTransaction(trx, holdsLockKey(tenantId));
    rows = await fetch(trx);
    const sorted = await sortRows(ctx, trx, category, rows);
    const batch: DisposalBatch = {
      tenantId,
      origin: { kind: 'purge', id: ctx.runId },
      job: 'retention.purge',
      actor: options.caller.actor,
      referenceAt: options.now,
      policies: [...sorted.policies.values()],
      deleteRows: recording ? [] : sorted.dispose,
      anonymizeRows: sorted.anonymize,
      recordingRows: recording ? sorted.dispose : [],
      tokens: [],
      profiles: [],
    };
    return disposeInTransaction(trx, deps, batch);
  });
  const tally = ctx.tally(category);
  tally.deleted += result.deleted;
  tally.anonymized += result.anonymized;
  tally.recordingsRemoved += result.recordingsRemoved;
  ctx.report.subjectsErased += result.subjectsErased.length;
  if (result.certificate) ctx.report.certificates.push(result.certificate.id);
  ctx.report.recordingFilesRemoved += await flushPendingFiles(deps.db, deps, tenantId);
  options.onBatch?.({
    category,
    certificateId: result.certificate?.id ?? null,
    disposed: result.certificate?.itemCount ?? 0,
  });
  return rows;
}

type Fetch = (db: Db, after: IngestedCursor | undefined, limit: number) => Promise<ExpiredInteraction[]>;

async function scan(ctx: PurgeContext, category: DataCategory, fetch: Fetch): Promise<void> {
  let cursor: IngestedCursor | undefined;
  let size = ctx.batchSize;
  for (;;) {
    if (ctx.options.signal?.aborted) {
      ctx.report.aborted = true;
      return;
    }
    const after = cursor;
    const limit = size;
    const busyMs = startPacing();
    const rows = await runBatch(ctx, category, (db) => fetch(db, after, limit));
    if (rows.length === 0) return;
    size = nextBatchSize(size, ctx.batchSize, busyMs());
    await yieldToEventLoop();
    const last = rows[rows.length - 1]!;
    cursor = { ingestedAt: last.ingestedAt, id: last.id };
    if (rows.length < limit) return;
  }
}

/** Expired interactions of one category, oldest first, in keyset-paginated batches. */
export async function purgeInteractionCategory(
  ctx: PurgeContext,
  category: InteractionCategory,
): Promise<void> {
  const before = scanCutoff(ctx.policies, category, ctx.options.now);
  if (before === null) return;
  // A category with a policy is always reported, with zero counts when nothing was old enough.
  ctx.tally(category);
  const own = ctx.policies.filter((p) => p.category === category);
  // Only anonymizing policies: rows already anonymized have nothing left to do.
  const onlyIdentified = own.every((p) => p.action === 'anonymize');
  await scan(ctx, category, (db, after, limit) =>
    ctx.deps.lifecycle.findIngestedBefore(db, {
      tenantId: ctx.tenantId,
      category,
      before,
      excludeIds: [],
      onlyIdentified,
      ...(after ? { after } : {}),
      limit,
    }),
  );
}

/** Recording retention: the audio file goes and the transcript stays. */
export async function purgeRecordings(ctx: PurgeContext): Promise<void> {
  const before = scanCutoff(ctx.policies, 'recording', ctx.options.now);
  if (before === null) return;
  ctx.tally('recording');
  await scan(ctx, 'recording', (db, after, limit) =>
    ctx.deps.lifecycle.findRecordedBefore(db, {
      tenantId: ctx.tenantId,
      before,
      ...(after ? { after } : {}),
      limit,
    }),
  );
}

export { INTERACTION_CATEGORIES };
