import { CompiledQuery } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import {
  interactionsOfSubjectQuery,
  listInteractions,
  listInteractionsQuery,
} from './interactions.queries.ts';

describeEachDialect('interactions search plans', (get, dialect) => {
  const filters = {
    subject: { subjectId: 'subject-1' },
    phone: { phoneBidx: 'phone-bidx' },
    email: { emailBidx: 'email-bidx' },
  };

  it("finds one customer's interactions through their index, not by reading the tenant's", async () => {
    const { vigil } = get();
    const tenantId = (await vigil.tenancy.create({ slug: 'search-plans', name: 'Plans' })).id;
    for (const [name, filter] of Object.entries(filters)) {
      const query = listInteractionsQuery(vigil.storage.db, {
        tenantId,
        scope: { all: true },
        limit: 51,
        ...filter,
      }).compile();
      // The query runs (and finds nothing) on both databases.
      expect(
        await listInteractions(vigil.storage.db, { tenantId, scope: { all: true }, limit: 51, ...filter }),
        name,
      ).toEqual([]);
      // SQLite plans without statistics, so its plan is the same on an empty and a full table.
      if (dialect !== 'sqlite') continue;
      const plan = await vigil.storage.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
      );
      const steps = plan.rows.map((r) => r.detail);
      expect(steps, name).toContainEqual(expect.stringContaining('USING INDEX interactions_subject'));
      expect(steps, name).not.toContainEqual(expect.stringContaining('USING INDEX interactions_tenant_id'));
    }
  });

  it("reads one customer's interactions (access and erasure requests) through their index", async () => {
    const { vigil } = get();
    const query = interactionsOfSubjectQuery(vigil.storage.db, 'tenant-1', 'subject-1');
    expect(await query.execute()).toEqual([]);
    if (dialect !== 'sqlite') return;
    const compiled = query.compile();
    const plan = await vigil.storage.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
    );
    expect(plan.rows.map((r) => r.detail)).toContainEqual(
      expect.stringContaining('USING INDEX interactions_subject'),
    );
  });

  it('lists a whole tenant newest first by its id index, without sorting', async () => {
    const { vigil } = get();
    const tenantId = (await vigil.tenancy.create({ slug: 'search-plans-all', name: 'Plans' })).id;
    if (dialect !== 'sqlite') {
      expect(await listInteractions(vigil.storage.db, { tenantId, scope: { all: true }, limit: 51 })).toEqual(
        [],
      );
      return;
    }
    const query = listInteractionsQuery(vigil.storage.db, {
      tenantId,
      scope: { all: true },
      limit: 51,
    }).compile();
    const plan = await vigil.storage.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
    );
    const steps = plan.rows.map((r) => r.detail);
    expect(steps).toContainEqual(expect.stringContaining('USING INDEX interactions_tenant_id'));
    expect(steps).not.toContainEqual(expect.stringContaining('TEMP B-TREE'));
  });
});
