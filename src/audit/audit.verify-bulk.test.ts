import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { type DialectName, describeEachDialect, type TestVigil } from '../../test/harness/test-vigil.ts';
import { encodeAuditEvent } from './audit.encoding.ts';
import { describeOnDigestThread, newTenant, recordEvents, sampleEvent } from './audit.test-support.ts';
import { inSeqOrder, selectCanonicalEventJson, selectEventsInSeqRange } from './audit.verify.queries.ts';
import { hashLeaf } from './merkle/index.ts';

// The bulk path reads each event's canonical JSON as the database writes it and compares stored
// hashes a page at a time. These tests use pages of 3 events so every tampering lands on a page
// boundary, inside a page, or across several pages. On SQLite they run twice: pages hashed on the
// main thread, and pages read and hashed on the digest thread.
describeEachDialect('audit verify in bulk pages', (get, dialect) => {
  bulkPageTests(get, dialect);
  if (dialect === 'sqlite') {
    describeOnDigestThread(
      () => get().vigil,
      () => bulkPageTests(get, dialect),
    );
  }
});

function bulkPageTests(get: () => TestVigil, dialect: DialectName): void {
  const PAGE = 3;

  async function sealedLog(label: string, count = 25): Promise<string> {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, label);
    await recordEvents(vigil, tenantId, 10);
    await vigil.audit.checkpoints.create(tenantId, 'schedule');
    await recordEvents(vigil, tenantId, 10, 10);
    await vigil.audit.checkpoints.create(tenantId, 'schedule');
    await recordEvents(vigil, tenantId, count - 20, 20);
    await vigil.audit.advanceTree(tenantId);
    return tenantId;
  }

  const verify = (tenantId: string) => get().vigil.audit.verify(tenantId, { pageSize: PAGE });
  const events = (tenantId: string) =>
    get().vigil.storage.db.updateTable('audit_events').where('tenant_id', '=', tenantId);

  it("writes each event's canonical JSON byte for byte as encodeAuditEvent does", async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'bulk-json');
    const awkward = [
      'quote " backslash \\ slash / <script>&amp;',
      'controls \u0001\u0008\t\n\u000b\u000c\r\u001f\u007f end',
      'é € 😀 \u2028\u2029 漢字',
      '',
    ];
    for (const [i, text] of awkward.entries()) {
      await vigil.audit.record(
        vigil.storage.db,
        sampleEvent(tenantId, i, {
          actor: { type: 'user', id: `u-${text}`, name: text },
          reason: text,
          details: { text, n: -i, ok: i % 2 === 0, none: null },
        }),
      );
    }
    await vigil.audit.record(vigil.storage.db, {
      tenantId,
      actor: { type: 'system', id: 's' },
      action: 'a.b',
      outcome: 'success',
    });
    const fromDatabase = await selectCanonicalEventJson(
      vigil.storage.db,
      vigil.storage.dialect.bulk,
      tenantId,
      0,
      10,
    );
    const rows = await selectEventsInSeqRange(vigil.storage.db, tenantId, 0, 10);
    const encoded = rows.map((row) => encodeAuditEvent(row).toString('utf8'));
    expect(fromDatabase).toHaveLength(awkward.length + 1);
    // PostgreSQL writes a text with a control character raw (postgres.ts says why), which is
    // never JSON.stringify's output: that row's page takes the row path, and still verifies.
    const writtenRaw = dialect === 'postgres' ? [1] : [];
    for (const [seq, json] of fromDatabase.entries()) {
      if (writtenRaw.includes(seq)) expect(json).not.toBe(encoded[seq]);
      else expect(json).toBe(encoded[seq]);
    }
    await vigil.audit.checkpoints.create(tenantId, 'demand');
    const report = await vigil.audit.verify(tenantId, { pageSize: 2 });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, eventsChecked: awkward.length + 1 });
  });

  it('orders rows by seq only when they are out of order', () => {
    const ordered = [
      ['a', 1],
      ['b', 2],
      ['c', 5],
    ];
    expect(inSeqOrder(ordered, 1)).toBe(ordered);
    expect(
      inSeqOrder(
        [
          ['c', 5],
          ['a', 1],
          ['d', 9],
          ['b', 2],
        ],
        1,
      ),
    ).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 5],
      ['d', 9],
    ]);
  });

  it('reads a page in seq order whatever order the database stores its rows in', async () => {
    const tenantId = await sealedLog('bulk-order');
    const { vigil } = get();
    // Rows deleted and inserted again with the same values go to the end of the table's storage,
    // where a scan in storage order returns them last; every hash stays the same.
    const db = vigil.storage.db;
    for (const seq of [1, 2, 7]) {
      const row = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('seq', '=', seq)
        .executeTakeFirstOrThrow();
      await db.deleteFrom('audit_events').where('tenant_id', '=', tenantId).where('seq', '=', seq).execute();
      await db.insertInto('audit_events').values(row).execute();
    }
    const texts = await selectCanonicalEventJson(
      vigil.storage.db,
      vigil.storage.dialect.bulk,
      tenantId,
      0,
      10,
    );
    const rows = await selectEventsInSeqRange(vigil.storage.db, tenantId, 0, 10);
    expect(texts).toEqual(rows.map((row) => encodeAuditEvent(row).toString('utf8')));
    const report = await verify(tenantId);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, eventsChecked: 25 });
  });

  it('verifies a log read over many pages, some past the last checkpoint', async () => {
    const tenantId = await sealedLog('bulk-ok');
    const report = await verify(tenantId);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, eventsChecked: 25, logSize: 25, treeHeadSize: 25 });
  });

  it('names an event whose stored leaf hash alone was changed (fields intact)', async () => {
    const tenantId = await sealedLog('bulk-leaf');
    await events(tenantId)
      .set({ leaf_hash: Buffer.alloc(32, 7) })
      .where('seq', '=', 4)
      .execute();
    const report = await verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_fields_changed', seq: 4 });
    // The fields are intact, so the recomputed tree still reaches every signed root; proofs are
    // built from the stored leaf hashes (below level 4), so the stored consistency proof fails.
    expect(report.problems.map((p) => p.kind)).toEqual(['event_fields_changed', 'checkpoint_inconsistent']);
    expect(report.problems[1]!.detail).toContain('the stored copy differs');
  });

  it('names a field changed to what an unescaped writing of the recorded one would give', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'bulk-escape');
    // No other quote in the log: a writing that did not escape would be right for every other
    // row, so only its escaping keeps the changed row below from writing the recorded text.
    for (let i = 0; i < 6; i++) {
      const extra = { details: undefined, sensitive: undefined, reason: i === 4 ? 'say "hi"' : 'plain' };
      await vigil.audit.record(vigil.storage.db, sampleEvent(tenantId, i, extra));
    }
    await vigil.audit.checkpoints.create(tenantId, 'demand');
    // Recorded as "say \"hi\"": the text say \"hi\" written unescaped would be those very bytes.
    await events(tenantId).set({ reason: 'say \\"hi\\"' }).where('seq', '=', 4).execute();
    const report = await verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_fields_changed', seq: 4 });
  });

  it('names a changed field and changed stored nodes on later pages', async () => {
    // 48 events: stored nodes (level 4 and up) over leaves 16-31 and 32-47, after the changed event.
    const tenantId = await sealedLog('bulk-later', 48);
    const { vigil } = get();
    await events(tenantId).set({ reason: 'nothing to see' }).where('seq', '=', 13).execute();
    for (const [level, idx] of [
      [4, 1],
      [4, 2],
    ] as const) {
      await vigil.storage.db
        .updateTable('audit_tree_nodes')
        .set({ hash: Buffer.alloc(32, 5) })
        .where('tenant_id', '=', tenantId)
        .where('level', '=', level)
        .where('idx', '=', idx)
        .execute();
    }
    const report = await verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_fields_changed', seq: 13 });
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'checkpoint_root_mismatch', treeSize: 20 }),
    );
    const nodes = report.problems.filter((p) => p.kind === 'tree_node_mismatch').map((p) => p.detail);
    expect(nodes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('level 4, index 1'),
        expect.stringContaining('level 4, index 2'),
      ]),
    );
  });

  it('reports a gap longer than a page where it starts', async () => {
    const tenantId = await sealedLog('bulk-gap');
    await get()
      .vigil.storage.db.deleteFrom('audit_events')
      .where('tenant_id', '=', tenantId)
      .where('seq', '>=', 6)
      .where('seq', '<=', 14)
      .execute();
    const report = await verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_missing', seq: 6 });
    expect(report.firstBadEvent?.detail).toContain('events 6..14 are missing');
    expect(report.eventsChecked).toBe(16);
  });

  it.runIf(dialect === 'sqlite')('reads whole rows when a text column holds a BLOB', async () => {
    const tenantId = await sealedLog('bulk-blob');
    // SQLite's json_array refuses BLOBs: the page falls back to the row path instead of failing.
    await sql`update audit_events set reason = x'00ff' where tenant_id = ${tenantId} and seq = 8`.execute(
      get().vigil.storage.db,
    );
    const report = await verify(tenantId);
    expect(report.firstBadEvent).toMatchObject({ kind: 'event_fields_changed', seq: 8 });
  });

  it.runIf(dialect === 'sqlite')(
    "names an event whose leaf hash was forged to match the database's JSON of it",
    async () => {
      const tenantId = await sealedLog('bulk-forged-json');
      const { vigil } = get();
      // Text in an integer column: SQLite's JSON writes "soon", JavaScript's encoding null.
      await sql`update audit_events set occurred_at = 'soon' where tenant_id = ${tenantId} and seq = 7`.execute(
        vigil.storage.db,
      );
      const [json] = await selectCanonicalEventJson(
        vigil.storage.db,
        vigil.storage.dialect.bulk,
        tenantId,
        7,
        8,
      );
      const forged = hashLeaf(Buffer.from(String(json), 'utf8'));
      await events(tenantId).set({ leaf_hash: forged }).where('seq', '=', 7).execute();
      const report = await verify(tenantId);
      expect(report.problems).toContainEqual(
        expect.objectContaining({ kind: 'checkpoint_root_mismatch', treeSize: 10 }),
      );
      expect(report.firstBadEvent).toMatchObject({ kind: 'event_fields_changed', seq: 7 });
    },
  );

  it('finds changed stored nodes whatever number of them is compared per round trip', async () => {
    // 80 events: stored nodes (4, 0..4), (5, 0..1), (6, 0). With one node per round trip every
    // page's nodes go at once; with the default they all go in one comparison at the end.
    const tenantId = await sealedLog('bulk-batches', 80);
    const { vigil } = get();
    for (const nodesPerComparison of [1, 3]) {
      const clean = await vigil.audit.verify(tenantId, { pageSize: PAGE, nodesPerComparison });
      expect(clean.problems).toEqual([]);
    }
    for (const [level, idx] of [
      [4, 3],
      [6, 0],
    ] as const) {
      await vigil.storage.db
        .updateTable('audit_tree_nodes')
        .set({ hash: Buffer.alloc(32, 6) })
        .where('tenant_id', '=', tenantId)
        .where('level', '=', level)
        .where('idx', '=', idx)
        .execute();
    }
    for (const nodesPerComparison of [1, 3, undefined]) {
      const report = await vigil.audit.verify(tenantId, {
        pageSize: PAGE,
        ...(nodesPerComparison ? { nodesPerComparison } : {}),
      });
      const nodes = report.problems.filter((p) => p.kind === 'tree_node_mismatch').map((p) => p.detail);
      expect(nodes, `nodesPerComparison ${nodesPerComparison}`).toEqual([
        expect.stringContaining('level 4, index 3'),
        expect.stringContaining('level 6, index 0'),
      ]);
    }
    for (const nodesPerComparison of [0, 2.5, 1_000_001]) {
      await expect(vigil.audit.verify(tenantId, { nodesPerComparison })).rejects.toMatchObject({
        code: 'AUDIT_INVALID_COMPARISON_SIZE',
      });
    }
  });

  it('refuses a page size that is not a whole number from 1 to 100000', async () => {
    const tenantId = await sealedLog('bulk-page', 20);
    for (const pageSize of [0, 1.5, 100_001]) {
      await expect(get().vigil.audit.verify(tenantId, { pageSize })).rejects.toMatchObject({
        code: 'AUDIT_INVALID_PAGE_SIZE',
      });
    }
  });
}
