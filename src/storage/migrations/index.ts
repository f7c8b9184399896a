import { foundationMigration } from './0001-foundation.ts';
import { auditMigration } from './0002-audit.ts';
import { keysMigration } from './0003-keys.ts';
import { vaultMigration } from './0004-vault.ts';
import { identityMigration } from './0005-identity.ts';
import { auditTreeMigration } from './0006-audit-tree.ts';
import { accessMigration } from './0007-access.ts';
import { interactionsMigration } from './0008-interactions.ts';
import { retentionMigration } from './0009-retention.ts';
import { purgeIndexesMigration } from './0010-purge-indexes.ts';
import { findingsLayoutMigration } from './0011-findings-layout.ts';
import { auditTreeLayoutMigration } from './0012-audit-tree-layout.ts';
import { auditTreeLowLevelsMigration } from './0013-audit-tree-low-levels.ts';
import { subjectIdentifiersMigration } from './0014-subject-identifiers.ts';
import type { VigilMigration } from './migration.ts';

/** Every migration, in order. Add new ones at the end; never reorder or edit a shipped one. */
export const MIGRATIONS: readonly VigilMigration[] = [
  foundationMigration,
  auditMigration,
  keysMigration,
  vaultMigration,
  identityMigration,
  auditTreeMigration,
  accessMigration,
  interactionsMigration,
  retentionMigration,
  purgeIndexesMigration,
  findingsLayoutMigration,
  auditTreeLayoutMigration,
  auditTreeLowLevelsMigration,
  subjectIdentifiersMigration,
];
