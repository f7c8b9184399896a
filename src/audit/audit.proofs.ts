import type { Db } from '../storage/index.ts';
import type { CheckpointService } from './audit.checkpoints.ts';
import { auditError } from './audit.errors.ts';
import { type AuditEventView, auditEventLeafData, getAuditEvent, toAuditEventView } from './audit.events.ts';
import { createSqlNodeStore } from './audit.node-store.ts';
import {
  buildConsistencyBundle,
  buildInclusionBundle,
  CheckpointError,
  type ConsistencyProofBundle,
  type InclusionProofBundle,
} from './checkpoint/index.ts';
import { verifyConsistency, verifyInclusion } from './merkle/index.ts';

export interface AuditProofDeps {
  db: Db;
  checkpoints: Pick<CheckpointService, 'latest' | 'bySize'>;
}

// The bundle builders refuse when the stored tree disagrees with a signed checkpoint: that is
// tampering, reported as a broken log rather than a proof that would not verify.
async function guarded<T>(build: () => Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (error) {
    if (error instanceof CheckpointError && error.code === 'store_mismatch') {
      throw auditError('AUDIT_LOG_BROKEN', undefined, { cause: error });
    }
    throw error;
  }
}

/** Inclusion and consistency proofs served from the SQL node store, as offline-verifiable bundles. */
export function createAuditProofs(deps: AuditProofDeps) {
  return {
    /**
     * The event with its inclusion proof under the checkpoint of `treeSize` (default: the latest).
     * The bundle carries the event's canonical bytes, so a verifier checks its content too.
     */
    async eventProof(
      tenantId: string,
      eventId: string,
      options: { treeSize?: number } = {},
    ): Promise<{ event: AuditEventView; bundle: InclusionProofBundle }> {
      const row = await getAuditEvent(deps.db, tenantId, eventId);
      const checkpoint =
        options.treeSize === undefined
          ? await deps.checkpoints.latest(tenantId)
          : await deps.checkpoints.bySize(tenantId, options.treeSize);
      if (options.treeSize !== undefined && !checkpoint) throw auditError('AUDIT_CHECKPOINT_NOT_FOUND');
      const seq = Number(row.seq);
      if (!checkpoint || checkpoint.treeSize <= seq) throw auditError('AUDIT_NOT_CHECKPOINTED');
      const store = createSqlNodeStore(deps.db, tenantId);
      const bundle = await guarded(() =>
        buildInclusionBundle(store, checkpoint.note, seq, { leafData: auditEventLeafData(row) }),
      );
      const check = verifyInclusion({
        leafIndex: seq,
        treeSize: checkpoint.treeSize,
        leafHash: Buffer.from(bundle.leafHash!, 'base64'),
        proof: bundle.proof.map((h) => Buffer.from(h, 'base64')),
        rootHash: Buffer.from(checkpoint.rootHash, 'base64'),
      });
      // A stored node that differs from the one the checkpoint was computed with yields a proof
      // that cannot verify: refuse it here rather than hand it out.
      if (!check.ok) throw auditError('AUDIT_LOG_BROKEN');
      return { event: toAuditEventView(row), bundle };
    },
    /** Consistency proof between the tenant's checkpoints of sizes `from` and `to`. */
    async consistency(tenantId: string, from: number, to: number): Promise<ConsistencyProofBundle> {
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || from > to) {
        throw auditError('AUDIT_INVALID_RANGE');
      }
      const [first, second] = await Promise.all([
        deps.checkpoints.bySize(tenantId, from),
        deps.checkpoints.bySize(tenantId, to),
      ]);
      if (!first || !second) throw auditError('AUDIT_CHECKPOINT_NOT_FOUND');
      const store = createSqlNodeStore(deps.db, tenantId);
      const bundle = await guarded(() => buildConsistencyBundle(store, first.note, second.note));
      const check = verifyConsistency({
        size1: first.treeSize,
        size2: second.treeSize,
        root1: Buffer.from(first.rootHash, 'base64'),
        root2: Buffer.from(second.rootHash, 'base64'),
        proof: bundle.proof.map((h) => Buffer.from(h, 'base64')),
      });
      if (!check.ok) throw auditError('AUDIT_LOG_BROKEN');
      return bundle;
    },
  };
}

export type AuditProofs = ReturnType<typeof createAuditProofs>;
