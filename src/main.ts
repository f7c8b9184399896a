import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { type AuditModule, createAuditModule } from './audit/index.ts';
import type { VigilConfig } from './config/index.ts';
import { loadRootKey } from './crypto/root-key.ts';
import { buildApp, type HttpModule } from './http/build-app.ts';
import type { HealthChecks } from './http/health.routes.ts';
import { createMetrics, type HttpMetrics } from './http/metrics.ts';
import type { RequestSecurity } from './http/route-access.ts';
import { createScheduler, type JobDefinition, type Scheduler } from './jobs/index.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { AppError } from './shared/errors.ts';
import { createIdGenerator, type IdGenerator } from './shared/ids.ts';
import {
  migrateToLatest,
  migrationStatus,
  type OpenStorageOptions,
  openStorage,
  type Storage,
} from './storage/index.ts';
import { createTenancyService, type TenancyService } from './tenancy/index.ts';

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
}

export async function openVigil(
  config: Readonly<VigilConfig>,
  options: OpenVigilOptions = {},
): Promise<Vigil> {
  const logger = options.logger ?? createLogger({ level: config.logging.level });
  const clock = options.clock ?? systemClock;
  const ids = createIdGenerator(clock);
  const rootKey = loadRootKey(config);
  const storage = openStorage(config, options.storage);
  try {
    if (options.migrate !== false) {
      const applied = await migrateToLatest(storage);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    const tenancy = createTenancyService({ db: storage.db, clock, ids });
    if (options.migrate !== false) await tenancy.ensureDefault();
    const audit = createAuditModule({ config, storage, clock, ids, logger, rootKey });
    return {
      config,
      logger,
      clock,
      ids,
      storage,
      metrics: createMetrics(storage.dialect),
      nodeName: `${hostname()}:${process.pid}`,
      tenancy,
      audit,
      jobs: [],
      close: () => storage.close(),
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
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

/** Until an identity provider is composed in, nobody is authenticated: every non-public route is refused. */
const noIdentity: RequestSecurity = {
  authenticate: async () => null,
  authorize: async () => {
    throw new AppError('FORBIDDEN', 'forbidden', 'not permitted');
  },
};

function httpModules(_vigil: Vigil): HttpModule[] {
  return [];
}

export function buildHttpApp(vigil: Vigil): Promise<FastifyInstance> {
  return buildApp({
    config: vigil.config,
    logger: vigil.logger,
    metrics: vigil.metrics,
    health: healthChecks(vigil),
    security: noIdentity,
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
