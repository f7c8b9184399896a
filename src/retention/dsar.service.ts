import { createHash } from 'node:crypto';
import type { AuditRecorder } from '../audit/index.ts';
import type { Keyring } from '../crypto/index.ts';
import type { InteractionsLifecycle } from '../interactions/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { SubjectIdentifiers, SubjectsService } from '../subjects/index.ts';
import { type ErasureDeps, type ErasureOutcome, eraseSubject } from './dsar.erase.ts';
import { type AccessExport, collectSubjects, EXPORT_NOTES, exportHtml } from './dsar.export.ts';
import { findCase, insertCase, listCases, updateCase } from './dsar.queries.ts';
import { type DsarCase, toCase } from './dsar.view.ts';
import { actorLabel, auditFrom, type Caller } from './retention.caller.ts';
import { caseDeadlines } from './retention.deadlines.ts';
import { retentionError } from './retention.errors.ts';
import type { LegalHolds } from './retention.holds.ts';
import type { DsarKind } from './retention.packs.ts';
import { scopeOfRegion } from './retention.rules.ts';
import type { DsarCasesTable } from './retention.tables.ts';

export interface DsarDeps extends ErasureDeps {
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  subjects: ErasureDeps['subjects'] & Pick<SubjectsService, 'find' | 'setRegion'>;
  lifecycle: ErasureDeps['lifecycle'] & Pick<InteractionsLifecycle, 'exportSubject'>;
  keys: ErasureDeps['keys'] & Pick<Keyring, 'subjectKeyState'>;
  holds: ErasureDeps['holds'] & Pick<LegalHolds, 'heldAmong'>;
}

export interface OpenCaseInput {
  kind: DsarKind;
  identifier: SubjectIdentifiers;
  /** When the request reached the organisation (deadlines run from here); defaults to now. */
  receivedAt?: number;
  /** The requester's jurisdiction region (e.g. `CA-QC`), when known; recorded on their customer record. */
  region?: string;
  note?: string;
}

function identifiedBy(identifier: SubjectIdentifiers): 'phone' | 'email' | 'customer_ref' {
  const given = (['phone', 'email', 'customerRef'] as const).filter(
    (k) => identifier[k] !== undefined && identifier[k] !== '',
  );
  if (given.length !== 1) throw retentionError('IDENTIFIER_REQUIRED');
  return given[0] === 'customerRef' ? 'customer_ref' : given[0]!;
}

/** Data-subject requests: open with deadlines from the jurisdiction packs, export, erase, extend, close. */
export function createDsarService(deps: DsarDeps) {
  const { db, clock } = deps;

  async function load(tenantId: string, id: string): Promise<DsarCasesTable> {
    const row = await findCase(db, tenantId, id);
    if (!row) throw retentionError('CASE_NOT_FOUND');
    return row;
  }

  const view = (row: DsarCasesTable) => toCase(deps.packs, row, clock.now());

  async function runErasure(caller: Caller, row: DsarCasesTable, journal: boolean): Promise<ErasureOutcome> {
    const now = clock.now();
    const subjects = [];
    const certificates: string[] = [];
    for (const subjectId of JSON.parse(row.subject_ids) as string[]) {
      const result = await eraseSubject(deps, caller, {
        caseId: row.id,
        subjectId,
        region: row.region,
        now,
        journal,
      });
      certificates.push(...result.certificates);
      const { certificates: _c, ...rest } = result;
      subjects.push(rest);
    }
    return {
      subjects,
      certificates,
      complete: subjects.every((s) => !s.found || (s.erased && s.kept.length === 0)),
    };
  }

  return {
    async open(caller: Caller, input: OpenCaseInput): Promise<DsarCase> {
      const by = identifiedBy(input.identifier);
      const now = clock.now();
      const receivedAt = input.receivedAt ?? now;
      if (receivedAt > now) throw retentionError('RECEIVED_IN_FUTURE');
      const subjects = (await deps.subjects.find(db, caller.tenantId, input.identifier)).filter(
        (s) => s.erasedAt === null,
      );
      const region = input.region ?? subjects.find((s) => s.region !== null)?.region ?? null;
      const evaluation = await deps.evaluate(caller.tenantId);
      const { packs } = scopeOfRegion(evaluation.assignment, region);
      const deadlines = caseDeadlines(deps.packs, packs, input.kind, receivedAt);
      const id = deps.ids.newId();
      const row: DsarCasesTable = {
        tenant_id: caller.tenantId,
        id,
        kind: input.kind,
        status: 'open',
        identified_by: by,
        subject_ids: JSON.stringify(subjects.map((s) => s.id)),
        region,
        packs: JSON.stringify(packs),
        received_at: receivedAt,
        due_at: deadlines.dueAt,
        max_extended_due_at: deadlines.maxExtendedDueAt,
        extended_due_at: null,
        extension_reason: null,
        opened_at: now,
        opened_by: actorLabel(caller),
        exported_at: null,
        closed_at: null,
        closed_by: null,
        outcome: null,
        note: input.note ?? null,
      };
      await db.transaction().execute(async (trx) => {
        if (input.region)
          for (const s of subjects)
            if (s.region === null) await deps.subjects.setRegion(trx, caller.tenantId, s.id, input.region);
        await insertCase(trx, row);
        await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'dsar.case.open',
          outcome: 'success',
          target: { type: 'dsar_case', id },
          details: {
            kind: input.kind,
            identifiedBy: by,
            subjects: subjects.length,
            dueAt: deadlines.dueAt === null ? null : new Date(deadlines.dueAt).toISOString(),
            packs: packs.join(','),
          },
          sensitive: Object.fromEntries(
            Object.entries(input.identifier).filter(([, v]) => typeof v === 'string'),
          ) as Record<string, string>,
        });
      });
      return view(row);
    },

    get: async (tenantId: string, id: string) => view(await load(tenantId, id)),

    async list(
      tenantId: string,
      f: { statuses?: string[]; beforeId?: string; limit?: number } = {},
    ): Promise<DsarCase[]> {
      return (await listCases(db, tenantId, { ...f, limit: f.limit ?? 100 })).map(view);
    },

    /** Uses the extension the packs allow (once), up to the earliest date every pack still accepts. */
    async extend(caller: Caller, id: string, reason: string): Promise<DsarCase> {
      const row = await load(caller.tenantId, id);
      if (row.status !== 'open') throw retentionError('CASE_CLOSED');
      if (
        row.extended_due_at !== null ||
        row.max_extended_due_at === null ||
        Number(row.max_extended_due_at) <= Number(row.due_at)
      )
        throw retentionError('EXTENSION_NOT_ALLOWED');
      const fields = { extended_due_at: Number(row.max_extended_due_at), extension_reason: reason };
      await db.transaction().execute(async (trx) => {
        await updateCase(trx, caller.tenantId, id, fields);
        await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'dsar.case.extend',
          outcome: 'success',
          target: { type: 'dsar_case', id },
          reason,
          details: { extendedDueAt: new Date(fields.extended_due_at).toISOString() },
        });
      });
      return view({ ...row, ...fields });
    },

    async close(
      caller: Caller,
      id: string,
      input: { outcome: 'completed' | 'rejected'; note?: string },
    ): Promise<DsarCase> {
      const row = await load(caller.tenantId, id);
      if (row.status === 'completed' || row.status === 'rejected') throw retentionError('CASE_CLOSED');
      const fields = {
        status: input.outcome,
        closed_at: clock.now(),
        closed_by: actorLabel(caller),
        note: input.note ?? row.note,
      };
      await db.transaction().execute(async (trx) => {
        await updateCase(trx, caller.tenantId, id, fields);
        await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'dsar.case.close',
          outcome: 'success',
          target: { type: 'dsar_case', id },
          details: { result: input.outcome },
        });
      });
      return view({ ...row, ...fields });
    },

    /** The access export (JSON, or a readable HTML page); producing it is audited with its SHA-256. */
    async export(
      caller: Caller,
      id: string,
      format: 'json' | 'html',
    ): Promise<{ contentType: string; body: string; sha256: string }> {
      const row = await load(caller.tenantId, id);
      if (row.kind !== 'access') throw retentionError('CASE_KIND_MISMATCH');
      const data: AccessExport = {
        type: 'vigil.dsar-export',
        version: 1,
        caseId: row.id,
        tenantId: caller.tenantId,
        receivedAt: new Date(Number(row.received_at)).toISOString(),
        generatedAt: new Date(clock.now()).toISOString(),
        generatedBy: actorLabel(caller),
        subjects: await collectSubjects(
          deps,
          caller.tenantId,
          JSON.parse(row.subject_ids) as string[],
          clock.now(),
        ),
        notes: EXPORT_NOTES,
      };
      const body = format === 'html' ? exportHtml(data) : JSON.stringify(data, null, 2);
      const sha256 = createHash('sha256').update(body, 'utf8').digest('hex');
      await db.transaction().execute(async (trx) => {
        await updateCase(trx, caller.tenantId, id, { exported_at: clock.now() });
        await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'dsar.export',
          outcome: 'success',
          target: { type: 'dsar_case', id },
          details: {
            format,
            sha256,
            subjects: data.subjects.length,
            interactions: data.subjects.reduce((n, s) => n + s.interactions.length, 0),
          },
        });
      });
      return {
        contentType: format === 'html' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
        body,
        sha256,
      };
    },

    /** Erases everything of the request's customers that no hold or legal minimum keeps; reports what was kept and why. */
    async erase(caller: Caller, id: string): Promise<DsarCase> {
      const row = await load(caller.tenantId, id);
      if (row.kind !== 'erasure') throw retentionError('CASE_KIND_MISMATCH');
      if (row.status !== 'open' && row.status !== 'awaiting') throw retentionError('CASE_CLOSED');
      return view(await finishErasure(caller, row, row.status === 'open'));
    },

    /** Job: erasures that kept something for a hold or a legal minimum are completed once those lapse. */
    async completeAwaiting(caller: Caller): Promise<number> {
      let completed = 0;
      for (const row of await listCases(db, caller.tenantId, { statuses: ['awaiting'], limit: 500 })) {
        if ((await finishErasure(caller, row, false)).status === 'completed') completed++;
      }
      return completed;
    },
  };

  async function finishErasure(
    caller: Caller,
    row: DsarCasesTable,
    journal: boolean,
  ): Promise<DsarCasesTable> {
    const outcome = await runErasure(caller, row, journal);
    const now = clock.now();
    const fields = {
      status: outcome.complete ? 'completed' : 'awaiting',
      outcome: JSON.stringify(outcome),
      ...(outcome.complete ? { closed_at: now, closed_by: actorLabel(caller) } : {}),
    };
    await db.transaction().execute(async (trx) => {
      await updateCase(trx, caller.tenantId, row.id, fields);
      await deps.audit.record(trx, {
        ...auditFrom(caller),
        action: 'dsar.erasure',
        outcome: 'success',
        target: { type: 'dsar_case', id: row.id },
        details: {
          complete: outcome.complete,
          deleted: outcome.subjects.reduce((n, s) => n + s.deleted, 0),
          anonymized: outcome.subjects.reduce((n, s) => n + s.anonymized, 0),
          kept: outcome.subjects.reduce((n, s) => n + s.kept.length, 0),
          certificates: outcome.certificates.length,
        },
      });
    });
    return { ...row, ...fields };
  }
}

export type DsarService = ReturnType<typeof createDsarService>;
