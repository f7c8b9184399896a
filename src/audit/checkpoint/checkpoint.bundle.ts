import { z } from 'zod';
import {
  hashesEqual,
  hashLeaf,
  type MerkleFailureCode,
  verifyConsistency,
  verifyInclusion,
} from '../merkle/index.ts';
import { decodeBase64Strict, decodeUtf8Strict } from './checkpoint.encoding.ts';
import {
  type CheckpointFailureCode,
  type CheckpointVerification,
  type VerifierKeys,
  verifyCheckpoint,
} from './checkpoint.format.ts';
import { MAX_NOTE_BYTES } from './checkpoint.note.ts';

/** Value of the `format` field of every proof bundle this version writes and reads. */
export const PROOF_BUNDLE_FORMAT = 'vigil-audit-proof/v1';

const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;
const MAX_LEAF_DATA_BASE64 = 4 * 1024 * 1024;
// A tree of up to 2^53 leaves needs at most 53 inclusion or 54 consistency hashes.
const MAX_PROOF_HASHES = 64;

const base64Hash = z
  .string()
  .max(44)
  .refine((s) => decodeBase64Strict(s)?.length === 32, {
    message: 'must be the standard base64 of 32 bytes',
  });
const signedCheckpoint = z.string().min(1).max(MAX_NOTE_BYTES);
const proof = z.array(base64Hash).max(MAX_PROOF_HASHES);

const inclusionBundleSchema = z
  .strictObject({
    format: z.literal(PROOF_BUNDLE_FORMAT),
    type: z.literal('inclusion'),
    checkpoint: signedCheckpoint,
    leafIndex: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    leafHash: base64Hash.optional(),
    leafData: z
      .string()
      .max(MAX_LEAF_DATA_BASE64)
      .refine((s) => decodeBase64Strict(s) !== undefined, { message: 'must be standard base64' })
      .optional(),
    proof,
  })
  .refine((b) => b.leafHash !== undefined || b.leafData !== undefined, {
    message: 'needs leafHash, leafData or both',
    path: ['leafHash'],
  });

const consistencyBundleSchema = z.strictObject({
  format: z.literal(PROOF_BUNDLE_FORMAT),
  type: z.literal('consistency'),
  checkpoint1: signedCheckpoint,
  checkpoint2: signedCheckpoint,
  proof,
});

/** JSON schema of a proof bundle (for API responses and CLI input). */
export const proofBundleSchema = z.discriminatedUnion('type', [
  inclusionBundleSchema,
  consistencyBundleSchema,
]);

export type InclusionProofBundle = z.infer<typeof inclusionBundleSchema>;
export type ConsistencyProofBundle = z.infer<typeof consistencyBundleSchema>;
export type ProofBundle = z.infer<typeof proofBundleSchema>;

export type ProofBundleFailureCode =
  | 'malformed_bundle'
  | CheckpointFailureCode
  | 'leaf_mismatch'
  | 'origin_differs'
  | 'proof_invalid';

export type ProofBundleVerification =
  | {
      readonly ok: true;
      readonly type: 'inclusion';
      readonly origin: string;
      readonly treeSize: number;
      readonly rootHash: string;
      readonly leafIndex: number;
      readonly leafHash: string;
      /** True when the bundle carried the leaf data and it hashed to the proven leaf. */
      readonly leafDataChecked: boolean;
      readonly verifiedBy: readonly string[];
    }
  | {
      readonly ok: true;
      readonly type: 'consistency';
      readonly origin: string;
      readonly size1: number;
      readonly size2: number;
      readonly root1: string;
      readonly root2: string;
      readonly verifiedBy: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: ProofBundleFailureCode;
      readonly reason: string;
      /** For `proof_invalid`: what the Merkle verifier found. */
      readonly proofCode?: MerkleFailureCode;
    };

type Failure = Extract<ProofBundleVerification, { ok: false }>;

function fail(code: ProofBundleFailureCode, reason: string, proofCode?: MerkleFailureCode): Failure {
  return proofCode === undefined ? { ok: false, code, reason } : { ok: false, code, reason, proofCode };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    'bundle',
  );
}

function decodeInput(input: unknown): { ok: true; value: unknown } | Failure {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return { ok: true, value: input };
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > MAX_BUNDLE_BYTES)
    return fail('malformed_bundle', `bundle is larger than ${MAX_BUNDLE_BYTES} bytes`);
  const text = typeof input === 'string' ? input : decodeUtf8Strict(input);
  if (text === undefined) return fail('malformed_bundle', 'bundle is not valid UTF-8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return fail('malformed_bundle', 'bundle is not valid JSON');
  }
}

/** Validates a bundle (object, JSON text or bytes) against the schema, or says what is wrong. */
export function parseProofBundle(input: unknown): { ok: true; bundle: ProofBundle } | Failure {
  const decoded = decodeInput(input);
  if (!decoded.ok) return decoded;
  const format = (decoded.value as { format?: unknown } | null)?.format;
  if (typeof format === 'string' && format !== PROOF_BUNDLE_FORMAT) {
    return fail(
      'malformed_bundle',
      `unsupported bundle format "${format.slice(0, 64)}", expected "${PROOF_BUNDLE_FORMAT}"`,
    );
  }
  const parsed = proofBundleSchema.safeParse(decoded.value);
  if (parsed.success) return { ok: true, bundle: parsed.data };
  const issue = parsed.error.issues[0]!;
  return fail('malformed_bundle', `${formatPath(issue.path)}: ${issue.message}`);
}

function checkCheckpoint(label: string, note: string, keys: VerifierKeys, origin?: string) {
  const result: CheckpointVerification = verifyCheckpoint(note, keys, origin === undefined ? {} : { origin });
  return result.ok ? result : fail(result.code, `${label}: ${result.reason}`);
}

function verifyInclusionBundle(
  bundle: InclusionProofBundle,
  keys: VerifierKeys,
  origin?: string,
): ProofBundleVerification {
  const cp = checkCheckpoint('checkpoint', bundle.checkpoint, keys, origin);
  if (!cp.ok) return cp;
  const given = bundle.leafHash === undefined ? undefined : decodeBase64Strict(bundle.leafHash)!;
  const computed = bundle.leafData === undefined ? undefined : hashLeaf(decodeBase64Strict(bundle.leafData)!);
  if (given && computed && !hashesEqual(given, computed)) {
    return fail('leaf_mismatch', 'leafData does not hash to leafHash');
  }
  const leafHash = (computed ?? given)!;
  const { checkpoint } = cp;
  const check = verifyInclusion({
    leafIndex: bundle.leafIndex,
    treeSize: checkpoint.size,
    leafHash,
    proof: bundle.proof.map((h) => decodeBase64Strict(h)!),
    rootHash: checkpoint.rootHash,
  });
  if (!check.ok) return fail('proof_invalid', `inclusion proof: ${check.reason}`, check.code);
  return {
    ok: true,
    type: 'inclusion',
    origin: checkpoint.origin,
    treeSize: checkpoint.size,
    rootHash: checkpoint.rootHash.toString('base64'),
    leafIndex: bundle.leafIndex,
    leafHash: leafHash.toString('base64'),
    leafDataChecked: computed !== undefined,
    verifiedBy: cp.verifiedBy.map((s) => s.name),
  };
}

function verifyConsistencyBundle(
  bundle: ConsistencyProofBundle,
  keys: VerifierKeys,
  origin?: string,
): ProofBundleVerification {
  const first = checkCheckpoint('checkpoint1', bundle.checkpoint1, keys, origin);
  if (!first.ok) return first;
  const second = checkCheckpoint('checkpoint2', bundle.checkpoint2, keys, origin);
  if (!second.ok) return second;
  const [a, b] = [first.checkpoint, second.checkpoint];
  // Two logs can share keys; a proof only means something between heads of the same log.
  if (a.origin !== b.origin)
    return fail('origin_differs', 'checkpoint1 and checkpoint2 have different origins');
  const check = verifyConsistency({
    size1: a.size,
    size2: b.size,
    root1: a.rootHash,
    root2: b.rootHash,
    proof: bundle.proof.map((h) => decodeBase64Strict(h)!),
  });
  if (!check.ok) return fail('proof_invalid', `consistency proof: ${check.reason}`, check.code);
  return {
    ok: true,
    type: 'consistency',
    origin: a.origin,
    size1: a.size,
    size2: b.size,
    root1: a.rootHash.toString('base64'),
    root2: b.rootHash.toString('base64'),
    verifiedBy: [...new Set([...first.verifiedBy, ...second.verifiedBy].map((s) => s.name))],
  };
}

/**
 * Verifies an offline proof bundle (object, JSON text or bytes) with the trusted log key(s):
 * checkpoint signatures, optional expected origin, leaf data against leaf hash, then the Merkle
 * proof. Never throws for bad input; a failure carries a stable code and a precise reason.
 */
export function verifyProofBundle(
  bundle: unknown,
  verifierKey: VerifierKeys,
  options: { readonly origin?: string } = {},
): ProofBundleVerification {
  const parsed = parseProofBundle(bundle);
  if (!parsed.ok) return parsed;
  return parsed.bundle.type === 'inclusion'
    ? verifyInclusionBundle(parsed.bundle, verifierKey, options.origin)
    : verifyConsistencyBundle(parsed.bundle, verifierKey, options.origin);
}

/** Canonical JSON text of a bundle (2-space indent, trailing newline). */
export function serializeProofBundle(bundle: ProofBundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}
