/**
 * Retention, legal holds and data-subject requests. None of these tables holds personal data in
 * the clear: customers appear only as opaque subject ids, identifiers only as audit HMACs.
 */

/** Which jurisdiction packs apply: the tenant-wide row has segment '' and no regions. */
export interface RetentionAssignmentsTable {
  tenant_id: string;
  segment: string;
  /** JSON array of region codes matched against subjects.region. */
  regions: string;
  /** JSON array of pack ids. */
  packs: string;
  updated_at: number;
  updated_by: string;
}

export interface RetentionPoliciesTable {
  tenant_id: string;
  id: string;
  category: string;
  /** Pack id, or '' for every customer (a unique key cannot hold NULL the same way on both dialects). */
  jurisdiction: string;
  max_age_days: number;
  action: string;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

export interface RetentionHoldsTable {
  tenant_id: string;
  id: string;
  /** subject: a customer; interactions: a set of ids; query: records matching a filter. */
  kind: string;
  name: string;
  reason: string;
  owner: string;
  /** JSON filter of a query hold; null for the other kinds. */
  query: string | null;
  created_at: number;
  created_by: string;
  expires_at: number | null;
  released_at: number | null;
  released_by: string | null;
  release_reason: string | null;
}

export interface RetentionHoldItemsTable {
  tenant_id: string;
  hold_id: string;
  /** subject or interaction. */
  ref_kind: string;
  ref: string;
}

export interface RetentionRunsTable {
  tenant_id: string;
  id: string;
  trigger: string;
  actor: string;
  started_at: number;
  /** The instant ages are measured from. */
  reference_at: number;
  finished_at: number | null;
  /** running, completed, failed, interrupted (found running by a later run: the process died). */
  status: string;
  /** JSON counts. */
  report: string | null;
  certificates: number;
}

export interface RetentionCertificatesTable {
  tenant_id: string;
  id: string;
  /** The purge run or DSAR case that disposed of the records. */
  origin_kind: string;
  origin_id: string;
  sequence: number;
  issued_at: number;
  /** The signed JSON document, byte for byte. */
  document: string;
  sha256: string;
  signature: string;
  key_id: string;
  item_count: number;
  audit_event_id: string;
}

/** Recording files of disposed interactions still to remove from the store (after the commit). */
export interface RetentionPendingFilesTable {
  tenant_id: string;
  interaction_id: string;
  certificate_id: string;
  created_at: number;
}

/** Subject keys retention scheduled for destruction, rechecked before the window passes. */
export interface RetentionSubjectShredsTable {
  tenant_id: string;
  subject_id: string;
  origin_kind: string;
  origin_id: string;
  scheduled_at: number;
  destroy_after: number;
  /** scheduled, cancelled (data reappeared), done (the window passed with nothing left). */
  status: string;
  checked_at: number;
}

/** Signed evidence of the periodic check that nothing is kept past its retention (PCI DSS 3.2.1). */
export interface RetentionChecksTable {
  tenant_id: string;
  id: string;
  performed_at: number;
  document: string;
  sha256: string;
  signature: string;
  key_id: string;
  overdue: number;
  audit_event_id: string;
}

/** How far this database has applied the erasure journal kept outside it. */
export interface RetentionJournalStateTable {
  tenant_id: string;
  applied_seq: number;
  updated_at: number;
}

export interface DsarCasesTable {
  tenant_id: string;
  id: string;
  kind: string;
  /** open, awaiting (erasure waiting for a hold or legal minimum), completed, rejected. */
  status: string;
  /** phone, email or customer_ref: how the requester was identified (never the value itself). */
  identified_by: string;
  /** JSON array of subject ids found through the blind indexes. */
  subject_ids: string;
  region: string | null;
  /** JSON array of the pack ids the deadlines come from. */
  packs: string;
  received_at: number;
  due_at: number | null;
  max_extended_due_at: number | null;
  extended_due_at: number | null;
  extension_reason: string | null;
  opened_at: number;
  opened_by: string;
  exported_at: number | null;
  closed_at: number | null;
  closed_by: string | null;
  /** JSON: what was erased, what was kept and why. */
  outcome: string | null;
  note: string | null;
}

export interface RetentionTables {
  retention_assignments: RetentionAssignmentsTable;
  retention_policies: RetentionPoliciesTable;
  retention_holds: RetentionHoldsTable;
  retention_hold_items: RetentionHoldItemsTable;
  retention_runs: RetentionRunsTable;
  retention_certificates: RetentionCertificatesTable;
  retention_pending_files: RetentionPendingFilesTable;
  retention_subject_shreds: RetentionSubjectShredsTable;
  retention_checks: RetentionChecksTable;
  retention_journal_state: RetentionJournalStateTable;
  dsar_cases: DsarCasesTable;
}
