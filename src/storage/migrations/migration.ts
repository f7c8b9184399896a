import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialects/dialect.ts';

/**
 * A versioned, dialect-neutral migration. Column types that differ between SQLite and
 * PostgreSQL come from `types`; everything else uses Kysely's schema builder. Migrations only
 * ever move forward: a deployed migration is never edited, a new one is added.
 */
export interface VigilMigration {
  name: string;
  up(db: Kysely<any>, types: ColumnTypes): Promise<void>;
}
