import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import type { SubjectKeys } from './index.ts';

// Blind index values stand for identifiers here: resolution only compares them.
const batch: SubjectKeys[] = [
  { phone_bidx: 'p1' },
  { phone_bidx: 'p1', email_bidx: 'e1' },
  { email_bidx: 'e1', customer_ref_bidx: 'r1' },
  {},
  { phone_bidx: 'p-stored', email_bidx: 'e-new' },
  { email_bidx: 'e-new' },
  { phone_bidx: 'p-erased' },
];

describeEachDialect('subjects resolveMany', (get) => {
  it('finds the same subjects as resolving one by one, and fills in identifiers a subject lacked', async () => {
    const { vigil } = get();
    const run = async (slug: string, resolveAll: (tenantId: string) => Promise<(string | null)[]>) => {
      const tenant = await vigil.tenancy.create({ slug, name: slug });
      const db = vigil.storage.db;
      const stored = await vigil.subjects.resolve(db, tenant.id, { phone_bidx: 'p-stored' });
      const erased = await vigil.subjects.resolve(db, tenant.id, { phone_bidx: 'p-erased' });
      await vigil.subjects.markErased(db, tenant.id, erased!.id);
      const ids = await resolveAll(tenant.id);
      const rows = await db
        .selectFrom('subjects')
        .select(['id', 'phone_bidx', 'email_bidx', 'customer_ref_bidx', 'erased_at'])
        .where('tenant_id', '=', tenant.id)
        .execute();
      const label = (id: string | null) =>
        id === null
          ? null
          : id === stored!.id
            ? 'stored'
            : id === erased!.id
              ? 'erased'
              : `n${[...new Set(ids.filter((x) => x && x !== stored!.id))].indexOf(id)}`;
      const byLabel = Object.fromEntries(
        rows.map((r) => [
          label(r.id),
          [r.phone_bidx, r.email_bidx, r.customer_ref_bidx, r.erased_at !== null],
        ]),
      );
      return { labels: ids.map(label), byLabel };
    };
    const batched = await run('rm-batch', (tenantId) =>
      vigil.storage.db
        .transaction()
        .execute(async (trx) =>
          (await vigil.subjects.resolveMany(trx, tenantId, batch)).map((s) => s?.id ?? null),
        ),
    );
    const single = await run('rm-single', async (tenantId) => {
      const out: (string | null)[] = [];
      for (const keys of batch)
        out.push((await vigil.subjects.resolve(vigil.storage.db, tenantId, keys))?.id ?? null);
      return out;
    });
    expect(batched).toEqual(single);
    expect(batched.labels).toEqual(['n0', 'n0', 'n0', null, 'stored', 'stored', 'n1']);
    expect(batched.byLabel).toMatchObject({
      n0: ['p1', 'e1', 'r1', false],
      stored: ['p-stored', 'e-new', null, false],
      n1: ['p-erased', null, null, false],
    });
  });

  it('records when a stored subject was seen', async () => {
    const { vigil, clock } = get();
    const tenant = await vigil.tenancy.create({ slug: 'rm-seen', name: 'Seen' });
    const first = await vigil.subjects.resolve(vigil.storage.db, tenant.id, { email_bidx: 'seen' });
    clock.advance(60_000);
    const [again] = await vigil.storage.db
      .transaction()
      .execute((trx) => vigil.subjects.resolveMany(trx, tenant.id, [{ email_bidx: 'seen' }]));
    expect(again!.id).toBe(first!.id);
    const row = await vigil.subjects.get(vigil.storage.db, tenant.id, first!.id);
    expect(row!.lastSeenAt).toBe(first!.lastSeenAt + 60_000);
  });
});
