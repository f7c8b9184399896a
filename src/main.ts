import { hkdfSync, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  type AccessModule,
  accessHttpModule,
  createAccessModule,
  directoryFromIdentity,
  MFA_REQUIRED_ROLES,
} from './access/index.ts';
import { type AuditModule, auditHttpModule, createAuditModule } from './audit/index.ts';
import { createDataPath, type DataPath, readContextOf } from './composition/data-path.ts';
import type { VigilConfig } from './config/index.ts';
import {
  createKeyring,
  type Keyring,
  loadInstallationSecret,
  loadRootKeyProvider,
  type RootKeyProvider,
} from './crypto/index.ts';
import { buildApp, type HttpModule } from './http/build-app.ts';
import { consoleHttpModule } from './http/console.ts';
import type { HealthChecks } from './http/health.routes.ts';
import { createMetrics, type HttpMetrics } from './http/metrics.ts';
import type { RequestSecurity } from './http/route-access.ts';
import { composeSecurity, createIdentityModule, type IdentityModule } from './identity/index.ts';
import { integrationsHttpModule } from './integrations/index.ts';
import { createScheduler, type JobDefinition, type Scheduler } from './jobs/index.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import {
  createRetentionModule,
  dsarHttpModule,
  type RetentionModule,
  retentionHttpModule,
} from './retention/index.ts';
import { type Clock, DAY_MS, systemClock } from './shared/clock.ts';
import { createIdGenerator, type IdGenerator } from './shared/ids.ts';
import {
  migrateToLatest,
  migrationStatus,
  type OpenStorageOptions,
  openStorage,
  type Storage,
} from './storage/index.ts';
import { createTenancyService, type TenancyService } from './tenancy/index.ts';
import {
  createVaultHttpModule,
  createVaultRetention,
  createVaultService,
  type VaultService,
} from './vault/index.ts';

/**
 * The composition root: the server, the CLI and the tests all build Vigil here, so every path
 * runs the same services with the same audit and security rules.
 */
export interface Vigil {
  config: Readonly<VigilConfig>;
  logger: Logger;
  clock: Clock;
  ids: IdGenerator;
  storage: Storage;
  metrics: HttpMetrics;
  nodeName: string;
  tenancy: TenancyService;
  audit: AuditModule;
  /** Keyring: field encryption, blind indexes, key rotation, crypto-shredding. */
  keys: Keyring;
  /** Users, passwords, MFA, sessions, SSO and API keys; `authenticate` of RequestSecurity. */
  identity: IdentityModule;
  /** Roles, conditions, elevation, access reviews; `authorize` of RequestSecurity. */
  access: AccessModule;
  /** PCI card vault: tokenize, detokenize with a reason. */
  vault: VaultService;
  /** Data subjects, webhook secrets, and the interactions data path (ingest, read, recordings, lifecycle). */
  subjects: DataPath['subjects'];
  integrations: DataPath['integrations'];
  interactions: DataPath['interactions'];
  /** Retention policies and purge, legal holds, disposal certificates, data-subject requests. */
  retention: RetentionModule;
  /** Scheduled jobs of every feature; `vigil serve` runs them, `vigil jobs run` runs one now. */
  jobs: JobDefinition[];
  close(): Promise<void>;
}

export interface OpenVigilOptions {
  clock?: Clock;
  logger?: Logger;
  storage?: OpenStorageOptions;
  /** Apply pending migrations on open (the server does; `vigil doctor` does not). */
  migrate?: boolean;
  /** Root key provider to use instead of the configured one (`vigil keys rotate --root` with the env provider). */
  rootKeyProvider?: RootKeyProvider;
}

export async function openVigil(
  config: Readonly<VigilConfig>,
  options: OpenVigilOptions = {},
): Promise<Vigil> {
  const logger = options.logger ?? createLogger({ level: config.logging.level });
  const clock = options.clock ?? systemClock;
  const ids = createIdGenerator(clock);
  const provider = options.rootKeyProvider ?? loadRootKeyProvider(config);
  const storage = openStorage(config, options.storage);
  try {
    if (options.migrate !== false) {
      const applied = await migrateToLatest(storage);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    const tenancy = createTenancyService({ db: storage.db, clock, ids });
    if (options.migrate !== false) await tenancy.ensureDefault();
    const rootKey = await installationSecret(storage, provider, clock, options.migrate !== false);
    const nodeName = `${hostname()}:${process.pid}`;
    const audit = createAuditModule({
      config,
      storage,
      clock,
      ids,
      logger,
      rootKey,
      nodeName,
      listTenantIds: async () => (await tenancy.list()).map((t) => t.id),
    });
    const keys = createKeyring({
      db: storage.db,
      dialect: storage.dialect,
      clock,
      ids,
      provider,
      audit,
      subjectDestructionWindowMs: config.keys.subjectDestructionDays * DAY_MS,
    });
    const identity = createIdentityModule({
      config,
      db: storage.db,
      clock,
      ids,
      logger,
      audit,
      tenancy,
      secretKey: perTenantKey(rootKey, 'vigil/identity/v1'),
      mandatoryMfaRoles: MFA_REQUIRED_ROLES,
      // Identity stores which roles a user holds; access says which role names exist.
      isKnownRole: (tenantId, role) => access.isKnownRole(tenantId, role),
    });
    const access = createAccessModule({
      db: storage.db,
      dialect: storage.dialect,
      clock,
      ids,
      audit,
      logger,
      tenancy,
      directory: directoryFromIdentity(identity.users),
      rootKey,
    });
    const vault = createVaultService({
      db: storage.db,
      dialect: storage.dialect,
      clock,
      ids,
      keys,
      audit,
      authorize: (principal, permission, context) => access.gate.holds(principal, permission, context),
    });
    const dataPath = createDataPath({ config, storage, clock, ids, audit, keys, vault });
    const retention = createRetentionModule({
      storage,
      clock,
      ids,
      logger,
      audit,
      keys,
      subjects: dataPath.subjects,
      lifecycle: dataPath.interactions.lifecycle,
      vault: createVaultRetention(),
      listTenantIds: async () => (await tenancy.list()).map((t) => t.id),
      secret: rootKey,
      // Outside the database: a restored backup is brought up to date from it (see docs/retention.md).
      journalDir: path.join(config.storage.dataDir, 'erasure-journal'),
    });
    return {
      config,
      logger,
      clock,
      ids,
      storage,
      metrics: createMetrics(storage.dialect),
      nodeName,
      tenancy,
      audit,
      keys,
      identity,
      access,
      vault,
      subjects: dataPath.subjects,
      integrations: dataPath.integrations,
      interactions: dataPath.interactions,
      retention,
      jobs: [...keys.jobs(), ...audit.jobs, ...identity.jobs(), ...access.jobs, ...retention.jobs],
      close: async () => {
        await dataPath.interactions.close();
        keys.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}

/** Per-tenant keys derived from the installation secret with HKDF-SHA-256, one purpose per info string. */
function perTenantKey(secret: Buffer, purpose: string): (tenantId: string) => Buffer {
  const cache = new Map<string, Buffer>();
  return (tenantId) => {
    let key = cache.get(tenantId);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', secret, Buffer.from(tenantId), Buffer.from(purpose), 32));
      cache.set(tenantId, key);
    }
    return key;
  };
}

/**
 * The secret features derive their keys from (audit MACs, identity secrets): the installation
 * secret, wrapped by the root key, so a root key rotation leaves every derived key unchanged.
 * Opened without migrations on a database without the keys table (only `vigil migrate` does
 * that), nothing keyed is written; an ephemeral secret makes any such write fail verification
 * rather than quietly depend on the root key.
 */
async function installationSecret(
  storage: Storage,
  provider: RootKeyProvider,
  clock: Clock,
  migrated: boolean,
): Promise<Buffer> {
  if (!migrated && (await migrationStatus(storage)).pending.includes('0003-keys')) return randomBytes(32);
  return loadInstallationSecret(storage.db, provider, clock);
}

function healthChecks(vigil: Vigil): HealthChecks {
  return {
    async readiness() {
      try {
        await vigil.storage.dialect.ping(vigil.storage.db);
        const { pending } = await migrationStatus(vigil.storage);
        return { ready: pending.length === 0, database: 'ok', pendingMigrations: pending.length };
      } catch {
        return { ready: false, database: 'unreachable', pendingMigrations: -1 };
      }
    },
  };
}

/** Who is calling (identity) and whether they may (access control's policy decision). */
function requestSecurity(vigil: Vigil): RequestSecurity {
  return composeSecurity(vigil.identity, vigil.access.gate.authorize);
}

function httpModules(vigil: Vigil): HttpModule[] {
  return [
    consoleHttpModule(),
    auditHttpModule(vigil.audit),
    vigil.identity.httpModule(),
    accessHttpModule(vigil.access),
    createVaultHttpModule(vigil.vault),
    vigil.interactions.http((request) => readContextOf(vigil.access, request)),
    integrationsHttpModule(vigil.integrations),
    retentionHttpModule(vigil.retention),
    dsarHttpModule(vigil.retention.dsar),
  ];
}

export function buildHttpApp(vigil: Vigil): Promise<FastifyInstance> {
  return buildApp({
    config: vigil.config,
    logger: vigil.logger,
    metrics: vigil.metrics,
    health: healthChecks(vigil),
    security: requestSecurity(vigil),
    modules: httpModules(vigil),
  });
}

/** The scheduler over every feature's jobs, exclusive across nodes. */
export function createVigilScheduler(vigil: Vigil): Scheduler {
  return createScheduler(
    {
      storage: vigil.storage,
      clock: vigil.clock,
      ids: vigil.ids,
      logger: vigil.logger,
      nodeName: vigil.nodeName,
    },
    vigil.jobs,
  );
}
