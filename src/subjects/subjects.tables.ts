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

export interface SubjectsTables {
  subjects: SubjectsTable;
}
