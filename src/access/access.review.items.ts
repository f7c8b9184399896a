import type { Insertable } from 'kysely';
import { DAY_MS } from '../shared/clock.ts';
import { roleSetOf } from './access.compile.ts';
import type { DirectoryUser } from './access.directory.ts';
import { flagGrant, type ReviewGrant } from './access.review.flags.ts';
import type { ReviewItem } from './access.review.types.ts';
import type { AccessReviewItemsTable } from './access.tables.ts';
import type { Team } from './access.teams.service.ts';
import type { CompiledAccess } from './access.types.ts';

export const UNASSIGNED_REVIEWER = 'unassigned';

export interface ItemSources {
  tenantId: string;
  campaignId: string;
  creatorId: string;
  now: number;
  compiled: CompiledAccess;
  users: readonly DirectoryUser[];
  teams: readonly Team[];
  /** `${userId}\n${grant}` -> last use (grant is a role name or `elevation:<id>`). */
  usage: ReadonlyMap<string, number>;
  signals: ReadonlyMap<string, readonly string[]>;
}

function holdsPermission(compiled: CompiledAccess, user: DirectoryUser, permission: string): boolean {
  return roleSetOf(compiled, user.roles).byPermission.has(permission);
}

/**
 * Who reviews a user's access: a lead of one of their teams, else the person who started the
 * campaign, else someone who manages reviews. Never the user themselves.
 */
export function chooseReviewer(
  sources: ItemSources,
  user: DirectoryUser,
  managers: readonly DirectoryUser[],
): string {
  const active = new Set(sources.users.filter((u) => u.status === 'active').map((u) => u.id));
  const leads = sources.teams
    .filter((team) => team.members.some((m) => m.userId === user.id))
    .flatMap((team) => team.members.filter((m) => m.lead && m.userId !== user.id && active.has(m.userId)))
    .map((m) => m.userId)
    .sort();
  if (leads[0]) return leads[0];
  if (sources.creatorId !== user.id && active.has(sources.creatorId)) return sources.creatorId;
  return managers.find((m) => m.id !== user.id)?.id ?? UNASSIGNED_REVIEWER;
}

function grantsOf(compiled: CompiledAccess, user: DirectoryUser, now: number): ReviewGrant[] {
  const roles: ReviewGrant[] = [...new Set(user.roles)].map((name) => ({ kind: 'role', name }));
  const elevations: ReviewGrant[] = (compiled.elevationsByUser.get(user.id) ?? [])
    .filter((e) => e.expiresAt > now)
    .map((elevation) => ({ kind: 'elevation', name: elevation.name, elevation }));
  return [...roles, ...elevations];
}

/** One review item per role held and per active elevation, flagged, with a reviewer each. */
export function buildReviewItems(
  sources: ItemSources,
  newId: () => string,
): Insertable<AccessReviewItemsTable>[] {
  const { compiled, now } = sources;
  const { dormantDays, intervalDays } = compiled.policy.reviews;
  const managers = sources.users
    .filter((u) => u.status === 'active' && holdsPermission(compiled, u, 'access.review.manage'))
    .sort((a, b) => a.id.localeCompare(b.id));
  const rows: Insertable<AccessReviewItemsTable>[] = [];
  for (const user of sources.users) {
    const grants = grantsOf(compiled, user, now);
    if (grants.length === 0) continue;
    const reviewerId = chooseReviewer(sources, user, managers);
    for (const grant of grants) {
      const usageKey = grant.elevation ? `elevation:${grant.elevation.id}` : grant.name;
      const lastUsedAt = sources.usage.get(`${user.id}\n${usageKey}`) ?? null;
      const flags = flagGrant({
        user,
        grant,
        allGrants: grants,
        compiled,
        lastUsedAt,
        signals: sources.signals.get(user.id) ?? [],
        now,
        dormantDays,
        lookbackDays: intervalDays,
      });
      rows.push({
        tenant_id: sources.tenantId,
        id: newId(),
        campaign_id: sources.campaignId,
        user_id: user.id,
        user_name: user.displayName.slice(0, 200),
        user_status: user.status,
        grant_kind: grant.kind,
        grant_name: grant.name,
        elevation_id: grant.elevation?.id ?? null,
        reviewer_id: reviewerId,
        flags: JSON.stringify(flags),
        last_used_at: lastUsedAt,
        decision: null,
        change_to: null,
        decided_by: null,
        decided_at: null,
        note: null,
        outcome: null,
      });
    }
  }
  return rows;
}

export function toReviewItem(row: AccessReviewItemsTable): ReviewItem {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: row.id,
    campaignId: row.campaign_id,
    userId: row.user_id,
    userName: row.user_name,
    userStatus: row.user_status,
    grantKind: row.grant_kind,
    grantName: row.grant_name,
    elevationId: row.elevation_id,
    reviewerId: row.reviewer_id,
    flags: JSON.parse(row.flags),
    lastUsedAt: num(row.last_used_at),
    decision: row.decision,
    changeTo: row.change_to,
    decidedBy: row.decided_by,
    decidedAt: num(row.decided_at),
    note: row.note,
    outcome: row.outcome,
  };
}

export const reviewLookbackMs = (compiled: CompiledAccess) => compiled.policy.reviews.intervalDays * DAY_MS;
