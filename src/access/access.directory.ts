import { isAppError } from '../shared/errors.ts';
import type { Principal } from '../shared/principal.ts';

/** A user as access reviews and elevations need to see them (identity owns the record). */
export interface DirectoryUser {
  id: string;
  displayName: string;
  email: string;
  status: 'invited' | 'active' | 'suspended' | 'disabled';
  roles: readonly string[];
  createdAt: number;
  lastLoginAt: number | null;
}

/**
 * What access control needs from identity: who the users are, and a way to grant and revoke the
 * roles they hold (identity stores `user_roles` and audits each change). Composed in main.ts.
 */
export interface UserDirectory {
  listUsers(tenantId: string, page: { limit: number; afterId?: string }): Promise<DirectoryUser[]>;
  /** Null when the tenant has no such user. */
  findUser(tenantId: string, userId: string): Promise<DirectoryUser | null>;
  grantRole(actor: Principal, userId: string, role: string): Promise<boolean>;
  revokeRole(actor: Principal, userId: string, role: string): Promise<boolean>;
}

/** The slice of identity's user service the directory is built on (structurally, no import cycle). */
export interface IdentityUsers {
  list(tenantId: string, options: { limit?: number; afterId?: string }): Promise<DirectoryUser[]>;
  get(tenantId: string, id: string): Promise<DirectoryUser>;
  grantRole(actor: Principal, userId: string, role: string): Promise<boolean>;
  revokeRole(actor: Principal, userId: string, role: string): Promise<boolean>;
}

/** Adapts identity's user service to the directory access control reads. */
export function directoryFromIdentity(users: IdentityUsers): UserDirectory {
  return {
    listUsers: (tenantId, page) => users.list(tenantId, page),
    async findUser(tenantId, userId) {
      try {
        return await users.get(tenantId, userId);
      } catch (error) {
        if (isAppError(error) && error.kind === 'not_found') return null;
        throw error;
      }
    },
    grantRole: (actor, userId, role) => users.grantRole(actor, userId, role),
    revokeRole: (actor, userId, role) => users.revokeRole(actor, userId, role),
  };
}

const PAGE = 500;

/** Every user of a tenant, page by page (reviews and role deletion need the whole list). */
export async function allUsers(directory: UserDirectory, tenantId: string): Promise<DirectoryUser[]> {
  const users: DirectoryUser[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await directory.listUsers(tenantId, { limit: PAGE, ...(afterId ? { afterId } : {}) });
    users.push(...page);
    if (page.length < PAGE) return users;
    afterId = page.at(-1)!.id;
  }
}
