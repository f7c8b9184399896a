export { type Database, type Db, type OpenStorageOptions, openStorage, type Storage } from './database.ts';
export type {
  BulkReads,
  ColumnTypes,
  JsonArrayItem,
  RowDigester,
  StorageDialect,
} from './dialects/dialect.ts';
export { type MigrationStatus, migrateToLatest, migrationStatus } from './migrate.ts';
export type { VigilMigration } from './migrations/migration.ts';
export { GLOBAL_TABLES, TenantScopeError } from './tenant-guard.plugin.ts';
