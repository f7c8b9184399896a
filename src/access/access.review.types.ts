import type { ReviewFlag } from './access.review.flags.ts';
import type { ReviewDecision } from './access.tables.ts';

export interface ReviewCampaign {
  id: string;
  name: string;
  status: 'open' | 'closed';
  trigger: 'manual' | 'scheduled';
  undecidedRule: 'revoke' | 'keep';
  createdBy: string;
  createdAt: number;
  dueAt: number;
  closedAt: number | null;
  itemCount: number;
}

export interface ReviewItem {
  id: string;
  campaignId: string;
  userId: string;
  userName: string;
  userStatus: string;
  grantKind: 'role' | 'elevation';
  grantName: string;
  elevationId: string | null;
  reviewerId: string;
  flags: ReviewFlag[];
  lastUsedAt: number | null;
  decision: ReviewDecision | null;
  changeTo: string | null;
  decidedBy: string | null;
  decidedAt: number | null;
  note: string | null;
  outcome: string | null;
}

/** A campaign export with its proof: Ed25519 signature and the audit event that anchors its hash. */
export interface SignedReviewExport {
  format: 'csv' | 'json';
  contentType: string;
  filename: string;
  content: string;
  sha256: string;
  signature: string;
  signatureAlgorithm: 'Ed25519';
  keyId: string;
  publicKeyPem: string;
  auditEventId: string;
  auditSeq: number;
}
