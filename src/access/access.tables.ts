/**
 * Access-control tables. Times are epoch milliseconds; JSON is stored as text. The roles a user
 * holds live in identity's `user_roles`; these tables hold what those roles mean and what is
 * granted around them (elevations, reviews).
 */

/** Bumped (to a fresh id) in the transaction of every change, so every node's cache notices. */
export interface AccessGenerationsTable {
  tenant_id: string;
  generation: string;
  updated_at: number;
}

/** One JSON policy document per tenant (zones, condition rules, time windows, settings). */
export interface AccessPoliciesTable {
  tenant_id: string;
  document: string;
  updated_at: number;
  updated_by: string;
}

export interface AccessRolesTable {
  tenant_id: string;
  name: string;
  display_name: string;
  description: string;
  /** JSON array of { permission, scope }. */
  grants: string;
  /** JSON object field -> visibility. */
  fields: string;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

export interface AccessTeamsTable {
  tenant_id: string;
  id: string;
  name: string;
  /** JSON array of queue names. */
  queues: string;
  created_at: number;
}

export interface AccessTeamMembersTable {
  tenant_id: string;
  team_id: string;
  user_id: string;
  /** 1 for the team's lead: they review the team members' access. */
  is_lead: number;
}

export type ElevationStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'revoked' | 'lapsed';

export interface AccessElevationsTable {
  tenant_id: string;
  id: string;
  user_id: string;
  user_name: string;
  grant_kind: 'role' | 'permission';
  grant_name: string;
  scope: string;
  reason: string;
  minutes: number;
  status: ElevationStatus;
  /** 1 for break-glass: self-granted with a mandatory reason, alerting, short. */
  break_glass: number;
  requested_at: number;
  decided_by: string | null;
  decided_at: number | null;
  decision_note: string | null;
  starts_at: number | null;
  expires_at: number | null;
  ended_at: number | null;
}

/** When a user last used each role (hour granularity), for the "never used" review flag. */
export interface AccessUsageTable {
  tenant_id: string;
  user_id: string;
  role: string;
  last_used_at: number;
}

/** Observations about how an account is used, e.g. two sessions from two networks at once. */
export interface AccessSignalsTable {
  tenant_id: string;
  user_id: string;
  signal: 'concurrent_sessions';
  detail: string;
  observed_at: number;
}

export interface AccessReviewCampaignsTable {
  tenant_id: string;
  id: string;
  name: string;
  status: 'open' | 'closed';
  trigger: 'manual' | 'scheduled';
  undecided_rule: 'revoke' | 'keep';
  created_by: string;
  created_at: number;
  due_at: number;
  closed_at: number | null;
  item_count: number;
}

export type ReviewDecision = 'keep' | 'revoke' | 'change';

export interface AccessReviewItemsTable {
  tenant_id: string;
  id: string;
  campaign_id: string;
  user_id: string;
  user_name: string;
  user_status: string;
  grant_kind: 'role' | 'elevation';
  /** Role name, or for elevations the elevated role or permission. */
  grant_name: string;
  elevation_id: string | null;
  reviewer_id: string;
  /** JSON array of { flag, detail }. */
  flags: string;
  last_used_at: number | null;
  decision: ReviewDecision | null;
  change_to: string | null;
  decided_by: string | null;
  decided_at: number | null;
  note: string | null;
  /** What was done: kept, revoked, changed, auto_revoked, auto_kept. */
  outcome: string | null;
}

export interface AccessTables {
  access_generations: AccessGenerationsTable;
  access_policies: AccessPoliciesTable;
  access_roles: AccessRolesTable;
  access_teams: AccessTeamsTable;
  access_team_members: AccessTeamMembersTable;
  access_elevations: AccessElevationsTable;
  access_usage: AccessUsageTable;
  access_signals: AccessSignalsTable;
  access_review_campaigns: AccessReviewCampaignsTable;
  access_review_items: AccessReviewItemsTable;
}
