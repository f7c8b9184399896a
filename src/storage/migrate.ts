import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import type { StorageDialect } from './dialects/dialect.ts';
import { MIGRATIONS } from './migrations/index.ts';

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

type MigratableStorage = { db: Kysely<any>; dialect: StorageDialect; schema?: string };

function createMigrator({ db, dialect, schema }: MigratableStorage): Migrator {
  const migrations = Object.fromEntries(
    MIGRATIONS.map((m) => [m.name, { up: (kdb: Kysely<any>) => m.up(kdb, dialect.types) }]),
  );
  // Kysely looks for its bookkeeping tables across schemas; name ours so parallel schemas never collide.
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Applies every pending migration in one ordered run; Kysely's migration lock serialises nodes. */
export async function migrateToLatest(storage: MigratableStorage): Promise<string[]> {
  const result: MigrationResultSet = await createMigrator(storage).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(result.error as Error).message}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrationStatus(storage: MigratableStorage): Promise<MigrationStatus> {
  const infos = await createMigrator(storage).getMigrations();
  return {
    applied: infos.filter((m) => m.executedAt).map((m) => m.name),
    pending: infos.filter((m) => !m.executedAt).map((m) => m.name),
  };
}
