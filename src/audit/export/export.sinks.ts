import type { Clock } from '../../shared/clock.ts';
import type { IdGenerator } from '../../shared/ids.ts';
import type { Db } from '../../storage/index.ts';
import { findLatestCheckpoint } from '../audit.checkpoint.queries.ts';
import { auditError } from '../audit.errors.ts';
import { wrapSecret } from '../audit.key-wrap.ts';
import { countAuditEvents } from '../audit.queries.ts';
import type { AuditSinksTable } from '../audit.tables.ts';
import type { AuditEventInput, AuditRecorder } from '../audit.types.ts';
import { deleteSink, findSinkByName, insertSink, listSinks } from './export.queries.ts';
import { type SinkInput, sinkInputSchema } from './export.settings.ts';

/** A sink as operators see it: never its secret, and a webhook URL without its query string. */
export interface AuditSinkView {
  id: string;
  name: string;
  kind: AuditSinksTable['kind'];
  stream: AuditSinksTable['stream'];
  target: string;
  /** Last delivered seq (events) or tree size (checkpoints); -1 before the first delivery. */
  cursor: number;
  failures: number;
  lastError: string | null;
  lastDeliveredAt: number | null;
  nextAttemptAt: number;
}

export interface AuditSinksDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  recorder: AuditRecorder;
  /** AES-256 key wrapping webhook secrets, derived from the root key. */
  secretKey: Buffer;
}

/** The associated data binding a wrapped webhook secret to its sink. */
export const sinkSecretAad = (sink: Pick<AuditSinksTable, 'tenant_id' | 'id'>) =>
  `vigil-audit-sink-secret|${sink.tenant_id}|${sink.id}`;

function describeTarget(row: AuditSinksTable): string {
  const settings = JSON.parse(row.settings) as Record<string, unknown>;
  if (row.kind === 'syslog')
    return `${settings['tls'] ? 'tls' : 'tcp'}://${settings['host']}:${settings['port']}`;
  if (row.kind === 'webhook') {
    const url = new URL(String(settings['url']));
    return `${url.origin}${url.pathname}`;
  }
  return String(settings['path']);
}

export function toSinkView(row: AuditSinksTable): AuditSinkView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    stream: row.stream,
    target: describeTarget(row),
    cursor: Number(row.cursor),
    failures: row.failures,
    lastError: row.last_error,
    lastDeliveredAt: row.last_delivered_at === null ? null : Number(row.last_delivered_at),
    nextAttemptAt: Number(row.next_attempt_at),
  };
}

function parseInput(input: SinkInput) {
  const parsed = sinkInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // Names the field and the rule, never the value (it may be a secret).
  throw auditError('AUDIT_SINK_INVALID', `sink ${issue.path.join('.') || 'settings'}: ${issue.message}`);
}

/** SIEM and publication sinks of a tenant: added and removed by operators, both audited. */
export function createAuditSinks(deps: AuditSinksDeps) {
  async function startCursor(tenantId: string, stream: AuditSinksTable['stream']): Promise<number> {
    if (stream === 'events') return (await countAuditEvents(deps.db, tenantId)) - 1;
    const latest = await findLatestCheckpoint(deps.db, tenantId);
    return latest ? Number(latest.tree_size) : -1;
  }

  return {
    /** Adds a sink; it delivers from the beginning of the log unless `startAt` is 'now'. */
    async add(
      tenantId: string,
      input: SinkInput,
      actor: AuditEventInput['actor'],
      options: { startAt?: 'beginning' | 'now' } = {},
    ): Promise<AuditSinkView> {
      const parsed = parseInput(input);
      if (await findSinkByName(deps.db, tenantId, parsed.name)) throw auditError('AUDIT_SINK_NAME_TAKEN');
      const { kind, name, stream, ...rest } = parsed;
      const secret = 'secret' in rest ? rest.secret : undefined;
      const settings = Object.fromEntries(Object.entries(rest).filter(([key]) => key !== 'secret'));
      const now = deps.clock.now();
      const row: AuditSinksTable = {
        id: deps.ids.newId(),
        tenant_id: tenantId,
        name,
        kind,
        stream,
        settings: JSON.stringify(settings),
        wrapped_secret: null,
        cursor: options.startAt === 'now' ? await startCursor(tenantId, stream) : -1,
        enabled: 1,
        failures: 0,
        next_attempt_at: now,
        last_error: null,
        last_delivered_at: null,
        created_at: now,
      };
      if (secret !== undefined)
        row.wrapped_secret = wrapSecret(deps.secretKey, Buffer.from(secret, 'utf8'), sinkSecretAad(row));
      await deps.db.transaction().execute(async (trx) => {
        await insertSink(trx, row);
        await deps.recorder.record(trx, {
          tenantId,
          actor,
          action: 'audit.sink.create',
          outcome: 'success',
          target: { type: 'audit_sink', id: row.id },
          details: { name, kind, stream, target: describeTarget(row) },
        });
      });
      return toSinkView(row);
    },
    async list(tenantId: string): Promise<AuditSinkView[]> {
      return (await listSinks(deps.db, tenantId)).map(toSinkView);
    },
    async remove(tenantId: string, name: string, actor: AuditEventInput['actor']): Promise<void> {
      const row = await findSinkByName(deps.db, tenantId, name);
      if (!row) throw auditError('AUDIT_SINK_NOT_FOUND');
      await deps.db.transaction().execute(async (trx) => {
        await deleteSink(trx, tenantId, row.id);
        await deps.recorder.record(trx, {
          tenantId,
          actor,
          action: 'audit.sink.delete',
          outcome: 'success',
          target: { type: 'audit_sink', id: row.id },
          details: { name },
        });
      });
    },
  };
}

export type AuditSinks = ReturnType<typeof createAuditSinks>;
