import { DAY_MS } from '../shared/clock.ts';
import type { Subject } from '../subjects/index.ts';
import type { AgedToken } from '../vault/index.ts';
import { disposeInTransaction } from './retention.dispose.ts';
import { holdsLockKey } from './retention.holds.ts';
import { yieldToEventLoop } from './retention.pacing.ts';
import type { PurgeContext } from './retention.purge.types.ts';
import { decide, type Policy, scanCutoff } from './retention.rules.ts';

/** Card tokens past their retention (PCI DSS 3.2.1): the token and its encrypted card number go. */
export async function purgeCardTokens(ctx: PurgeContext): Promise<void> {
  const { deps, tenantId, options } = ctx;
  const before = scanCutoff(ctx.policies, 'card_token', options.now);
  if (before === null) return;
  // Tokens are not linked to a customer, so the tenant-wide rules govern them.
  const rules = ctx.rulesFor('card_token', null);
  const tally = ctx.tally('card_token');
  let after: { updatedAt: number; token: string } | undefined;
  for (;;) {
    if (options.signal?.aborted) {
      ctx.report.aborted = true;
      return;
    }
    const decideTokens = async (db: typeof deps.db) => {
      const tokens = await deps.vault.findTokensOlderThan(db, tenantId, {
        before,
        ...(after ? { after } : {}),
        limit: ctx.batchSize,
      });
      const records = tokens.map((t) => ({
        id: t.token,
        category: 'card_token' as const,
        createdAt: t.updatedAt,
      }));
      const held = await deps.holds.heldAmong(db, tenantId, records, options.now);
      const go: AgedToken[] = [];
      const used = new Map<string, Policy>();
      for (const t of tokens) {
        tally.scanned++;
        const base = {
          category: 'card_token' as const,
          id: t.token,
          ageDays: Math.floor((options.now - t.updatedAt) / DAY_MS),
          scope: rules.scope,
        };
        const heldBy = held.get(t.token);
        const decision = heldBy ? null : decide(rules, t.updatedAt, options.now);
        if (!decision || decision.kind === 'keep') {
          const reason = decision ? decision.reason : 'hold';
          tally.kept[reason] = (tally.kept[reason] ?? 0) + 1;
          if (heldBy) ctx.addItem({ ...base, action: 'keep', reason: heldBy, policyId: null });
          continue;
        }
        tally.due++;
        go.push(t);
        used.set(decision.policy.id, decision.policy);
        ctx.addItem({
          ...base,
          action: 'delete',
          reason: `older than ${decision.policy.maxAgeDays} days`,
          policyId: decision.policy.id,
        });
      }
      return { tokens, go, used };
    };
    const sorted =
      options.mode === 'plan'
        ? await decideTokens(deps.db)
        : await deps.db.transaction().execute(async (trx) => {
            await deps.dialect.lockInTransaction(trx, holdsLockKey(tenantId));
            const decided = await decideTokens(trx);
            const result = await disposeInTransaction(trx, deps, {
              ...emptyBatch(ctx),
              policies: [...decided.used.values()],
              tokens: decided.go.map((t) => t.token),
            });
            tally.deleted += result.tokensDeleted;
            if (result.certificate) ctx.report.certificates.push(result.certificate.id);
            return decided;
          });
    const last = sorted.tokens[sorted.tokens.length - 1];
    if (!last) return;
    after = { updatedAt: last.updatedAt, token: last.token };
    await yieldToEventLoop();
    if (sorted.tokens.length < ctx.batchSize) return;
  }
}

function emptyBatch(ctx: PurgeContext) {
  return {
    tenantId: ctx.tenantId,
    origin: { kind: 'purge' as const, id: ctx.runId },
    job: 'retention.purge',
    actor: ctx.options.caller.actor,
    referenceAt: ctx.options.now,
    policies: [] as Policy[],
    deleteRows: [],
    anonymizeRows: [],
    recordingRows: [],
    tokens: [] as string[],
    profiles: [] as string[],
  };
}

/**
 * Customer profiles not seen for the policy's age. A profile whose customer still has retained
 * interactions stays (their key decrypts those); the others are erased and their keys shredded.
 */
export async function purgeProfiles(ctx: PurgeContext): Promise<void> {
  const { deps, tenantId, options } = ctx;
  const before = scanCutoff(ctx.policies, 'customer_profile', options.now);
  if (before === null) return;
  const tally = ctx.tally('customer_profile');
  let after: { lastSeenAt: number; id: string } | undefined;
  for (;;) {
    if (options.signal?.aborted) {
      ctx.report.aborted = true;
      return;
    }
    const decideProfiles = async (db: typeof deps.db) => {
      const subjects = await deps.subjects.listNotSeenSince(db, tenantId, {
        before,
        ...(after ? { after } : {}),
        limit: ctx.batchSize,
      });
      const ids = subjects.map((s) => s.id);
      const remaining = await deps.lifecycle.remainingOfSubjects(db, tenantId, ids);
      const held = await deps.holds.heldAmong(
        db,
        tenantId,
        subjects.map((s) => ({
          id: s.id,
          category: 'customer_profile' as const,
          subjectId: s.id,
          createdAt: s.createdAt,
        })),
        options.now,
      );
      const go: Subject[] = [];
      const used = new Map<string, Policy>();
      for (const s of subjects) {
        tally.scanned++;
        const rules = ctx.rulesFor('customer_profile', s.region);
        const base = {
          category: 'customer_profile' as const,
          id: s.id,
          ageDays: Math.floor((options.now - s.lastSeenAt) / DAY_MS),
          scope: rules.scope,
        };
        const decision = decide(rules, s.lastSeenAt, options.now);
        const heldBy = held.get(s.id);
        if (heldBy || remaining.has(s.id) || decision.kind === 'keep') {
          const why = heldBy
            ? 'hold'
            : remaining.has(s.id)
              ? 'has_interactions'
              : decision.kind === 'keep'
                ? decision.reason
                : 'not_expired';
          tally.kept[why] = (tally.kept[why] ?? 0) + 1;
          if (heldBy) ctx.addItem({ ...base, action: 'keep', reason: heldBy, policyId: null });
          continue;
        }
        tally.due++;
        go.push(s);
        used.set(decision.policy.id, decision.policy);
        ctx.addItem({
          ...base,
          action: 'erase',
          reason: `not seen for ${decision.policy.maxAgeDays} days and nothing retained`,
          policyId: decision.policy.id,
        });
      }
      return { subjects, go, used };
    };
    const sorted =
      options.mode === 'plan'
        ? await decideProfiles(deps.db)
        : await deps.db.transaction().execute(async (trx) => {
            await deps.dialect.lockInTransaction(trx, holdsLockKey(tenantId));
            const decided = await decideProfiles(trx);
            const result = await disposeInTransaction(trx, deps, {
              ...emptyBatch(ctx),
              policies: [...decided.used.values()],
              profiles: decided.go.map((s) => s.id),
            });
            tally.erased += result.subjectsErased.length;
            ctx.report.subjectsErased += result.subjectsErased.length;
            if (result.certificate) ctx.report.certificates.push(result.certificate.id);
            return decided;
          });
    const last = sorted.subjects[sorted.subjects.length - 1];
    if (!last) return;
    after = { lastSeenAt: last.lastSeenAt, id: last.id };
    await yieldToEventLoop();
    if (sorted.subjects.length < ctx.batchSize) return;
  }
}
