import type { AuditModule } from '../audit/index.ts';
import type { Keyring } from '../crypto/index.ts';
import type { InteractionsLifecycle } from '../interactions/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Storage } from '../storage/index.ts';
import type { SubjectsService } from '../subjects/index.ts';
import type { VaultRetention } from '../vault/index.ts';
import type { ErasureDeps } from './dsar.erase.ts';
import { createDsarService } from './dsar.service.ts';
import type { Caller } from './retention.caller.ts';
import { certificateSigners, createCertificates } from './retention.certificates.ts';
import { listRuns } from './retention.disposal.queries.ts';
import { createLegalHolds } from './retention.holds.ts';
import { createErasureJournal } from './retention.journal.ts';
import { builtinPacks, type PackRegistry } from './retention.packs.ts';
import { type FullPurgeDeps, purgeTenant } from './retention.purge.ts';
import { createComplianceChecks } from './retention.report.ts';
import { createPurgeRunner } from './retention.runner.ts';
import { createRetentionSettings } from './retention.settings.ts';

export interface RetentionModuleDeps {
  storage: Pick<Storage, 'db' | 'dialect'>;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  audit: AuditModule;
  keys: Pick<
    Keyring,
    'scheduleSubjectKeysDestruction' | 'cancelSubjectKeyDestruction' | 'subjectKeyState' | 'subjectKeyStates'
  >;
  subjects: SubjectsService;
  lifecycle: InteractionsLifecycle;
  vault: VaultRetention;
  listTenantIds(): Promise<string[]>;
  /** The installation secret: certificate signing keys and the journal MAC key derive from it. */
  secret: Buffer;
  /** Where the erasure journal lives: outside the database, and out of the database's backups. */
  journalDir: string;
  packs?: PackRegistry;
}

/** Retention policies, legal holds, purge with disposal certificates, DSARs, compliance checks. */
export function createRetentionModule(deps: RetentionModuleDeps) {
  const { db, dialect } = deps.storage;
  const packs = deps.packs ?? builtinPacks();
  const settings = createRetentionSettings({
    db,
    clock: deps.clock,
    ids: deps.ids,
    audit: deps.audit,
    packs,
  });
  const holds = createLegalHolds({
    db,
    dialect,
    clock: deps.clock,
    ids: deps.ids,
    audit: deps.audit,
    findSubjects: (conn, tenantId, identifier) => deps.subjects.find(conn, tenantId, identifier),
  });
  const signer = certificateSigners(deps.secret);
  const certificates = createCertificates({
    db,
    clock: deps.clock,
    ids: deps.ids,
    audit: deps.audit,
    signer,
  });
  const journal = createErasureJournal({ directory: deps.journalDir, secret: deps.secret, dialect });
  const evaluate = (tenantId: string) => settings.evaluate(tenantId);
  const common = {
    db,
    dialect,
    clock: deps.clock,
    packs,
    lifecycle: deps.lifecycle,
    subjects: deps.subjects,
    keys: deps.keys,
    vault: deps.vault,
    holds,
    certificates,
    evaluate,
  };
  const purgeDeps: FullPurgeDeps = {
    ...common,
    ids: deps.ids,
    logger: deps.logger,
    audit: deps.audit,
    auditRetention: deps.audit.retention,
  };
  const erasureDeps: ErasureDeps = { ...common, journal, audit: deps.audit };
  const dsar = createDsarService({ ...common, journal, ids: deps.ids, audit: deps.audit });
  const plan = (caller: Caller, now = deps.clock.now(), planLimit?: number) =>
    purgeTenant(purgeDeps, caller.tenantId, {
      mode: 'plan',
      caller,
      trigger: 'api',
      now,
      ...(planLimit !== undefined ? { planLimit } : {}),
    });
  const checks = createComplianceChecks({
    db,
    ids: deps.ids,
    audit: deps.audit,
    signer,
    plan: (caller, now) => plan(caller, now),
    holds: (tenantId) => holds.list(tenantId),
  });

  const runner = createPurgeRunner({
    db,
    dialect,
    clock: deps.clock,
    logger: deps.logger,
    audit: deps.audit,
    journal,
    purgeDeps,
    erasureDeps,
    dsar,
    checks,
    listTenantIds: deps.listTenantIds,
  });

  return {
    packs,
    settings,
    holds,
    certificates,
    dsar,
    checks,
    jobs: runner.jobs,
    replayJournal: runner.replayJournal,
    /** Dry run: what would go now and why, and what holds or conflicts keep. */
    plan,
    /** Purges one tenant now (CLI, API), exclusive with the scheduled purge on every node. */
    run: runner.run,
    runs: (tenantId: string, limit = 20) => listRuns(db, tenantId, limit),
    /** Runs the compliance check now and stores its signed evidence. */
    checkNow: (caller: Caller) => checks.run(caller, deps.clock.now()),
  };
}

export type RetentionModule = ReturnType<typeof createRetentionModule>;
