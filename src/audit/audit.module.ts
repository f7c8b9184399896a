import { readFileSync } from 'node:fs';
import type { VigilConfig } from '../config/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Storage } from '../storage/index.ts';
import { type CheckpointService, createCheckpointService } from './audit.checkpoints.ts';
import { type AuditEventPage, findAuditEvents } from './audit.events.ts';
import {
  type AuditJob,
  CHECKPOINT_INTERVAL_MS,
  DELIVERY_INTERVAL_MS,
  runCheckpointJob,
} from './audit.jobs.ts';
import { deriveKey, tenantKeyCache } from './audit.key-wrap.ts';
import { type AuditProofs, createAuditProofs } from './audit.proofs.ts';
import type { AuditEventFilter } from './audit.queries.ts';
import { createAuditRecorder } from './audit.recorder.ts';
import { type AuditRetention, createAuditRetention } from './audit.retention.ts';
import { createAuditSigningKeys } from './audit.signing-keys.ts';
import { type AdvanceOptions, advanceAuditTree, type TreeAdvance } from './audit.tree.ts';
import type { AuditRecorder } from './audit.types.ts';
import { verifyAuditLog } from './audit.verify.ts';
import type { AuditVerifyReport, VerifyOptions } from './audit.verify-types.ts';
import { deliverAuditSinks } from './export/export.delivery.ts';
import { type AuditSinks, createAuditSinks } from './export/export.sinks.ts';

export interface AuditModuleDeps {
  config: Pick<VigilConfig, 'storage' | 'server'>;
  storage: Pick<Storage, 'db' | 'dialect'>;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** The installation root key; every audit key is derived from it and it is not kept. */
  rootKey: Buffer;
  /** Every tenant id (scheduled jobs visit each tenant's log). */
  listTenantIds(): Promise<string[]>;
  /** Syslog HOSTNAME and version stamped on exported events. */
  nodeName: string;
  /** Defaults to the version in package.json. */
  productVersion?: string;
}

/** Everything the audit log offers beyond `record()`; `vigil.audit` is one of these. */
export interface AuditModule extends AuditRecorder {
  /** The database the module writes to (callers recording outside a transaction pass it). */
  db: Storage['db'];
  /** Log identity of a tenant's tree, written in its checkpoints. */
  originFor(tenantId: string): string;
  advanceTree(tenantId: string, options?: AdvanceOptions): Promise<TreeAdvance>;
  checkpoints: CheckpointService;
  proofs: AuditProofs;
  findEvents(
    tenantId: string,
    filter: Omit<AuditEventFilter, 'beforeSeq'> & { cursor?: string; limit?: number },
  ): Promise<AuditEventPage>;
  verify(tenantId: string, options?: VerifyOptions): Promise<AuditVerifyReport>;
  /** Public keys checkpoints are signed with (signed-note verifier keys). */
  verifierKeys(): Promise<string[]>;
  retention: AuditRetention;
  /** SIEM and publication sinks (syslog, webhook, file). */
  sinks: AuditSinks;
  /** Scheduled jobs: `audit.checkpoint` (sign heads) and `audit.deliver` (feed sinks). */
  jobs: AuditJob[];
}

function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

// The signing key's name, fixed when the key is created: the public host when configured.
function signingKeyName(config: AuditModuleDeps['config']): string {
  const host = config.server.publicUrl ? new URL(config.server.publicUrl).host : undefined;
  return host ? `${host}/vigil-audit` : 'vigil-audit';
}

/** The feature's scheduled jobs, bound to their dependencies. */
function auditJobs(deps: AuditModuleDeps, checkpoints: CheckpointService, secretKey: Buffer): AuditJob[] {
  const { db, dialect } = deps.storage;
  const deliveryDeps = {
    db,
    dialect,
    clock: deps.clock,
    logger: deps.logger,
    secretKey,
    hostname: deps.nodeName.split(':')[0] ?? 'vigil',
    productVersion: deps.productVersion ?? packageVersion(),
    listTenantIds: deps.listTenantIds,
  };
  const checkpointDeps = { db, checkpoints, listTenantIds: deps.listTenantIds, logger: deps.logger };
  return [
    {
      name: 'audit.checkpoint',
      intervalMs: CHECKPOINT_INTERVAL_MS,
      run: (context) => runCheckpointJob(checkpointDeps, context),
    },
    {
      name: 'audit.deliver',
      intervalMs: DELIVERY_INTERVAL_MS,
      run: (context) => deliverAuditSinks(deliveryDeps, context),
    },
  ];
}

/** Builds the audit feature: recorder, tree, checkpoints, proofs, reading, verification, retention. */
export function createAuditModule(deps: AuditModuleDeps): AuditModule {
  const { db, dialect } = deps.storage;
  const eventMacKey = tenantKeyCache(deps.rootKey, 'vigil/audit-event-mac/v1');
  const recorder = createAuditRecorder({
    clock: deps.clock,
    ids: deps.ids,
    dialect,
    sensitiveKey: tenantKeyCache(deps.rootKey, 'vigil/audit-hmac/v1'),
    eventMacKey,
  });
  // Tenant ids are UUIDv7, so the origin is unique to this tenant's log worldwide.
  const originFor = (tenantId: string) => `vigil/audit/${tenantId}`;
  const signingKeys = createAuditSigningKeys({
    db,
    dialect,
    clock: deps.clock,
    ids: deps.ids,
    wrapKey: deriveKey(deps.rootKey, 'vigil/audit-signing-key-wrap/v1'),
    keyName: signingKeyName(deps.config),
  });
  const treeDeps = { db, dialect, clock: deps.clock, eventMacKey };
  const advanceTree = (tenantId: string, options?: AdvanceOptions) =>
    advanceAuditTree(treeDeps, tenantId, options);
  const checkpoints = createCheckpointService({
    db,
    dialect,
    clock: deps.clock,
    ids: deps.ids,
    logger: deps.logger,
    dataDir: deps.config.storage.dataDir,
    signingKeys,
    advance: advanceTree,
    originFor,
  });
  const secretKey = deriveKey(deps.rootKey, 'vigil/audit-sink-secret-wrap/v1');
  const jobs = auditJobs(deps, checkpoints, secretKey);
  const verifierDeps = {
    db,
    dialect,
    clock: deps.clock,
    dataDir: deps.config.storage.dataDir,
    signingKeys,
    eventMacKey,
    originFor,
  };
  return {
    db,
    record: recorder.record,
    recordMany: recorder.recordMany,
    originFor,
    advanceTree,
    checkpoints,
    proofs: createAuditProofs({ db, checkpoints }),
    findEvents: (tenantId, filter) => findAuditEvents(db, tenantId, filter),
    verify: (tenantId, options) => verifyAuditLog(verifierDeps, tenantId, options),
    verifierKeys: () => signingKeys.verifierKeys(),
    retention: createAuditRetention({ db, clock: deps.clock, recorder }),
    sinks: createAuditSinks({ db, clock: deps.clock, ids: deps.ids, recorder, secretKey }),
    jobs,
  };
}
