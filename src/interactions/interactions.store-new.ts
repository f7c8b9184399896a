import type { DbOrTransaction } from '../audit/index.ts';
import { renderBody } from './interactions.body.ts';
import type { IngestContext, IngestDeps, IngestResult, Prepared } from './interactions.ingest.types.ts';
import { interactionSealer } from './interactions.ports.ts';
import { insertInteractionFindings, insertInteractions } from './interactions.queries.ts';
import { findingRows, interactionRow } from './interactions.rows.ts';
import type { InteractionFindingsTable, InteractionsTable } from './interactions.tables.ts';

// Rows per multi-row insert: ~26 parameters a row stays far under SQLite's and PostgreSQL's limits.
const ROWS_PER_INSERT = 250;

async function insertInChunks<T>(
  trx: DbOrTransaction,
  rows: T[],
  insert: (trx: DbOrTransaction, rows: T[]) => Promise<void>,
) {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
    await insert(trx, rows.slice(i, i + ROWS_PER_INSERT));
}

/**
 * Stores interactions seen for the first time (no stored row, once in the batch) the way `store`
 * does one by one, with the work of the batch done together: customers resolved to subjects in a
 * few statements, their keys loaded or created at once, every card tokenized in one vault call,
 * and the rows written in multi-row inserts. Runs inside the caller's (locked) transaction.
 */
export async function storeNewInteractions(
  deps: Pick<IngestDeps, 'ids' | 'subjects' | 'cipher' | 'vault'>,
  trx: DbOrTransaction,
  ctx: IngestContext,
  items: readonly Prepared[],
  now: number,
): Promise<IngestResult[]> {
  if (items.length === 0) return [];
  const keys = [];
  for (const p of items) keys.push(await deps.subjects.keysOf(trx, ctx.tenantId, p.customer));
  const subjects = await deps.subjects.resolveMany(trx, ctx.tenantId, keys);
  const subjectIds = subjects.flatMap((s) => (s ? [s.id] : []));
  await deps.cipher.loadSubjectKeys(trx, ctx.tenantId, subjectIds);
  const pans = items.flatMap((p) => p.built.cardNumbers);
  const tokens =
    pans.length === 0
      ? []
      : await deps.vault.tokenizeMany(trx, {
          tenantId: ctx.tenantId,
          pans,
          actor: ctx.actor,
          ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
        });
  const rows: InteractionsTable[] = [];
  const findings: InteractionFindingsTable[] = [];
  const results: IngestResult[] = [];
  let tokenAt = 0;
  for (const [i, { head, built, cards }] of items.entries()) {
    const cardTokens = new Map<string, string>();
    for (const pan of built.cardNumbers) cardTokens.set(pan, tokens[tokenAt++]!.token);
    const id = deps.ids.newId();
    const subjectId = subjects[i]?.id;
    const seal = interactionSealer(deps.cipher, trx, { tenantId: ctx.tenantId, subjectId, rowId: id });
    const hasOriginals = Object.keys(built.originals).length > 0;
    rows.push({
      id,
      tenant_id: ctx.tenantId,
      ingested_at: now,
      ...interactionRow({
        id,
        head,
        built,
        subjectId,
        keys: keys[i]!,
        body: await seal('body', renderBody(built.body, cards, cardTokens)),
        originals: hasOriginals ? await seal('originals', JSON.stringify(built.originals)) : null,
        now,
      }),
    });
    findings.push(...findingRows(ctx.tenantId, id, built.findingCounts, now));
    results.push({ id, sourceId: head.source.id, outcome: 'created', findings: built.findingCounts });
  }
  await insertInChunks(trx, rows, insertInteractions);
  await insertInChunks(trx, findings, insertInteractionFindings);
  return results;
}
