import path from 'node:path';
import type { Kysely } from 'kysely';
import type { AccessTables } from '../access/access.tables.ts';
import type { AuditTables } from '../audit/audit.tables.ts';
import type { VigilConfig } from '../config/index.ts';
import type { CryptoTables } from '../crypto/crypto.tables.ts';
import type { IdentityTables } from '../identity/identity.tables.ts';
import type { IntegrationsTables } from '../integrations/integrations.tables.ts';
import type { InteractionsTables } from '../interactions/interactions.tables.ts';
import type { RetentionTables } from '../retention/retention.tables.ts';
import type { SubjectsTables } from '../subjects/subjects.tables.ts';
import type { VaultTables } from '../vault/vault.tables.ts';
import type { StorageDialect } from './dialects/dialect.ts';
import { openPostgres } from './dialects/postgres.ts';
import { openSqlite } from './dialects/sqlite.ts';
import type { FoundationTables } from './storage.tables.ts';
import { TenantGuardPlugin } from './tenant-guard.plugin.ts';

/** The whole schema, one interface per feature's tables. */
export interface Database
  extends FoundationTables,
    AuditTables,
    CryptoTables,
    VaultTables,
    AccessTables,
    IdentityTables,
    InteractionsTables,
    SubjectsTables,
    IntegrationsTables,
    RetentionTables {}

export type Db = Kysely<Database>;

export interface Storage {
  db: Db;
  dialect: StorageDialect;
  /** PostgreSQL schema in use when not the default search path. */
  schema?: string;
  close(): Promise<void>;
}

export interface OpenStorageOptions {
  /** PostgreSQL schema (search_path) to use; tests isolate each file in its own. */
  postgresSchema?: string;
  /** SQLite file; defaults to DATA_DIR/vigil.db. */
  sqliteFile?: string;
}

/** Opens the configured database: PostgreSQL when VIGIL_DATABASE_URL is set, else embedded SQLite. */
export function openStorage(config: Pick<VigilConfig, 'storage'>, options: OpenStorageOptions = {}): Storage {
  const { storage } = config;
  const opened = storage.databaseUrl
    ? openPostgres({
        url: storage.databaseUrl,
        poolMax: storage.poolMax,
        sslMode: storage.sslMode,
        ...(storage.sslCaFile ? { sslCaFile: storage.sslCaFile } : {}),
        ...(options.postgresSchema ? { schema: options.postgresSchema } : {}),
      })
    : openSqlite({
        file: options.sqliteFile ?? path.join(storage.dataDir, 'vigil.db'),
        synchronous: storage.sqliteSynchronous,
      });
  const db = (opened.db as Kysely<Database>).withPlugin(new TenantGuardPlugin());
  return {
    db,
    dialect: opened.dialect,
    ...(storage.databaseUrl && options.postgresSchema ? { schema: options.postgresSchema } : {}),
    close: () => opened.dialect.destroy(),
  };
}
