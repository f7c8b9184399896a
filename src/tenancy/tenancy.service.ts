import type { Clock } from '../shared/clock.ts';
import { defineErrors } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db } from '../storage/index.ts';
import {
  findTenantById,
  findTenantBySlug,
  insertTenant,
  insertTenantIfAbsent,
  listTenants,
} from './tenancy.queries.ts';

export const DEFAULT_TENANT_SLUG = 'default';

const tenancyError = defineErrors({
  TENANT_NOT_FOUND: { kind: 'not_found', message: 'tenant not found' },
  TENANT_SLUG_TAKEN: { kind: 'conflict', message: 'a tenant with this slug already exists' },
  TENANT_SLUG_INVALID: {
    kind: 'invalid',
    message: 'tenant slug must be 2-40 lowercase letters, digits or dashes',
  },
});

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  createdAt: number;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,39}$/;

function toTenant(row: {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  created_at: number;
}): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    createdAt: Number(row.created_at),
  };
}

/**
 * Tenants are the client companies an outsourced contact center serves; their data never mixes.
 * A single-company install simply uses the default tenant created on first run.
 */
export function createTenancyService(deps: { db: Db; clock: Clock; ids: IdGenerator }) {
  const { db, clock, ids } = deps;
  return {
    async create(input: { slug: string; name: string }): Promise<Tenant> {
      if (!SLUG.test(input.slug)) throw tenancyError('TENANT_SLUG_INVALID');
      if (await findTenantBySlug(db, input.slug)) throw tenancyError('TENANT_SLUG_TAKEN');
      const row = {
        id: ids.newId(),
        slug: input.slug,
        name: input.name,
        status: 'active' as const,
        created_at: clock.now(),
      };
      await insertTenant(db, row);
      return toTenant(row);
    },
    /** Creates the default tenant on first run; returns it on every later run. */
    async ensureDefault(): Promise<Tenant> {
      const existing = await findTenantBySlug(db, DEFAULT_TENANT_SLUG);
      if (existing) return toTenant(existing);
      const row = {
        id: ids.newId(),
        slug: DEFAULT_TENANT_SLUG,
        name: 'Default',
        status: 'active' as const,
        created_at: clock.now(),
      };
      await insertTenantIfAbsent(db, row);
      return toTenant((await findTenantBySlug(db, DEFAULT_TENANT_SLUG))!);
    },
    async getBySlug(slug: string): Promise<Tenant> {
      const row = await findTenantBySlug(db, slug);
      if (!row) throw tenancyError('TENANT_NOT_FOUND');
      return toTenant(row);
    },
    async getById(id: string): Promise<Tenant> {
      const row = await findTenantById(db, id);
      if (!row) throw tenancyError('TENANT_NOT_FOUND');
      return toTenant(row);
    },
    async list(): Promise<Tenant[]> {
      return (await listTenants(db)).map(toTenant);
    },
  };
}

export type TenancyService = ReturnType<typeof createTenancyService>;
