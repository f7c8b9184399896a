export {
  type ConsistencyProofBundle,
  type InclusionProofBundle,
  PROOF_BUNDLE_FORMAT,
  type ProofBundle,
  type ProofBundleFailureCode,
  type ProofBundleVerification,
  parseProofBundle,
  proofBundleSchema,
  serializeProofBundle,
  verifyProofBundle,
} from './checkpoint.bundle.ts';
export { buildConsistencyBundle, buildInclusionBundle } from './checkpoint.bundle-build.ts';
export { CHECKPOINT_ERROR_CODES, CheckpointError, type CheckpointErrorCode } from './checkpoint.errors.ts';
export {
  type Checkpoint,
  type CheckpointFailureCode,
  type CheckpointVerification,
  formatCheckpointText,
  type ParsedCheckpoint,
  parseCheckpoint,
  parseCheckpointText,
  signCheckpoint,
  toVerifiers,
  type VerifierKeys,
  verifyCheckpoint,
} from './checkpoint.format.ts';
export {
  computeKeyId,
  createNoteSigner,
  createNoteVerifier,
  formatVerifierKey,
  generateNoteKeyPair,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseVerifierKey,
} from './checkpoint.keys.ts';
export {
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  type NoteFailureCode,
  type NoteOpenResult,
  type NoteSignature,
  openNote,
  type ParsedNote,
  parseNote,
  signNote,
} from './checkpoint.note.ts';
