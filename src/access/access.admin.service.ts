import { createHash } from 'node:crypto';
import type { AuditRecorder, DbOrTransaction } from '../audit/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db } from '../storage/index.ts';
import { allUsers, type UserDirectory } from './access.directory.ts';
import { accessError } from './access.errors.ts';
import { auditActor, auditOrigin } from './access.gate.ts';
import {
  type AccessPolicy,
  type AccessPolicyInput,
  accessPolicySchema,
  type CustomRoleInput,
  customRoleSchema,
} from './access.policy.ts';
import {
  deleteCustomRole,
  findCustomRole,
  insertCustomRole,
  listCustomRoles,
  updateCustomRole,
  upsertPolicyDocument,
} from './access.queries.ts';
import { BUILTIN_ROLES, isBuiltinRole, type RoleDefinition } from './access.roles.ts';
import { type AccessCache, loadPolicy, toRoleDefinition } from './access.store.ts';
import type { TimeWindow } from './access.time-windows.ts';
import type { AccessRequestContext } from './access.types.ts';

export interface AccessAdminDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  cache: AccessCache;
  directory: UserDirectory;
}

export interface RoleView extends RoleDefinition {
  windows: readonly TimeWindow[];
}

function zodProblems(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || 'policy'}: ${i.message}`).join('; ');
}

/** Roles, policy and their changes: every change audited and bumping the tenant's generation. */
export function createAccessAdminService(deps: AccessAdminDeps) {
  const { db, clock } = deps;

  async function change(
    actor: Principal,
    context: AccessRequestContext,
    event: {
      action: string;
      target: { type: string; id: string };
      details?: Record<string, string | number | boolean | null>;
    },
    apply: (trx: DbOrTransaction) => Promise<void>,
  ): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await apply(trx);
      await deps.cache.markChanged(trx, actor.tenantId);
      await deps.audit.record(trx, {
        tenantId: actor.tenantId,
        actor: auditActor(actor),
        outcome: 'success',
        ...event,
        ...auditOrigin(context),
      });
    });
    deps.cache.invalidate(actor.tenantId);
  }

  async function knownRoleNames(tenantId: string): Promise<Set<string>> {
    const custom = await listCustomRoles(db, tenantId);
    return new Set([...Object.keys(BUILTIN_ROLES), ...custom.map((r) => r.name)]);
  }

  async function listRoles(tenantId: string): Promise<RoleView[]> {
    const [policy, custom] = await Promise.all([loadPolicy(db, tenantId), listCustomRoles(db, tenantId)]);
    const windows = new Map(policy.roleWindows.map((w) => [w.role, w.windows]));
    return [...Object.values(BUILTIN_ROLES), ...custom.map(toRoleDefinition)].map((role) => ({
      ...role,
      windows: windows.get(role.name) ?? [],
    }));
  }

  function parseRole(input: CustomRoleInput) {
    const parsed = customRoleSchema.safeParse(input);
    if (!parsed.success)
      throw accessError('ROLE_INVALID', `role definition is invalid: ${zodProblems(parsed.error)}`);
    return parsed.data;
  }

  return {
    getPolicy: (tenantId: string): Promise<AccessPolicy> => loadPolicy(db, tenantId),

    /** Replaces the tenant's policy after validating it whole, including the roles it names. */
    async updatePolicy(
      actor: Principal,
      input: AccessPolicyInput,
      context: AccessRequestContext = {},
    ): Promise<AccessPolicy> {
      const parsed = accessPolicySchema.safeParse(input);
      if (!parsed.success)
        throw accessError('POLICY_INVALID', `access policy is invalid: ${zodProblems(parsed.error)}`);
      const policy = parsed.data;
      const known = await knownRoleNames(actor.tenantId);
      const unknown = [...policy.roleWindows.map((w) => w.role), ...policy.breakGlass.roles].filter(
        (r) => !known.has(r),
      );
      if (unknown.length > 0)
        throw accessError(
          'POLICY_INVALID',
          `access policy names unknown roles: ${[...new Set(unknown)].join(', ')}`,
        );
      const document = JSON.stringify(policy);
      await change(
        actor,
        context,
        {
          action: 'access.policy.update',
          target: { type: 'access_policy', id: actor.tenantId },
          details: {
            zones: policy.zones.map((z) => z.name).join(',') || null,
            rules: policy.rules.length,
            roleWindows: policy.roleWindows.length,
            stepUpSeconds: policy.stepUpSeconds,
            reviewIntervalDays: policy.reviews.intervalDays,
            documentSha256: createHash('sha256').update(document).digest('hex'),
          },
        },
        (trx) =>
          upsertPolicyDocument(trx, {
            tenant_id: actor.tenantId,
            document,
            updated_at: clock.now(),
            updated_by: actor.id,
          }),
      );
      return policy;
    },

    listRoles,

    async getRole(tenantId: string, name: string): Promise<RoleView> {
      const role = (await listRoles(tenantId)).find((r) => r.name === name);
      if (!role) throw accessError('ROLE_NOT_FOUND');
      return role;
    },

    /** Whether a role name means something in this tenant (identity validates grants with it). */
    async isKnownRole(tenantId: string, name: string): Promise<boolean> {
      return isBuiltinRole(name) || (await findCustomRole(db, tenantId, name)) !== undefined;
    },

    async createRole(
      actor: Principal,
      input: CustomRoleInput,
      context: AccessRequestContext = {},
    ): Promise<RoleView> {
      const role = parseRole(input);
      if (isBuiltinRole(role.name)) throw accessError('ROLE_BUILTIN');
      if (await findCustomRole(db, actor.tenantId, role.name)) throw accessError('ROLE_EXISTS');
      const now = clock.now();
      await change(
        actor,
        context,
        {
          action: 'access.role.create',
          target: { type: 'role', id: role.name },
          details: { permissions: role.grants.map((g) => `${g.permission}:${g.scope}`).join(',') },
        },
        (trx) =>
          insertCustomRole(trx, {
            tenant_id: actor.tenantId,
            name: role.name,
            display_name: role.displayName,
            description: role.description,
            grants: JSON.stringify(role.grants),
            fields: JSON.stringify(role.fields),
            created_at: now,
            updated_at: now,
            updated_by: actor.id,
          }),
      );
      return this.getRole(actor.tenantId, role.name);
    },

    async updateRole(
      actor: Principal,
      name: string,
      input: Omit<CustomRoleInput, 'name'>,
      context: AccessRequestContext = {},
    ): Promise<RoleView> {
      if (isBuiltinRole(name)) throw accessError('ROLE_BUILTIN');
      if (!(await findCustomRole(db, actor.tenantId, name))) throw accessError('ROLE_NOT_FOUND');
      const role = parseRole({ ...input, name });
      await change(
        actor,
        context,
        {
          action: 'access.role.update',
          target: { type: 'role', id: name },
          details: { permissions: role.grants.map((g) => `${g.permission}:${g.scope}`).join(',') },
        },
        (trx) =>
          updateCustomRole(trx, actor.tenantId, name, {
            display_name: role.displayName,
            description: role.description,
            grants: JSON.stringify(role.grants),
            fields: JSON.stringify(role.fields),
            updated_at: clock.now(),
            updated_by: actor.id,
          }),
      );
      return this.getRole(actor.tenantId, name);
    },

    /** Deletes a custom role nobody holds; a held role would silently lose its meaning. */
    async deleteRole(actor: Principal, name: string, context: AccessRequestContext = {}): Promise<void> {
      if (isBuiltinRole(name)) throw accessError('ROLE_BUILTIN');
      if (!(await findCustomRole(db, actor.tenantId, name))) throw accessError('ROLE_NOT_FOUND');
      const holders = (await allUsers(deps.directory, actor.tenantId)).filter((u) => u.roles.includes(name));
      if (holders.length > 0) {
        throw accessError('ROLE_IN_USE', `role is still held by ${holders.length} user(s); revoke it first`);
      }
      const policy = await loadPolicy(db, actor.tenantId);
      if (policy.roleWindows.some((w) => w.role === name) || policy.breakGlass.roles.includes(name)) {
        throw accessError(
          'ROLE_IN_USE',
          'role is named in the access policy (time windows or break-glass); remove it there first',
        );
      }
      await change(
        actor,
        context,
        { action: 'access.role.delete', target: { type: 'role', id: name } },
        (trx) => deleteCustomRole(trx, actor.tenantId, name),
      );
    },
  };
}

export type AccessAdminService = ReturnType<typeof createAccessAdminService>;
