/**
 * A data subject: one customer, recognised across interactions by blind indexes of their phone,
 * email or platform customer id. Their personal data is encrypted under their own key, so
 * destroying that key (erasure) destroys the data everywhere, backups included.
 */
export interface SubjectsTable {
  id: string;
  tenant_id: string;
  phone_bidx: string | null;
  email_bidx: string | null;
  customer_ref_bidx: string | null;
  /** Jurisdiction segment (customer country or region code), for retention and DSAR deadlines. */
  region: string | null;
  created_at: number;
  last_seen_at: number;
  /** Set when the subject's key was destroyed (erasure): nothing about them can be decrypted. */
  erased_at: number | null;
}

/**
 * Identifiers a subject was seen with besides the one of each kind on its profile (a second
 * phone, a new email): they find the subject too, in ingest, search and data-subject requests.
 */
export interface SubjectIdentifiersTable {
  tenant_id: string;
  kind: StoredIdentifierKind;
  /** Blind index of the identifier. */
  bidx: string;
  subject_id: string;
  created_at: number;
}

/** A kind of stored identifier, and the profile column holding the first one of that kind. */
export type StoredIdentifierKind = 'phone' | 'email' | 'customer_ref';

export interface SubjectsTables {
  subjects: SubjectsTable;
  subject_identifiers: SubjectIdentifiersTable;
}
