import type { Logger } from '../../logging/logger.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Db, StorageDialect } from '../../storage/index.ts';
import { selectCheckpointsAfter } from '../audit.checkpoint.queries.ts';
import { toAuditCheckpoint } from '../audit.checkpoints.ts';
import { toAuditEventView } from '../audit.events.ts';
import { unwrapSecret } from '../audit.key-wrap.ts';
import { selectEventsFromSeq } from '../audit.queries.ts';
import type { AuditSinksTable } from '../audit.tables.ts';
import { toOcsf } from './export.ocsf.ts';
import { advanceSinkCursor, findSink, listDueSinks, recordSinkFailure } from './export.queries.ts';
import { storedSettingsSchema } from './export.settings.ts';
import { sinkSecretAad } from './export.sinks.ts';
import { formatCheckpointSyslog, formatEventSyslog, frameOctetCounting } from './export.syslog.ts';
import { appendDurably, DeliveryError, postSignedWebhook, sendSyslogFrames } from './export.transport.ts';

export interface DeliveryDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'tryWithJobLock'>;
  clock: Clock;
  logger: Logger;
  secretKey: Buffer;
  /** HOSTNAME of the syslog header. */
  hostname: string;
  productVersion: string;
  listTenantIds(): Promise<string[]>;
  batchSize?: number;
  /** Batches per sink per run: a bounded unit of work. */
  maxBatches?: number;
  timeoutMs?: number;
}

export interface DeliveryReport {
  [key: string]: number;
  sinks: number;
  delivered: number;
  failed: number;
}

interface Batch {
  last: number;
  lines: { text: string; syslog: string }[];
}

const MAX_BACKOFF_MS = 15 * 60_000;

async function readBatch(
  deps: DeliveryDeps,
  sink: AuditSinksTable,
  size: number,
): Promise<Batch | undefined> {
  const header = { hostname: deps.hostname };
  const product = { version: deps.productVersion };
  if (sink.stream === 'events') {
    const rows = await selectEventsFromSeq(deps.db, sink.tenant_id, Number(sink.cursor) + 1, size);
    if (rows.length === 0) return undefined;
    const lines = rows.map(toAuditEventView).map((event) => {
      const json = JSON.stringify(toOcsf(event, product));
      return { text: json, syslog: formatEventSyslog(event, json, header) };
    });
    return { last: Number(rows[rows.length - 1]!.seq), lines };
  }
  const rows = await selectCheckpointsAfter(deps.db, sink.tenant_id, Number(sink.cursor), size);
  if (rows.length === 0) return undefined;
  const lines = rows.map(toAuditCheckpoint).map((cp) => ({
    text: JSON.stringify({ type: 'vigil.audit.checkpoint', ...cp }),
    syslog: formatCheckpointSyslog(cp, header),
  }));
  return { last: Number(rows[rows.length - 1]!.tree_size), lines };
}

async function send(deps: DeliveryDeps, sink: AuditSinksTable, batch: Batch): Promise<void> {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const ndjson = batch.lines.map((l) => `${l.text}\n`).join('');
  if (sink.kind === 'syslog') {
    const settings = storedSettingsSchema.syslog.parse(JSON.parse(sink.settings));
    return sendSyslogFrames(
      settings,
      batch.lines.map((l) => frameOctetCounting(l.syslog)),
      timeoutMs,
    );
  }
  if (sink.kind === 'file')
    return appendDurably(storedSettingsSchema.file.parse(JSON.parse(sink.settings)).path, ndjson);
  const { url } = storedSettingsSchema.webhook.parse(JSON.parse(sink.settings));
  const now = deps.clock.now();
  return postSignedWebhook({
    url,
    secret: unwrapSecret(deps.secretKey, sink.wrapped_secret ?? Buffer.alloc(0), sinkSecretAad(sink)),
    body: ndjson,
    contentType: 'application/x-ndjson',
    nowSeconds: Math.floor(now / 1000),
    // Same id for a retried batch, so receivers can drop duplicates of at-least-once delivery.
    deliveryId: `${sink.id}:${Number(sink.cursor) + 1}-${batch.last}`,
    timeoutMs,
  });
}

async function deliverSink(deps: DeliveryDeps, start: AuditSinksTable, signal: AbortSignal): Promise<number> {
  let delivered = 0;
  for (let i = 0; i < (deps.maxBatches ?? 20) && !signal.aborted; i++) {
    const sink = await findSink(deps.db, start.tenant_id, start.id);
    if (!sink) return delivered;
    const batch = await readBatch(deps, sink, deps.batchSize ?? 500);
    if (!batch) return delivered;
    try {
      await send(deps, sink, batch);
    } catch (error) {
      const reason = error instanceof DeliveryError ? error.message : 'delivery failed';
      const backoff = Math.min(5_000 * 2 ** Math.min(sink.failures, 20), MAX_BACKOFF_MS);
      await recordSinkFailure(deps.db, sink, {
        failures: sink.failures + 1,
        nextAttemptAt: deps.clock.now() + backoff,
        error: reason,
      });
      deps.logger.warn(
        { sink: sink.id, tenantId: sink.tenant_id, failures: sink.failures + 1, reason },
        'audit sink delivery failed',
      );
      throw new DeliveryError(reason);
    }
    await advanceSinkCursor(deps.db, sink, batch.last, deps.clock.now());
    delivered += batch.lines.length;
  }
  return delivered;
}

/**
 * The delivery job: every due sink of every tenant gets its next batches, each sink under its own
 * single-run lock across nodes. The cursor moves only after the receiver acknowledged a batch, so
 * an outage delays delivery (with backoff) and loses nothing; a retried batch may arrive twice.
 */
export async function deliverAuditSinks(
  deps: DeliveryDeps,
  context: { now: number; signal: AbortSignal },
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sinks: 0, delivered: 0, failed: 0 };
  for (const tenantId of await deps.listTenantIds()) {
    for (const sink of await listDueSinks(deps.db, tenantId, context.now)) {
      if (context.signal.aborted) return report;
      report.sinks++;
      try {
        const count = await deps.dialect.tryWithJobLock(deps.db, `audit-sink:${sink.id}`, () =>
          deliverSink(deps, sink, context.signal),
        );
        report.delivered += count ?? 0;
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        report.failed++;
      }
    }
  }
  return report;
}
