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

  it('keeps the further phones and emails a customer was seen with, finds them by those, and forgets them on erasure', async () => {
    const { vigil } = get();
    const db = vigil.storage.db;
    const keys: SubjectKeys[] = [
      { phone_bidx: 'p1', email_bidx: 'e1' },
      { phone_bidx: 'p2', email_bidx: 'e1' },
      { phone_bidx: 'p2', email_bidx: 'e2' },
      { email_bidx: 'e2' },
    ];
    const further = async (tenantId: string) =>
      (
        await db
          .selectFrom('subject_identifiers')
          .select(['kind', 'bidx', 'subject_id'])
          .where('tenant_id', '=', tenantId)
          .orderBy('kind')
          .orderBy('bidx')
          .execute()
      ).map((r) => `${r.kind}:${r.bidx}`);
    const single = (await vigil.tenancy.create({ slug: 'fi-single', name: 'single' })).id;
    const one: (string | undefined)[] = [];
    for (const k of keys) one.push((await vigil.subjects.resolve(db, single, k))?.id);
    const batched = (await vigil.tenancy.create({ slug: 'fi-batch', name: 'batch' })).id;
    const many = await db.transaction().execute((trx) => vigil.subjects.resolveMany(trx, batched, keys));
    // One customer throughout: the second phone and the second email are further identifiers.
    expect(new Set(one).size).toBe(1);
    expect(new Set(many.map((s) => s?.id)).size).toBe(1);
    expect(await further(single)).toEqual(['email:e2', 'phone:p2']);
    expect(await further(batched)).toEqual(['email:e2', 'phone:p2']);

    // Seen again with a further identifier only: the same customer, nothing recorded twice.
    const again = await db
      .transaction()
      .execute((trx) => vigil.subjects.resolveMany(trx, batched, [{ phone_bidx: 'p2' }]));
    expect(again[0]!.id).toBe(many[0]!.id);
    expect((await vigil.subjects.resolve(db, single, { email_bidx: 'e2' }))!.id).toBe(one[0]);
    expect(await further(batched)).toEqual(['email:e2', 'phone:p2']);

    await vigil.subjects.markErasedMany(db, batched, [many[0]!.id]);
    expect(await further(batched)).toEqual([]);
    await vigil.subjects.markErased(db, single, one[0]!);
    expect(await further(single)).toEqual([]);
    // Erased: the further phone no longer finds them; it makes a new customer.
    const after = await vigil.subjects.resolve(db, batched, { phone_bidx: 'p2' });
    expect(after!.id).not.toBe(many[0]!.id);
  });

  it("does not link an identifier another customer is known by (a household's phone)", async () => {
    const { vigil, clock } = get();
    const db = vigil.storage.db;
    for (const batched of [false, true]) {
      const tenantId = (await vigil.tenancy.create({ slug: `household-${batched}`, name: 'household' })).id;
      const older = await vigil.subjects.resolve(db, tenantId, { phone_bidx: 'p1', email_bidx: 'e1' });
      clock.advance(1000);
      const younger = await vigil.subjects.resolve(db, tenantId, { phone_bidx: 'p2', email_bidx: 'e2' });
      const resolve = async (keys: SubjectKeys) =>
        batched
          ? (await db.transaction().execute((trx) => vigil.subjects.resolveMany(trx, tenantId, [keys])))[0]
          : await vigil.subjects.resolve(db, tenantId, keys);
      // The younger customer's phone with the older one's email: the older one, by the rule.
      expect((await resolve({ phone_bidx: 'p2', email_bidx: 'e1' }))!.id).toBe(older!.id);
      // The phone still finds only the younger customer: it was not linked to the older one.
      expect((await resolve({ phone_bidx: 'p2' }))!.id).toBe(younger!.id);
      const linked = await db
        .selectFrom('subject_identifiers')
        .select('bidx')
        .where('tenant_id', '=', tenantId)
        .execute();
      expect(linked, `batched: ${batched}`).toEqual([]);
    }
  });
});
