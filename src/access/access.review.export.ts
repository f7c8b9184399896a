import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { ReviewCampaign, ReviewItem, SignedReviewExport } from './access.review.types.ts';

// RFC 8410 PKCS#8 header for a raw 32-byte Ed25519 seed, so node:crypto can import it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface ReviewSigner {
  keyId: string;
  publicKeyPem: string;
  sign(data: Buffer): Buffer;
}

/**
 * The tenant's review-export signing key, an Ed25519 key whose 32-byte seed is derived from the
 * root key with HKDF (main.ts): every node signs with the same key, nothing extra is stored, and
 * rotating the root key rotates it.
 */
export function createReviewSigner(seed: Buffer): ReviewSigner {
  if (seed.length !== 32) throw new Error('review signing seed must be 32 bytes');
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  const privateKey: KeyObject = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'der', type: 'spki' });
  return {
    keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    sign: (data) => sign(null, data, privateKey),
  };
}

/** Checks an export against its detached signature and the tenant's published public key. */
export function verifyReviewExport(
  content: string | Buffer,
  signatureBase64: string,
  publicKeyPem: string,
): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== 64) return false;
  try {
    return verify(null, Buffer.from(content), createPublicKey(publicKeyPem), signature);
  } catch {
    return false;
  }
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/**
 * RFC 4180 quoting, plus a leading apostrophe for cells a spreadsheet would run as a formula
 * (CSV injection): exports are opened in Excel by auditors, and names come from users.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const CSV_COLUMNS = [
  'campaign_id',
  'campaign_name',
  'item_id',
  'user_id',
  'user_name',
  'user_status',
  'grant_kind',
  'grant_name',
  'elevation_id',
  'flags',
  'last_used_at',
  'reviewer_id',
  'decision',
  'change_to',
  'decided_by',
  'decided_at',
  'note',
  'outcome',
] as const;

export function reviewCsv(campaign: ReviewCampaign, items: readonly ReviewItem[]): string {
  const rows = items.map((item) =>
    [
      campaign.id,
      campaign.name,
      item.id,
      item.userId,
      item.userName,
      item.userStatus,
      item.grantKind,
      item.grantName,
      item.elevationId,
      item.flags.map((f) => `${f.flag}: ${f.detail}`).join('; '),
      iso(item.lastUsedAt),
      item.reviewerId,
      item.decision,
      item.changeTo,
      item.decidedBy,
      iso(item.decidedAt),
      item.note,
      item.outcome,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

function summarize(items: readonly ReviewItem[]) {
  const count = (outcome: string) => items.filter((i) => i.outcome === outcome).length;
  return {
    items: items.length,
    kept: count('kept'),
    revoked: count('revoked'),
    changed: count('changed'),
    autoRevoked: count('auto_revoked'),
    autoKept: count('auto_kept'),
    undecided: items.filter((i) => i.decision === null).length,
    flagged: items.filter((i) => i.flags.length > 0).length,
  };
}

export function reviewJson(
  tenantId: string,
  campaign: ReviewCampaign,
  items: readonly ReviewItem[],
  meta: { exportedAt: number; exportedBy: string },
): string {
  return `${JSON.stringify(
    {
      format: 'vigil.access-review.v1',
      tenantId,
      exportedAt: iso(meta.exportedAt),
      exportedBy: meta.exportedBy,
      campaign: {
        ...campaign,
        createdAt: iso(campaign.createdAt),
        dueAt: iso(campaign.dueAt),
        closedAt: iso(campaign.closedAt) || null,
      },
      summary: summarize(items),
      items: items.map((item) => ({
        ...item,
        lastUsedAt: iso(item.lastUsedAt) || null,
        decidedAt: iso(item.decidedAt) || null,
      })),
    },
    null,
    2,
  )}\n`;
}

/** Renders a campaign as CSV or JSON and signs the exact bytes (the caller anchors the hash in the audit log). */
export function signReviewExport(
  signer: ReviewSigner,
  input: {
    tenantId: string;
    campaign: ReviewCampaign;
    items: readonly ReviewItem[];
    format: 'csv' | 'json';
    exportedAt: number;
    exportedBy: string;
  },
): Omit<SignedReviewExport, 'auditEventId' | 'auditSeq'> {
  const { campaign, items, format } = input;
  const content =
    format === 'csv'
      ? reviewCsv(campaign, items)
      : reviewJson(input.tenantId, campaign, items, {
          exportedAt: input.exportedAt,
          exportedBy: input.exportedBy,
        });
  const bytes = Buffer.from(content, 'utf8');
  return {
    format,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
    filename: `access-review-${campaign.id}.${format}`,
    content,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    signature: signer.sign(bytes).toString('base64'),
    signatureAlgorithm: 'Ed25519',
    keyId: signer.keyId,
    publicKeyPem: signer.publicKeyPem,
  };
}
