/** What `verify` found wrong; every problem names where (seq and event id, or tree size). */
export type AuditProblemKind =
  | 'signing_key_forged'
  | 'checkpoint_signature_invalid'
  | 'checkpoint_fields_mismatch'
  | 'checkpoint_missing'
  | 'published_checkpoint_mismatch'
  | 'event_missing'
  | 'event_fields_changed'
  | 'event_mac_invalid'
  | 'tree_node_mismatch'
  | 'checkpoint_root_mismatch'
  | 'checkpoint_inconsistent'
  | 'tree_head_mismatch'
  | 'log_truncated'
  | 'start_checkpoint_invalid';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** Log position of the bad event (or the first missing one). */
  seq?: number;
  eventId?: string;
  /** Tree size of the checkpoint or head concerned. */
  treeSize?: number;
  checkpointId?: string;
  /** What differs, in words. */
  detail: string;
}

export interface AuditVerifyReport {
  tenantId: string;
  ok: boolean;
  /** Tree size verification started from (0, or the trusted checkpoint given with --from). */
  fromTreeSize: number;
  eventsChecked: number;
  /** Events present in the log (next expected seq after the last one read). */
  logSize: number;
  treeHeadSize: number;
  checkpointsChecked: number;
  publishedCheckpointsChecked: number;
  /** The first problem about a specific event, in log order: what an operator looks at first. */
  firstBadEvent: AuditProblem | null;
  problems: AuditProblem[];
  /** True when more problems were found than `problems` holds. */
  problemsTruncated: boolean;
  durationMs: number;
}

export type VerifyFrom = { treeSize: number } | { note: string };

export interface VerifyOptions {
  /** Start from a trusted checkpoint: its signature is checked, events before it are not re-read. */
  from?: VerifyFrom;
  /** Verifier keys to trust instead of the stored keys (pinned from a published copy). */
  trustedKeys?: readonly string[];
  /**
   * Compare every stored tree node with the recomputed one (default true). Without it the tree is
   * still recomputed and checked against every signed root; only the copy that serves proofs is
   * not re-read (a wrong node there yields proofs that fail to verify, and the proof builder
   * refuses a store that disagrees with its checkpoint).
   */
  compareStoredNodes?: boolean;
  /** Events read per page (default 5,000): memory against round trips. */
  pageSize?: number;
  /**
   * Stored nodes compared per round trip (default 32,768, about 260,000 events): memory against
   * round trips, like pageSize.
   */
  nodesPerComparison?: number;
  /** Read published checkpoint files from this node's DATA_DIR (default true). */
  checkPublished?: boolean;
  signal?: AbortSignal;
}

export const MAX_REPORTED_PROBLEMS = 100;

/** Collects problems up to a cap, remembering the first one about a specific event. */
export class ProblemList {
  readonly items: AuditProblem[] = [];
  firstBadEvent: AuditProblem | null = null;
  truncated = false;

  add(problem: AuditProblem): void {
    if (
      problem.seq !== undefined &&
      (this.firstBadEvent === null || problem.seq < (this.firstBadEvent.seq ?? 0))
    ) {
      this.firstBadEvent = problem;
    }
    if (this.items.length < MAX_REPORTED_PROBLEMS) this.items.push(problem);
    else this.truncated = true;
  }
}
