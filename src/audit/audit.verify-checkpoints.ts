import { selectCheckpointsAfter } from './audit.checkpoint.queries.ts';
import { readPublishedCheckpoints } from './audit.publish.ts';
import type { DbOrTransaction } from './audit.types.ts';
import type { ProblemList } from './audit.verify-types.ts';
import { type NoteVerifier, verifyCheckpoint } from './checkpoint/index.ts';
import { hashesEqual } from './merkle/index.ts';

/** A tree head whose signature verified: the recomputed tree must have this root at this size. */
export interface TrustedHead {
  treeSize: number;
  rootHash: Buffer;
  checkpointId?: string;
  source: 'database' | 'published file';
}

const PAGE = 1000;

async function storedHeads(
  db: DbOrTransaction,
  tenantId: string,
  verifiers: readonly NoteVerifier[],
  origin: string,
  problems: ProblemList,
): Promise<{ heads: Map<number, TrustedHead>; checked: number }> {
  const heads = new Map<number, TrustedHead>();
  let checked = 0;
  for (let after = -1; ; ) {
    const rows = await selectCheckpointsAfter(db, tenantId, after, PAGE);
    for (const row of rows) {
      checked++;
      const treeSize = Number(row.tree_size);
      const base = { treeSize, checkpointId: row.id };
      const result =
        verifiers.length > 0 ? verifyCheckpoint(row.note, [...verifiers], { origin }) : undefined;
      if (!result?.ok) {
        const reason = result ? result.reason : 'no trusted signing key';
        problems.add({
          kind: 'checkpoint_signature_invalid',
          ...base,
          detail: `checkpoint note refused: ${reason}`,
        });
        continue;
      }
      const { checkpoint } = result;
      if (checkpoint.size !== treeSize || !hashesEqual(checkpoint.rootHash, row.root_hash)) {
        problems.add({
          kind: 'checkpoint_fields_mismatch',
          ...base,
          detail: `stored size/root columns differ from the signed note (note says size ${checkpoint.size})`,
        });
      }
      heads.set(checkpoint.size, {
        ...base,
        treeSize: checkpoint.size,
        rootHash: checkpoint.rootHash,
        source: 'database',
      });
    }
    if (rows.length < PAGE) return { heads, checked };
    after = Number(rows[rows.length - 1]!.tree_size);
  }
}

function mergePublished(
  heads: Map<number, TrustedHead>,
  published: readonly { file: string; note: string }[],
  verifiers: readonly NoteVerifier[],
  origin: string,
  problems: ProblemList,
): void {
  for (const { file, note } of published) {
    const result = verifiers.length > 0 ? verifyCheckpoint(note, [...verifiers], { origin }) : undefined;
    if (!result?.ok) {
      const reason = result ? result.reason : 'no trusted signing key';
      problems.add({ kind: 'published_checkpoint_mismatch', detail: `${file}: refused (${reason})` });
      continue;
    }
    const { size, rootHash } = result.checkpoint;
    const stored = heads.get(size);
    if (!stored) {
      // A signed head exists outside the database but not in it: a checkpoint row was deleted.
      problems.add({
        kind: 'checkpoint_missing',
        treeSize: size,
        detail: `published checkpoint ${file} of size ${size} has no row in the database`,
      });
      heads.set(size, { treeSize: size, rootHash, source: 'published file' });
    } else if (!hashesEqual(stored.rootHash, rootHash)) {
      problems.add({
        kind: 'published_checkpoint_mismatch',
        treeSize: size,
        ...(stored.checkpointId ? { checkpointId: stored.checkpointId } : {}),
        detail: `published checkpoint ${file} and the database disagree on the root at size ${size}`,
      });
    }
  }
}

/**
 * Every checkpoint of the tenant whose signature verifies (database rows and published files),
 * by tree size; refused ones become problems.
 */
export async function loadTrustedHeads(
  db: DbOrTransaction,
  input: {
    tenantId: string;
    origin: string;
    verifiers: readonly NoteVerifier[];
    dataDir: string | undefined;
    problems: ProblemList;
  },
): Promise<{ heads: TrustedHead[]; checked: number; publishedChecked: number }> {
  const { heads, checked } = await storedHeads(
    db,
    input.tenantId,
    input.verifiers,
    input.origin,
    input.problems,
  );
  const published =
    input.dataDir === undefined ? [] : readPublishedCheckpoints(input.dataDir, input.tenantId);
  mergePublished(heads, published, input.verifiers, input.origin, input.problems);
  return {
    heads: [...heads.values()].sort((a, b) => a.treeSize - b.treeSize),
    checked,
    publishedChecked: published.length,
  };
}
