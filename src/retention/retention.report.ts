import { createHash } from 'node:crypto';
import type { ReviewSigner } from '../access/index.ts';
import type { AuditRecorder } from '../audit/index.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db } from '../storage/index.ts';
import { auditFrom, type Caller } from './retention.caller.ts';
import { DATA_CATEGORIES } from './retention.categories.ts';
import { findCheck, insertCheck, listChecks, listRuns } from './retention.disposal.queries.ts';
import { retentionError } from './retention.errors.ts';
import type { Hold } from './retention.holds.ts';
import type { PurgeReport } from './retention.purge.types.ts';

export interface CheckDeps {
  db: Db;
  ids: IdGenerator;
  audit: AuditRecorder;
  signer(tenantId: string): ReviewSigner;
  plan(caller: Caller, now: number): Promise<PurgeReport>;
  holds(tenantId: string): Promise<Hold[]>;
}

/** The evidence document of one check: what is past retention right now, and why anything is kept. */
function checkDocument(
  id: string,
  tenantId: string,
  now: number,
  plan: PurgeReport,
  holds: Hold[],
  lastRun: Awaited<ReturnType<typeof listRuns>>[number] | undefined,
  keyId: string,
) {
  const categories = DATA_CATEGORIES.flatMap((category) => {
    const t = plan.categories[category];
    return t
      ? [
          {
            category,
            pastRetention: t.due,
            held: t.kept.hold ?? 0,
            blockedByConflict: t.kept.conflict ?? 0,
            scanned: t.scanned,
          },
        ]
      : [];
  });
  const overdue = categories.reduce((n, c) => n + c.pastRetention, 0);
  return {
    overdue,
    text: JSON.stringify({
      type: 'vigil.retention-check',
      version: 1,
      id,
      tenantId,
      performedAt: new Date(now).toISOString(),
      requirement:
        'PCI DSS v4.0.1 Req. 3.2.1: at least once every three months, verify that stored account data exceeding the defined retention period has been securely deleted or rendered unrecoverable',
      result:
        overdue === 0
          ? 'pass: nothing is kept past its retention period except what holds or unresolved conflicts keep'
          : `fail: ${overdue} records are past their retention period; run the purge`,
      overdue,
      categories,
      conflicts: plan.conflicts,
      gaps: plan.gaps,
      holds: holds
        .filter((h) => h.active)
        .map((h) => ({
          id: h.id,
          name: h.name,
          owner: h.owner,
          reason: h.reason,
          kind: h.kind,
          items: h.items,
          createdAt: new Date(h.createdAt).toISOString(),
          expiresAt: h.expiresAt === null ? null : new Date(h.expiresAt).toISOString(),
        })),
      lastPurge: lastRun
        ? {
            id: lastRun.id,
            status: lastRun.status,
            startedAt: new Date(Number(lastRun.started_at)).toISOString(),
            certificates: Number(lastRun.certificates),
          }
        : null,
      auditLog: plan.auditLog,
      signature: { algorithm: 'Ed25519', keyId },
    }),
  };
}

/**
 * The periodic compliance check: a dry run of the purge at `now`, signed and anchored in the audit
 * log, kept as evidence that nothing outlives its retention (and listing every hold that keeps data).
 */
export function createComplianceChecks(deps: CheckDeps) {
  return {
    async run(caller: Caller, now: number) {
      const plan = await deps.plan(caller, now);
      const holds = await deps.holds(caller.tenantId);
      const [lastRun] = await listRuns(deps.db, caller.tenantId, 1);
      const id = deps.ids.newId();
      const signer = deps.signer(caller.tenantId);
      const { overdue, text } = checkDocument(id, caller.tenantId, now, plan, holds, lastRun, signer.keyId);
      const bytes = Buffer.from(text, 'utf8');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await deps.db.transaction().execute(async (trx) => {
        const event = await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'retention.check',
          outcome: 'success',
          target: { type: 'retention_check', id },
          details: { sha256, overdue, keyId: signer.keyId },
        });
        await insertCheck(trx, {
          tenant_id: caller.tenantId,
          id,
          performed_at: now,
          document: text,
          sha256,
          signature: signer.sign(bytes).toString('base64'),
          key_id: signer.keyId,
          overdue,
          audit_event_id: event.id,
        });
      });
      return { id, overdue, sha256, document: text };
    },

    list: (tenantId: string, limit = 50) => listChecks(deps.db, tenantId, limit),

    async get(tenantId: string, id: string) {
      const row = await findCheck(deps.db, tenantId, id);
      if (!row) throw retentionError('CHECK_NOT_FOUND');
      return {
        id: row.id,
        document: row.document,
        sha256: row.sha256,
        signature: row.signature,
        keyId: row.key_id,
        auditEventId: row.audit_event_id,
      };
    },
  };
}

export type ComplianceChecks = ReturnType<typeof createComplianceChecks>;
