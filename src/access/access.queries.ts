import type { Insertable, Updateable } from 'kysely';
import type { DbOrTransaction } from '../audit/index.ts';
import type { AccessRolesTable, AccessTeamsTable } from './access.tables.ts';

export function findGeneration(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('access_generations')
    .select('generation')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

/** Marks the tenant's access configuration as changed; call it in the transaction of the change. */
export async function setGeneration(db: DbOrTransaction, tenantId: string, generation: string, now: number) {
  await db
    .insertInto('access_generations')
    .values({ tenant_id: tenantId, generation, updated_at: now })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ generation, updated_at: now }))
    .execute();
}

export function findPolicyDocument(db: DbOrTransaction, tenantId: string) {
  return db.selectFrom('access_policies').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

export async function upsertPolicyDocument(
  db: DbOrTransaction,
  row: { tenant_id: string; document: string; updated_at: number; updated_by: string },
) {
  await db
    .insertInto('access_policies')
    .values(row)
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        document: row.document,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
}

export function listCustomRoles(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('access_roles')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('name')
    .execute();
}

export function findCustomRole(db: DbOrTransaction, tenantId: string, name: string) {
  return db
    .selectFrom('access_roles')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function insertCustomRole(db: DbOrTransaction, row: Insertable<AccessRolesTable>) {
  await db.insertInto('access_roles').values(row).execute();
}

export async function updateCustomRole(
  db: DbOrTransaction,
  tenantId: string,
  name: string,
  changes: Updateable<AccessRolesTable>,
) {
  await db
    .updateTable('access_roles')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .execute();
}

export async function deleteCustomRole(db: DbOrTransaction, tenantId: string, name: string) {
  await db.deleteFrom('access_roles').where('tenant_id', '=', tenantId).where('name', '=', name).execute();
}

export function listTeams(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('access_teams')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('name')
    .execute();
}

export function findTeam(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('access_teams')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findTeamByName(db: DbOrTransaction, tenantId: string, name: string) {
  return db
    .selectFrom('access_teams')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function insertTeam(db: DbOrTransaction, row: Insertable<AccessTeamsTable>) {
  await db.insertInto('access_teams').values(row).execute();
}

export async function updateTeamQueues(db: DbOrTransaction, tenantId: string, id: string, queues: string) {
  await db
    .updateTable('access_teams')
    .set({ queues })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function deleteTeam(db: DbOrTransaction, tenantId: string, id: string) {
  await db
    .deleteFrom('access_team_members')
    .where('tenant_id', '=', tenantId)
    .where('team_id', '=', id)
    .execute();
  await db.deleteFrom('access_teams').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export function listTeamMembers(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('access_team_members')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('team_id')
    .orderBy('user_id')
    .execute();
}

export async function replaceTeamMembers(
  db: DbOrTransaction,
  tenantId: string,
  teamId: string,
  members: readonly { userId: string; lead: boolean }[],
) {
  await db
    .deleteFrom('access_team_members')
    .where('tenant_id', '=', tenantId)
    .where('team_id', '=', teamId)
    .execute();
  if (members.length === 0) return;
  await db
    .insertInto('access_team_members')
    .values(
      members.map((m) => ({
        tenant_id: tenantId,
        team_id: teamId,
        user_id: m.userId,
        is_lead: m.lead ? 1 : 0,
      })),
    )
    .execute();
}

/** Records that a user used a role; one row per (user, role), moved forward only. */
export async function touchUsage(
  db: DbOrTransaction,
  tenantId: string,
  userId: string,
  role: string,
  at: number,
) {
  await db
    .insertInto('access_usage')
    .values({ tenant_id: tenantId, user_id: userId, role, last_used_at: at })
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'user_id', 'role'])
        .doUpdateSet({ last_used_at: at })
        .where('access_usage.last_used_at', '<', at),
    )
    .execute();
}

export function listUsage(db: DbOrTransaction, tenantId: string) {
  return db.selectFrom('access_usage').selectAll().where('tenant_id', '=', tenantId).execute();
}

/** Keeps the latest observation of a signal per user. */
export async function recordSignal(
  db: DbOrTransaction,
  row: {
    tenant_id: string;
    user_id: string;
    signal: 'concurrent_sessions';
    detail: string;
    observed_at: number;
  },
) {
  await db
    .insertInto('access_signals')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'user_id', 'signal'])
        .doUpdateSet({ detail: row.detail, observed_at: row.observed_at }),
    )
    .execute();
}

export function listSignals(db: DbOrTransaction, tenantId: string, since: number) {
  return db
    .selectFrom('access_signals')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('observed_at', '>=', since)
    .execute();
}
