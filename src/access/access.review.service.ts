import type { AuditRecorder } from '../audit/index.ts';
import type { Logger } from '../logging/logger.ts';
import { type Clock, DAY_MS } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { type Principal, systemPrincipal } from '../shared/principal.ts';
import type { Db } from '../storage/index.ts';
import { allUsers, type UserDirectory } from './access.directory.ts';
import type { AccessElevationService } from './access.elevation.service.ts';
import { accessError } from './access.errors.ts';
import { auditActor, auditOrigin } from './access.gate.ts';
import { listSignals, listUsage } from './access.queries.ts';
import { applyReviewDecision, DUE_DATE_DECIDER, toCampaign } from './access.review.apply.ts';
import { type ReviewSigner, signReviewExport } from './access.review.export.ts';
import { buildReviewItems, reviewLookbackMs, toReviewItem } from './access.review.items.ts';
import {
  claimDecision,
  closeCampaignRow,
  findCampaign,
  findReviewItem,
  insertCampaign,
  insertReviewItems,
  listCampaigns,
  listReviewItems,
} from './access.review.queries.ts';
import type { ReviewCampaign, ReviewItem, SignedReviewExport } from './access.review.types.ts';
import type { AccessCache } from './access.store.ts';
import type { AccessReviewCampaignsTable, AccessReviewItemsTable, ReviewDecision } from './access.tables.ts';
import type { AccessTeamsService } from './access.teams.service.ts';
import type { AccessRequestContext } from './access.types.ts';

export { DUE_DATE_DECIDER, toCampaign } from './access.review.apply.ts';

export interface AccessReviewDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  logger: Logger;
  cache: AccessCache;
  directory: UserDirectory;
  teams: AccessTeamsService;
  elevations: AccessElevationService;
  signer(tenantId: string): ReviewSigner;
}

type Details = Record<string, string | number | boolean | null>;

/**
 * Access reviews (PCI DSS 7.2.4): every user's roles and elevations listed for a reviewer with
 * flags, decided keep / revoke / change, undecided items following the campaign rule at the due
 * date, and a signed export as evidence.
 */
export function createAccessReviewService(deps: AccessReviewDeps) {
  const { db, clock } = deps;

  async function record(
    actor: Principal,
    action: string,
    id: string,
    context: AccessRequestContext,
    details?: Details,
  ) {
    return deps.audit.record(db, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action,
      outcome: 'success',
      target: { type: 'access_review', id },
      ...(details ? { details } : {}),
      ...auditOrigin(context),
    });
  }

  async function loadCampaign(tenantId: string, id: string): Promise<ReviewCampaign> {
    const row = await findCampaign(db, tenantId, id);
    if (!row) throw accessError('REVIEW_NOT_FOUND');
    return toCampaign(row);
  }

  const apply = (actor: Principal, item: AccessReviewItemsTable) => applyReviewDecision(deps, actor, item);

  async function buildRows(tenantId: string, campaignId: string, creatorId: string, now: number) {
    const compiled = await deps.cache.get(tenantId);
    const since = now - reviewLookbackMs(compiled);
    const [users, teams, usageRows, signalRows] = await Promise.all([
      allUsers(deps.directory, tenantId),
      deps.teams.list(tenantId),
      listUsage(db, tenantId),
      listSignals(db, tenantId, since),
    ]);
    const signals = new Map<string, string[]>();
    for (const s of signalRows) signals.set(s.user_id, [...(signals.get(s.user_id) ?? []), s.detail]);
    const usage = new Map(usageRows.map((u) => [`${u.user_id}\n${u.role}`, Number(u.last_used_at)]));
    return buildReviewItems(
      { tenantId, campaignId, creatorId, now, compiled, users, teams, usage, signals },
      () => deps.ids.newId(),
    );
  }

  return {
    /** Opens a campaign listing every role and elevation held in the tenant right now. */
    async start(
      actor: Principal,
      input: {
        name?: string;
        dueDays?: number;
        undecided?: 'revoke' | 'keep';
        trigger?: 'manual' | 'scheduled';
      },
      context: AccessRequestContext = {},
    ): Promise<ReviewCampaign> {
      const now = clock.now();
      const { reviews } = (await deps.cache.get(actor.tenantId)).policy;
      const dueDays = input.dueDays ?? reviews.dueDays;
      if (!Number.isInteger(dueDays) || dueDays < 1 || dueDays > 60)
        throw accessError('REVIEW_DECISION_INVALID', 'dueDays must be 1-60');
      const id = deps.ids.newId();
      const rows = await buildRows(actor.tenantId, id, actor.id, now);
      const campaign: AccessReviewCampaignsTable = {
        tenant_id: actor.tenantId,
        id,
        name: (input.name?.trim() || `Access review ${new Date(now).toISOString().slice(0, 10)}`).slice(
          0,
          120,
        ),
        status: 'open',
        trigger: input.trigger ?? 'manual',
        undecided_rule: input.undecided ?? reviews.undecided,
        created_by: actor.id,
        created_at: now,
        due_at: now + dueDays * DAY_MS,
        closed_at: null,
        item_count: rows.length,
      };
      await db.transaction().execute(async (trx) => {
        await insertCampaign(trx, campaign);
        await insertReviewItems(trx, rows);
        await deps.audit.record(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'access.review.start',
          outcome: 'success',
          target: { type: 'access_review', id },
          details: {
            items: rows.length,
            flagged: rows.filter((r) => r.flags !== '[]').length,
            dueDays,
            undecided: campaign.undecided_rule,
          },
          ...auditOrigin(context),
        });
      });
      return toCampaign(campaign);
    },

    async list(tenantId: string, limit = 50): Promise<ReviewCampaign[]> {
      return (await listCampaigns(db, tenantId, Math.min(limit, 200))).map(toCampaign);
    },

    get: loadCampaign,

    /** Items of a campaign; only a reviewer's own unless `all` (managers and auditors). */
    async items(actor: Principal, campaignId: string, options: { all: boolean }): Promise<ReviewItem[]> {
      await loadCampaign(actor.tenantId, campaignId);
      const rows = await listReviewItems(
        db,
        actor.tenantId,
        campaignId,
        options.all ? {} : { reviewerId: actor.id },
      );
      return rows.map(toReviewItem);
    },

    /** Records and applies a reviewer's decision on one item. */
    async decide(
      actor: Principal,
      campaignId: string,
      itemId: string,
      input: { decision: ReviewDecision; changeTo?: string | undefined; note?: string | undefined },
      mayManage: boolean,
      context: AccessRequestContext = {},
    ): Promise<ReviewItem> {
      const campaign = await loadCampaign(actor.tenantId, campaignId);
      const item = await findReviewItem(db, actor.tenantId, campaignId, itemId);
      // An item assigned to someone else looks absent, unless the caller manages reviews.
      if (!item || (item.reviewer_id !== actor.id && !mayManage)) throw accessError('REVIEW_ITEM_NOT_FOUND');
      if (item.user_id === actor.id) throw accessError('REVIEW_SELF_DECISION');
      if (campaign.status !== 'open') throw accessError('REVIEW_CLOSED');
      if (input.decision === 'change') {
        if (item.grant_kind !== 'role')
          throw accessError('REVIEW_DECISION_INVALID', 'an elevation can be kept or revoked, not changed');
        const compiled = await deps.cache.get(actor.tenantId);
        if (!input.changeTo || !compiled.roles.has(input.changeTo) || input.changeTo === item.grant_name) {
          throw accessError('REVIEW_DECISION_INVALID', 'changeTo must name another existing role');
        }
      }
      const note = input.note?.trim().slice(0, 500) || null;
      const changes = {
        decision: input.decision,
        change_to: input.decision === 'change' ? (input.changeTo ?? null) : null,
        decided_by: actor.id,
        decided_at: clock.now(),
        note,
      };
      await db.transaction().execute(async (trx) => {
        if (!(await claimDecision(trx, actor.tenantId, itemId, changes)))
          throw accessError('REVIEW_ALREADY_DECIDED');
        await deps.audit.record(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'access.review.decide',
          outcome: 'success',
          target: { type: 'access_review_item', id: itemId },
          ...(note ? { reason: note } : {}),
          details: {
            campaign: campaignId,
            user: item.user_id,
            grant: item.grant_name,
            decision: input.decision,
            changeTo: changes.change_to,
          },
          ...auditOrigin(context),
        });
      });
      const outcome = await apply(actor, { ...item, ...changes });
      return toReviewItem({ ...item, ...changes, outcome });
    },

    /** Closes a campaign: undecided items follow its rule, pending applications are finished. */
    async close(
      actor: Principal,
      campaignId: string,
      context: AccessRequestContext = {},
    ): Promise<ReviewCampaign> {
      const campaign = await loadCampaign(actor.tenantId, campaignId);
      if (campaign.status !== 'open') throw accessError('REVIEW_CLOSED');
      const now = clock.now();
      const undecided = await listReviewItems(db, actor.tenantId, campaignId, { undecidedOnly: true });
      const rule = campaign.undecidedRule;
      for (const item of undecided) {
        await claimDecision(db, actor.tenantId, item.id, {
          decision: rule,
          decided_by: DUE_DATE_DECIDER,
          decided_at: now,
          note: `undecided when the campaign closed: rule "${rule}"`,
        });
      }
      const executor = actor.kind === 'system' ? actor : systemPrincipal(actor.tenantId, 'access-review');
      for (const item of await listReviewItems(db, actor.tenantId, campaignId, { unappliedOnly: true })) {
        await apply(item.decided_by === DUE_DATE_DECIDER ? executor : actor, item);
      }
      if (await closeCampaignRow(db, actor.tenantId, campaignId, now)) {
        await record(actor, 'access.review.close', campaignId, context, {
          undecided: undecided.length,
          rule,
        });
      }
      return loadCampaign(actor.tenantId, campaignId);
    },

    /** The campaign as signed evidence; its SHA-256 is anchored in the audit log. */
    async export(
      actor: Principal,
      campaignId: string,
      format: 'csv' | 'json',
      context: AccessRequestContext = {},
    ): Promise<SignedReviewExport> {
      const campaign = await loadCampaign(actor.tenantId, campaignId);
      const items = (await listReviewItems(db, actor.tenantId, campaignId)).map(toReviewItem);
      const signed = signReviewExport(deps.signer(actor.tenantId), {
        tenantId: actor.tenantId,
        campaign,
        items,
        format,
        exportedAt: clock.now(),
        exportedBy: actor.id,
      });
      const event = await record(actor, 'access.review.export', campaignId, context, {
        format,
        sha256: signed.sha256,
        keyId: signed.keyId,
        items: items.length,
      });
      return { ...signed, auditEventId: event.id, auditSeq: event.seq };
    },
  };
}

export type AccessReviewService = ReturnType<typeof createAccessReviewService>;
