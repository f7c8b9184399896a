import { hkdfSync } from 'node:crypto';
import type { AuditRecorder } from '../audit/index.ts';
import type { Logger } from '../logging/logger.ts';
import { type Clock, HOUR_MS, MINUTE_MS } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import type { Tenant } from '../tenancy/index.ts';
import { type AccessAdminService, createAccessAdminService } from './access.admin.service.ts';
import type { UserDirectory } from './access.directory.ts';
import {
  type AccessAlert,
  type AccessElevationService,
  createAccessElevationService,
} from './access.elevation.service.ts';
import { fieldsOf, scopeOf } from './access.engine.ts';
import { type AccessGate, type ConditionSources, createAccessGate } from './access.gate.ts';
import { closeDueReviews, expireElevations, startScheduledReviews } from './access.jobs.ts';
import type { FieldName, FieldVisibility } from './access.permissions.ts';
import { createReviewSigner, type ReviewSigner } from './access.review.export.ts';
import { type AccessReviewService, createAccessReviewService } from './access.review.service.ts';
import { type AccessCache, createAccessCache } from './access.store.ts';
import { type AccessTeamsService, createAccessTeamsService } from './access.teams.service.ts';
import type { AccessScope, DevicePostureSource, WorkforceStandingSource } from './access.types.ts';
import { createUsageTracker } from './access.usage.ts';

export interface AccessModuleDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'tryWithJobLock'>;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  logger: Logger;
  tenancy: { list(): Promise<Tenant[]> };
  directory: UserDirectory;
  /** The installation root key; only a purpose-bound derivation of it is kept. */
  rootKey: Buffer;
  /** How stale another node's change may be here, in ms (default 1000). */
  revalidateMs?: number;
  /** Where break-glass alerts go (default: an error-level log line with an `alert` field). */
  alert?: (alert: AccessAlert) => void;
}

/** Shaped like the scheduler's JobDefinition (jobs compose features, not the reverse). */
export interface AccessJob {
  name: string;
  intervalMs: number;
  run(context: { now: number; signal: AbortSignal }): Promise<Record<string, number | string>>;
}

export interface AccessModule {
  /** `authorize` for RequestSecurity, `check`/`holds` for services, `decisionFor(request)`. */
  gate: AccessGate;
  admin: AccessAdminService;
  teams: AccessTeamsService;
  elevations: AccessElevationService;
  reviews: AccessReviewService;
  cache: AccessCache;
  /** Which records a permission reaches for the caller (own, teams and queues, sampled, tenant). */
  scopeFor(principal: Principal, permission: string): Promise<AccessScope>;
  /** Which fields the caller sees unmasked, masked or not at all. */
  fieldsFor(principal: Principal): Promise<Readonly<Record<FieldName, FieldVisibility>>>;
  isKnownRole(tenantId: string, role: string): Promise<boolean>;
  registerDevicePostureSource(source: DevicePostureSource): void;
  registerWorkforceStandingSource(source: WorkforceStandingSource): void;
  reviewSigner(tenantId: string): ReviewSigner;
  jobs: AccessJob[];
}

function signerCache(rootKey: Buffer): (tenantId: string) => ReviewSigner {
  // Keep a purpose-bound derivation, not the root key; each tenant's seed derives from it.
  const purposeKey = Buffer.from(
    hkdfSync('sha256', rootKey, Buffer.alloc(0), 'vigil/access-review-signing/v1', 32),
  );
  const signers = new Map<string, ReviewSigner>();
  return (tenantId) => {
    let signer = signers.get(tenantId);
    if (!signer) {
      const seed = Buffer.from(hkdfSync('sha256', purposeKey, Buffer.from(tenantId), 'ed25519-seed', 32));
      signer = createReviewSigner(seed);
      seed.fill(0);
      signers.set(tenantId, signer);
    }
    return signer;
  };
}

/** The access jobs, at the intervals they need: expiry is visible within a minute, reviews hourly. */
function accessJobs(
  deps: Parameters<typeof expireElevations>[0] & Parameters<typeof startScheduledReviews>[0],
): AccessJob[] {
  const { reviews, audit, cache, ...jobBase } = deps;
  return [
    {
      name: 'access.expire-elevations',
      intervalMs: MINUTE_MS,
      run: async (run) => ({ ...(await expireElevations({ ...jobBase, audit, cache }, run)) }),
    },
    {
      name: 'access.start-reviews',
      intervalMs: HOUR_MS,
      run: async (run) => ({ ...(await startScheduledReviews({ ...jobBase, reviews }, run)) }),
    },
    {
      name: 'access.close-reviews',
      intervalMs: HOUR_MS,
      run: async (run) => ({ ...(await closeDueReviews({ ...jobBase, reviews }, run)) }),
    },
  ];
}

/** Builds access control: policy engine, gate, admin, teams, elevation, reviews and their jobs. */
export function createAccessModule(deps: AccessModuleDeps): AccessModule {
  const { db, clock, ids, audit, logger } = deps;
  const cache = createAccessCache({ db, clock, ids, revalidateMs: deps.revalidateMs ?? 1000 });
  const sources: ConditionSources = {};
  const gate = createAccessGate({
    db,
    clock,
    audit,
    logger,
    cache,
    usage: createUsageTracker({ db }),
    sources,
  });
  const admin = createAccessAdminService({ db, clock, ids, audit, cache, directory: deps.directory });
  const teams = createAccessTeamsService({ db, clock, ids, audit, cache, directory: deps.directory });
  const alert =
    deps.alert ??
    ((a: AccessAlert) =>
      logger.error(
        { alert: a.kind, tenantId: a.tenantId, elevationId: a.elevationId, role: a.role },
        'break-glass access opened',
      ));
  const elevations = createAccessElevationService({ db, clock, ids, audit, cache, logger, alert });
  const reviewSigner = signerCache(deps.rootKey);
  const reviews = createAccessReviewService({
    db,
    clock,
    ids,
    audit,
    logger,
    cache,
    directory: deps.directory,
    teams,
    elevations,
    signer: reviewSigner,
  });
  const jobBase = { db, dialect: deps.dialect, tenancy: deps.tenancy };
  return {
    gate,
    admin,
    teams,
    elevations,
    reviews,
    cache,
    async scopeFor(principal, permission) {
      return scopeOf(await cache.get(principal.tenantId), principal, permission, clock.now());
    },
    async fieldsFor(principal) {
      return fieldsOf(await cache.get(principal.tenantId), principal, clock.now());
    },
    isKnownRole: (tenantId, role) => admin.isKnownRole(tenantId, role),
    registerDevicePostureSource(source) {
      sources.device = source;
    },
    registerWorkforceStandingSource(source) {
      sources.workforce = source;
    },
    reviewSigner,
    jobs: accessJobs({ ...jobBase, audit, cache, reviews }),
  };
}
