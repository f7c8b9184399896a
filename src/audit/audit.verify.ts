import { createSecretKey } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import { auditError } from './audit.errors.ts';
import { createSqlNodeStore } from './audit.node-store.ts';
import type { AuditSigningKeys } from './audit.signing-keys.ts';
import { findTreeHead } from './audit.tree.queries.ts';
import { NODES_PER_COMPARISON } from './audit.verify-bulk.ts';
import { loadTrustedHeads, type TrustedHead } from './audit.verify-checkpoints.ts';
import { type ExpectedRoot, replayEvents } from './audit.verify-replay.ts';
import { type AuditVerifyReport, ProblemList, type VerifyOptions } from './audit.verify-types.ts';
import { type NoteVerifier, parseVerifierKey, verifyCheckpoint } from './checkpoint/index.ts';
import {
  consistencyProof,
  EMPTY_ROOT,
  hashesEqual,
  MerkleFrontier,
  readFrontier,
  verifyConsistency,
} from './merkle/index.ts';

export interface AuditVerifierDeps {
  db: Db;
  /** Bulk reads and the binary column type: verification reads every event and node. */
  dialect: Pick<StorageDialect, 'bulk' | 'types'>;
  clock: Clock;
  /** This node's DATA_DIR, whose published checkpoints are compared with the database. */
  dataDir: string;
  signingKeys: Pick<AuditSigningKeys, 'trustedVerifiers'>;
  eventMacKey(tenantId: string): Buffer;
  originFor(tenantId: string): string;
}

// Large pages amortise round trips and the per-page hash comparisons; 5,000 events are about
// 2 MB of rows in memory.
const DEFAULT_PAGE_SIZE = 5000;
const MAX_PAGE_SIZE = 100_000;

const MAX_NODES_PER_COMPARISON = 1_000_000;

/** A size option: a whole number from 1 to max, or the default when absent. */
function sizeOption(
  value: number | undefined,
  fallback: number,
  max: number,
  code: Parameters<typeof auditError>[0],
): number {
  const size = value ?? fallback;
  if (!Number.isSafeInteger(size) || size < 1 || size > max) throw auditError(code);
  return size;
}

async function resolveVerifiers(deps: AuditVerifierDeps, options: VerifyOptions, problems: ProblemList) {
  if (options.trustedKeys && options.trustedKeys.length > 0) return options.trustedKeys.map(parseVerifierKey);
  const { verifiers, forged } = await deps.signingKeys.trustedVerifiers();
  for (const key of forged) {
    problems.add({ kind: 'signing_key_forged', detail: `signing key ${key.keyId}: ${key.reason}` });
  }
  return verifiers;
}

/** The trusted starting frontier: empty, or the stored tree at a checkpoint whose signature verifies. */
async function resolveStart(
  deps: AuditVerifierDeps,
  tenantId: string,
  options: VerifyOptions,
  context: { verifiers: NoteVerifier[]; heads: TrustedHead[]; problems: ProblemList },
): Promise<MerkleFrontier | undefined> {
  const from = options.from;
  if (!from) return new MerkleFrontier();
  let start: { treeSize: number; rootHash: Buffer } | undefined;
  if ('note' in from) {
    const result = verifyCheckpoint(from.note, context.verifiers, { origin: deps.originFor(tenantId) });
    if (result.ok) start = { treeSize: result.checkpoint.size, rootHash: result.checkpoint.rootHash };
    else
      context.problems.add({
        kind: 'start_checkpoint_invalid',
        detail: `--from checkpoint refused: ${result.reason}`,
      });
  } else {
    start = context.heads.find((h) => h.treeSize === from.treeSize);
    if (!start) {
      context.problems.add({
        kind: 'start_checkpoint_invalid',
        treeSize: from.treeSize,
        detail: `no checkpoint of size ${from.treeSize} with a valid signature`,
      });
    }
  }
  if (!start) return undefined;
  try {
    const frontier = await readFrontier(createSqlNodeStore(deps.db, tenantId), start.treeSize);
    if (hashesEqual(frontier.rootHash(), start.rootHash)) return frontier;
  } catch {
    // A missing node is reported below like a wrong one.
  }
  context.problems.add({
    kind: 'start_checkpoint_invalid',
    treeSize: start.treeSize,
    detail: `the stored tree at size ${start.treeSize} does not have the checkpoint's root`,
  });
  return undefined;
}

async function checkConsistency(
  deps: AuditVerifierDeps,
  tenantId: string,
  matched: readonly ExpectedRoot[],
  problems: ProblemList,
): Promise<void> {
  const heads = matched.filter((m) => m.what === 'checkpoint' && m.treeSize > 0);
  const store = createSqlNodeStore(deps.db, tenantId);
  for (let i = 1; i < heads.length; i++) {
    const [a, b] = [heads[i - 1]!, heads[i]!];
    let check: { ok: boolean; reason?: string };
    try {
      const proof = await consistencyProof(store, a.treeSize, b.treeSize);
      check = verifyConsistency({
        size1: a.treeSize,
        size2: b.treeSize,
        root1: a.rootHash,
        root2: b.rootHash,
        proof,
      });
    } catch (error) {
      check = { ok: false, reason: (error as Error).message };
    }
    if (!check.ok) {
      problems.add({
        kind: 'checkpoint_inconsistent',
        treeSize: b.treeSize,
        ...(b.checkpointId ? { checkpointId: b.checkpointId } : {}),
        // Both roots were reached by the replay, so the log itself is consistent: what a proof
        // is served from (stored nodes, events' leaf hashes) is not.
        detail: `consistency proof ${a.treeSize} -> ${b.treeSize} from the stored tree (its nodes and the events' leaf hashes) fails: ${check.reason}; the events recomputed reach both signed roots, so the stored copy differs`,
      });
    }
  }
}

function expectedRoots(
  heads: readonly TrustedHead[],
  head: { size: number; root: Buffer } | undefined,
  from: number,
) {
  const roots: ExpectedRoot[] = heads.map((h) => ({
    treeSize: h.treeSize,
    rootHash: h.rootHash,
    ...(h.checkpointId ? { checkpointId: h.checkpointId } : {}),
    what: 'checkpoint' as const,
  }));
  if (head) roots.push({ treeSize: head.size, rootHash: head.root, what: 'tree head' });
  return roots.filter((r) => r.treeSize > from).sort((a, b) => a.treeSize - b.treeSize);
}

function checkEmptyTreeHeads(heads: readonly TrustedHead[], problems: ProblemList): void {
  for (const zero of heads.filter((h) => h.treeSize === 0)) {
    if (!hashesEqual(zero.rootHash, EMPTY_ROOT)) {
      problems.add({
        kind: 'checkpoint_root_mismatch',
        treeSize: 0,
        detail: 'the empty-tree checkpoint has a wrong root',
      });
    }
  }
}

function reportTruncation(roots: readonly ExpectedRoot[], logSize: number, problems: ProblemList): void {
  const beyond = roots.filter((r) => r.treeSize > logSize);
  const largest = beyond[beyond.length - 1];
  if (!largest) return;
  problems.add({
    kind: 'log_truncated',
    seq: logSize,
    treeSize: largest.treeSize,
    detail: `the ${largest.what} of size ${largest.treeSize} covers events up to seq ${largest.treeSize - 1} but the log ends before seq ${logSize}`,
  });
}

/**
 * Recomputes a tenant's whole audit log: signing keys, checkpoint signatures (database and
 * published files), every event's leaf hash and MAC, the tree and each stored node, every
 * checkpoint root and the consistency of successive checkpoints. Never throws for tampering:
 * everything found is in the report.
 */
export async function verifyAuditLog(
  deps: AuditVerifierDeps,
  tenantId: string,
  options: VerifyOptions = {},
): Promise<AuditVerifyReport> {
  const started = deps.clock.now();
  const pageSize = sizeOption(options.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, 'AUDIT_INVALID_PAGE_SIZE');
  const nodesPerComparison = sizeOption(
    options.nodesPerComparison,
    NODES_PER_COMPARISON,
    MAX_NODES_PER_COMPARISON,
    'AUDIT_INVALID_COMPARISON_SIZE',
  );
  const problems = new ProblemList();
  const verifiers = await resolveVerifiers(deps, options, problems);
  const dataDir = options.checkPublished === false ? undefined : deps.dataDir;
  const loaded = await loadTrustedHeads(deps.db, {
    tenantId,
    origin: deps.originFor(tenantId),
    verifiers,
    dataDir,
    problems,
  });
  const headRow = await findTreeHead(deps.db, tenantId);
  const head = headRow
    ? { size: Number(headRow.tree_size), root: Buffer.from(headRow.root_hash) }
    : undefined;
  const frontier = await resolveStart(deps, tenantId, options, { verifiers, heads: loaded.heads, problems });
  const fromTreeSize = frontier?.size ?? 0;
  const summary = { eventsChecked: 0, logSize: 0 };
  if (frontier) {
    if (fromTreeSize === 0) checkEmptyTreeHeads(loaded.heads, problems);
    const roots = expectedRoots(loaded.heads, head, fromTreeSize);
    const replay = await replayEvents(deps.db, {
      tenantId,
      frontier,
      expected: roots,
      storedTreeSize: head?.size ?? 0,
      compareStoredNodes: options.compareStoredNodes !== false,
      macKey: createSecretKey(deps.eventMacKey(tenantId)),
      pageSize,
      nodesPerComparison,
      dialect: deps.dialect,
      // Events under the largest signed checkpoint are authenticated by its root.
      macFrom: roots.reduce(
        (max, r) => (r.what === 'checkpoint' ? Math.max(max, r.treeSize) : max),
        fromTreeSize,
      ),
      problems,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    Object.assign(summary, { eventsChecked: replay.eventsChecked, logSize: replay.logSize });
    reportTruncation(roots, replay.logSize, problems);
    if (replay.treeIntact) await checkConsistency(deps, tenantId, replay.matched, problems);
  }
  return {
    tenantId,
    ok: problems.items.length === 0,
    fromTreeSize,
    ...summary,
    treeHeadSize: head?.size ?? 0,
    checkpointsChecked: loaded.checked,
    publishedCheckpointsChecked: loaded.publishedChecked,
    firstBadEvent: problems.firstBadEvent,
    problems: problems.items,
    problemsTruncated: problems.truncated,
    durationMs: deps.clock.now() - started,
  };
}
