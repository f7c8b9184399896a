import { createHash, hkdfSync } from 'node:crypto';
import { createReviewSigner, type ReviewSigner, verifyReviewExport } from '../access/index.ts';
import type { AuditEventInput, AuditModule, DbOrTransaction } from '../audit/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db } from '../storage/index.ts';
import {
  findCertificate,
  insertCertificate,
  listCertificates,
  nextCertificateSequence,
} from './retention.disposal.queries.ts';
import { retentionError } from './retention.errors.ts';
import type { Policy } from './retention.rules.ts';

export type DisposalAction = 'deleted' | 'anonymized' | 'recording_removed' | 'erased';

/** What one disposal destroyed: ids and counts only, never content. */
export interface DisposalContents {
  tenantId: string;
  origin: { kind: 'purge' | 'dsar_erasure'; id: string };
  job: string;
  actor: AuditEventInput['actor'];
  referenceAt: number;
  policies: readonly Policy[];
  items: readonly { category: string; action: DisposalAction; ids: readonly string[] }[];
  /** Customers erased by this disposal, whose keys the same job then schedules for destruction. */
  subjectKeys: { subjectIds: readonly string[] };
  recordingFiles: number;
}

export interface IssuedCertificate {
  id: string;
  sequence: number;
  sha256: string;
  itemCount: number;
}

export interface CertificateDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: Pick<AuditModule, 'record' | 'findEvents'>;
  signer(tenantId: string): ReviewSigner;
}

/** Per-tenant Ed25519 signers derived from the installation secret (nothing extra to store or back up). */
export function certificateSigners(secret: Buffer): (tenantId: string) => ReviewSigner {
  const purposeKey = Buffer.from(
    hkdfSync('sha256', secret, Buffer.alloc(0), 'vigil/retention-certificate-signing/v1', 32),
  );
  const signers = new Map<string, ReviewSigner>();
  return (tenantId) => {
    let signer = signers.get(tenantId);
    if (!signer) {
      const seed = Buffer.from(hkdfSync('sha256', purposeKey, Buffer.from(tenantId), 'ed25519-seed', 32));
      signer = createReviewSigner(seed);
      seed.fill(0);
      signers.set(tenantId, signer);
    }
    return signer;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

const METHOD = {
  rows: 'deleted in one database transaction; SQLite runs with secure_delete so freed pages are zeroed, PostgreSQL frees them to VACUUM',
  anonymized:
    'identifying fields removed, subject link and redacted originals dropped, the redacted text re-encrypted under the tenant key',
  recordings: 'encrypted recording files removed from the recording store after the transaction committed',
  subjectKeys:
    'customer keys queued for destruction (crypto-shredding): once destroyed, every remaining ciphertext of the customer is unreadable',
};

/** The exact document that is signed; its SHA-256 is anchored in the audit log. */
function certificateDocument(
  contents: DisposalContents,
  meta: { id: string; sequence: number; issuedAt: number; keyId: string },
): string {
  const counts: Record<string, number> = {};
  for (const item of contents.items)
    counts[`${item.category}.${item.action}`] =
      (counts[`${item.category}.${item.action}`] ?? 0) + item.ids.length;
  return JSON.stringify({
    type: 'vigil.disposal-certificate',
    version: 1,
    id: meta.id,
    tenantId: contents.tenantId,
    origin: { ...contents.origin, sequence: meta.sequence },
    job: contents.job,
    actor: contents.actor,
    issuedAt: iso(meta.issuedAt),
    referenceTime: iso(contents.referenceAt),
    policies: contents.policies.map((p) => ({
      id: p.id,
      category: p.category,
      jurisdiction: p.jurisdiction,
      maxAgeDays: p.maxAgeDays,
      action: p.action,
    })),
    counts,
    destroyed: contents.items
      .filter((i) => i.ids.length > 0)
      .map((i) => ({ category: i.category, action: i.action, ids: [...i.ids].sort() })),
    subjectKeys: {
      queuedForDestruction: [...contents.subjectKeys.subjectIds].sort(),
      note: 'each key is scheduled for destruction right after this disposal, audited as keys.subject.destruction_scheduled',
    },
    recordingFiles: contents.recordingFiles,
    method: METHOD,
    signature: { algorithm: 'Ed25519', keyId: meta.keyId },
  });
}

/** Records destroyed (an erased customer counts once, though their key is listed as well). */
export const itemCountOf = (contents: DisposalContents) =>
  contents.items.reduce((n, i) => n + i.ids.length, 0);

/** Disposal certificates: signed, stored, and anchored in the audit log in the disposal's own transaction. */
export function createCertificates(deps: CertificateDeps) {
  return {
    signer: deps.signer,

    /** Issues the certificate inside the transaction that destroyed the records, so both commit or neither. */
    async issue(trx: DbOrTransaction, contents: DisposalContents): Promise<IssuedCertificate> {
      const id = deps.ids.newId();
      const sequence = await nextCertificateSequence(trx, contents.tenantId, contents.origin.id);
      const issuedAt = deps.clock.now();
      const signer = deps.signer(contents.tenantId);
      const document = certificateDocument(contents, { id, sequence, issuedAt, keyId: signer.keyId });
      const bytes = Buffer.from(document, 'utf8');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const itemCount = itemCountOf(contents);
      const event = await deps.audit.record(trx, {
        tenantId: contents.tenantId,
        actor: contents.actor,
        action: 'retention.certificate.issued',
        outcome: 'success',
        target: { type: 'disposal_certificate', id },
        details: {
          sha256,
          keyId: signer.keyId,
          origin: contents.origin.kind,
          originId: contents.origin.id,
          sequence,
          items: itemCount,
        },
      });
      await insertCertificate(trx, {
        tenant_id: contents.tenantId,
        id,
        origin_kind: contents.origin.kind,
        origin_id: contents.origin.id,
        sequence,
        issued_at: issuedAt,
        document,
        sha256,
        signature: signer.sign(bytes).toString('base64'),
        key_id: signer.keyId,
        item_count: itemCount,
        audit_event_id: event.id,
      });
      return { id, sequence, sha256, itemCount };
    },

    async get(tenantId: string, id: string) {
      const row = await findCertificate(deps.db, tenantId, id);
      if (!row) throw retentionError('CERTIFICATE_NOT_FOUND');
      return {
        id: row.id,
        document: row.document,
        sha256: row.sha256,
        signature: row.signature,
        keyId: row.key_id,
        auditEventId: row.audit_event_id,
      };
    },

    list: (tenantId: string, f: { originId?: string; beforeId?: string; limit: number }) =>
      listCertificates(deps.db, tenantId, f),

    /** Checks the hash, the Ed25519 signature and the audit-log anchor of a stored certificate. */
    async verify(
      tenantId: string,
      id: string,
    ): Promise<{ valid: boolean; hash: boolean; signature: boolean; anchored: boolean }> {
      const row = await findCertificate(deps.db, tenantId, id);
      if (!row) throw retentionError('CERTIFICATE_NOT_FOUND');
      const hash = createHash('sha256').update(row.document, 'utf8').digest('hex') === row.sha256;
      const signature = verifyReviewExport(row.document, row.signature, deps.signer(tenantId).publicKeyPem);
      const events = await deps.audit.findEvents(tenantId, {
        targetType: 'disposal_certificate',
        targetId: id,
        limit: 5,
      });
      const anchored = events.events.some(
        (e) => e.id === row.audit_event_id && e.details?.['sha256'] === row.sha256,
      );
      return { valid: hash && signature && anchored, hash, signature, anchored };
    },
  };
}

export type Certificates = ReturnType<typeof createCertificates>;
