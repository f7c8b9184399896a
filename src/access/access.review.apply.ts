import { isAppError } from '../shared/errors.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db } from '../storage/index.ts';
import type { UserDirectory } from './access.directory.ts';
import type { AccessElevationService } from './access.elevation.service.ts';
import { setItemOutcome } from './access.review.queries.ts';
import type { ReviewCampaign } from './access.review.types.ts';
import type { AccessReviewCampaignsTable, AccessReviewItemsTable } from './access.tables.ts';

/** Recorded as the decider of items the due-date rule decided. */
export const DUE_DATE_DECIDER = 'access-review:due-date';

export function toCampaign(row: AccessReviewCampaignsTable): ReviewCampaign {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    trigger: row.trigger,
    undecidedRule: row.undecided_rule,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    dueAt: Number(row.due_at),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
    itemCount: Number(row.item_count),
  };
}

/** Carries out a recorded decision through identity (roles) or the elevation service. */
export async function applyReviewDecision(
  deps: { db: Db; directory: UserDirectory; elevations: Pick<AccessElevationService, 'revoke'> },
  actor: Principal,
  item: AccessReviewItemsTable,
): Promise<string> {
  const auto = item.decided_by === DUE_DATE_DECIDER;
  let outcome = auto ? 'auto_kept' : 'kept';
  if (item.decision === 'revoke' || item.decision === 'change') {
    outcome = item.decision === 'change' ? 'changed' : auto ? 'auto_revoked' : 'revoked';
    try {
      if (item.grant_kind === 'elevation') {
        await deps.elevations.revoke(actor, item.elevation_id ?? '', true);
      } else {
        await deps.directory.revokeRole(actor, item.user_id, item.grant_name);
        if (item.decision === 'change' && item.change_to)
          await deps.directory.grantRole(actor, item.user_id, item.change_to);
      }
    } catch (error) {
      // An elevation that already ended, or a user already deleted, has nothing left to take away.
      const gone = isAppError(error) && (error.code === 'ELEVATION_NOT_ACTIVE' || error.kind === 'not_found');
      if (!gone) throw error;
    }
  }
  await setItemOutcome(deps.db, item.tenant_id, item.id, outcome);
  return outcome;
}
