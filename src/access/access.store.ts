import type { DbOrTransaction } from '../audit/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db } from '../storage/index.ts';
import { type AccessSnapshot, compileAccess, type TeamSnapshot } from './access.compile.ts';
import { listActiveElevations } from './access.elevation.queries.ts';
import { PERMISSIONS, type ScopeKind } from './access.permissions.ts';
import {
  type AccessPolicy,
  accessPolicySchema,
  customRoleSchema,
  DEFAULT_ACCESS_POLICY,
} from './access.policy.ts';
import {
  findGeneration,
  findPolicyDocument,
  listCustomRoles,
  listTeamMembers,
  listTeams,
  setGeneration,
} from './access.queries.ts';
import type { RoleDefinition } from './access.roles.ts';
import type { AccessElevationsTable, AccessRolesTable } from './access.tables.ts';
import type { ActiveElevation, CompiledAccess } from './access.types.ts';

/** Reads a stored policy; a document that no longer validates fails closed rather than dropping rules. */
export async function loadPolicy(db: DbOrTransaction, tenantId: string): Promise<AccessPolicy> {
  const row = await findPolicyDocument(db, tenantId);
  if (!row) return DEFAULT_ACCESS_POLICY;
  const parsed = accessPolicySchema.safeParse(JSON.parse(row.document));
  if (!parsed.success) throw new Error(`stored access policy of tenant ${tenantId} is invalid`);
  return parsed.data;
}

export function toRoleDefinition(row: AccessRolesTable): RoleDefinition {
  const parsed = customRoleSchema.parse({
    name: row.name,
    displayName: row.display_name,
    description: row.description,
    // A permission retired from the catalog is dropped from stored roles instead of failing the tenant.
    grants: (JSON.parse(row.grants) as { permission: string; scope: ScopeKind }[]).filter((g) =>
      Object.hasOwn(PERMISSIONS, g.permission),
    ),
    fields: JSON.parse(row.fields),
  });
  return { ...parsed, builtin: false };
}

export function toActiveElevation(row: AccessElevationsTable): ActiveElevation {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.grant_kind,
    name: row.grant_name,
    scope: row.scope as ScopeKind,
    expiresAt: Number(row.expires_at),
    breakGlass: Number(row.break_glass) === 1,
  };
}

async function loadTeams(db: DbOrTransaction, tenantId: string): Promise<TeamSnapshot[]> {
  const [teams, members] = await Promise.all([listTeams(db, tenantId), listTeamMembers(db, tenantId)]);
  return teams.map((team) => ({
    id: team.id,
    name: team.name,
    queues: JSON.parse(team.queues) as string[],
    members: members.filter((m) => m.team_id === team.id).map((m) => m.user_id),
  }));
}

/** Everything that shapes a tenant's decisions, read after its generation so a racing change is caught. */
export async function loadSnapshot(db: Db, tenantId: string, now: number): Promise<AccessSnapshot> {
  const generation = (await findGeneration(db, tenantId))?.generation ?? '';
  const [policy, roles, elevations, teams] = await Promise.all([
    loadPolicy(db, tenantId),
    listCustomRoles(db, tenantId),
    listActiveElevations(db, tenantId, now),
    loadTeams(db, tenantId),
  ]);
  return {
    tenantId,
    generation,
    policy,
    customRoles: roles.map(toRoleDefinition),
    elevations: elevations.map(toActiveElevation),
    teams,
  };
}

export interface AccessCacheDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  /**
   * How long a node trusts its compiled policy before checking the tenant's generation (one
   * indexed read). Changes made on this node apply at once; on other nodes within this delay.
   */
  revalidateMs: number;
}

interface Entry {
  compiled: CompiledAccess;
  checkedAt: number;
}

/**
 * Compiled policies per tenant. Every change bumps the tenant's generation in the change's own
 * transaction; nodes compare generations at most every `revalidateMs`, so a revocation reaches
 * every node of a cluster quickly without a message bus.
 */
export function createAccessCache(deps: AccessCacheDeps) {
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<CompiledAccess>>();
  // Bumped by invalidate(): a load that started before a local change must not be cached after it.
  const epochs = new Map<string, number>();

  async function refresh(tenantId: string, previous: Entry | undefined): Promise<CompiledAccess> {
    const now = deps.clock.now();
    const epoch = epochs.get(tenantId) ?? 0;
    if (previous) {
      const generation = (await findGeneration(deps.db, tenantId))?.generation ?? '';
      if (generation === previous.compiled.generation) {
        previous.checkedAt = now;
        return previous.compiled;
      }
    }
    const compiled = compileAccess(await loadSnapshot(deps.db, tenantId, now));
    if ((epochs.get(tenantId) ?? 0) === epoch) entries.set(tenantId, { compiled, checkedAt: now });
    return compiled;
  }

  return {
    /** The tenant's compiled policy: from memory, revalidated against the generation when due. */
    get(tenantId: string): Promise<CompiledAccess> | CompiledAccess {
      const entry = entries.get(tenantId);
      if (entry && deps.clock.now() - entry.checkedAt < deps.revalidateMs) return entry.compiled;
      const inFlight = loading.get(tenantId);
      if (inFlight) return inFlight;
      const pending: Promise<CompiledAccess> = refresh(tenantId, entry).finally(() => {
        if (loading.get(tenantId) === pending) loading.delete(tenantId);
      });
      loading.set(tenantId, pending);
      return pending;
    },
    /** Records a change in the caller's transaction: every node recompiles the tenant's policy. */
    async markChanged(trx: DbOrTransaction, tenantId: string): Promise<void> {
      await setGeneration(trx, tenantId, deps.ids.newId(), deps.clock.now());
    },
    /** Drops this node's copy at once (after the change committed). */
    invalidate(tenantId: string): void {
      entries.delete(tenantId);
      loading.delete(tenantId);
      epochs.set(tenantId, (epochs.get(tenantId) ?? 0) + 1);
    },
  };
}

export type AccessCache = ReturnType<typeof createAccessCache>;
