import { HASH_SIZE } from '../merkle/index.ts';
import { decodeBase64Strict, isValidKeyName, isValidNoteText } from './checkpoint.encoding.ts';
import { CheckpointError } from './checkpoint.errors.ts';
import { type NoteSigner, type NoteVerifier, parseVerifierKey } from './checkpoint.keys.ts';
import {
  type NoteFailureCode,
  type NoteSignature,
  openNote,
  parseNote,
  signNote,
} from './checkpoint.note.ts';

/** A signed tree head in the c2sp.org/tlog-checkpoint layout. */
export interface Checkpoint {
  /** Identity of the log, e.g. `vigil.example.com/audit/acme`. */
  readonly origin: string;
  /** Number of leaves in the tree. */
  readonly size: number;
  /** RFC 9162 root hash of the tree at `size` (32 bytes). */
  readonly rootHash: Buffer;
  /** Optional opaque extension lines (non-empty each). */
  readonly extensions?: readonly string[];
}

export interface ParsedCheckpoint {
  readonly checkpoint: Checkpoint & { readonly extensions: readonly string[] };
  /** The signed note text (the checkpoint body). */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export type CheckpointFailureCode =
  | NoteFailureCode
  | 'malformed_checkpoint'
  | 'origin_mismatch'
  | 'invalid_key';

export type CheckpointVerification =
  | {
      readonly ok: true;
      readonly checkpoint: ParsedCheckpoint['checkpoint'];
      /** Trusted keys whose signatures verified. */
      readonly verifiedBy: readonly NoteSignature[];
    }
  | { readonly ok: false; readonly code: CheckpointFailureCode; readonly reason: string };

/** Trusted keys: one or several (during a rotation), as vkey strings or parsed verifiers. */
export type VerifierKeys = string | NoteVerifier | readonly (string | NoteVerifier)[];

// ASCII decimal without leading zeroes ("0" alone for the empty tree).
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

function malformed(reason: string): CheckpointError {
  return new CheckpointError('malformed_checkpoint', `malformed checkpoint: ${reason}`);
}

function assertCheckpoint(checkpoint: Checkpoint): void {
  // The origin is ours to choose, so signing holds it to the recommended form (no spaces, no '+');
  // parsing accepts any non-empty origin, as the spec requires of clients.
  if (!isValidKeyName(checkpoint.origin)) throw malformed('origin must be non-empty, without spaces or "+"');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0) {
    throw malformed('size must be an integer between 0 and 2^53-1');
  }
  if (checkpoint.rootHash.length !== HASH_SIZE) throw malformed(`root hash must be ${HASH_SIZE} bytes`);
  for (const line of checkpoint.extensions ?? []) {
    if (line.length === 0 || line.includes('\n') || !isValidNoteText(line)) {
      throw malformed('extension lines must be non-empty single lines without control characters');
    }
  }
}

/** The note text of a checkpoint: origin, size, base64 root hash, extension lines. */
export function formatCheckpointText(checkpoint: Checkpoint): string {
  assertCheckpoint(checkpoint);
  const lines = [checkpoint.origin, String(checkpoint.size), checkpoint.rootHash.toString('base64')];
  return `${[...lines, ...(checkpoint.extensions ?? [])].join('\n')}\n`;
}

/** Parses a checkpoint note text (without signatures). Throws CheckpointError on any defect. */
export function parseCheckpointText(text: string): ParsedCheckpoint['checkpoint'] {
  if (!text.endsWith('\n')) throw malformed('text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin = '', sizeText = '', rootText = '', ...extensions] = lines;
  if (lines.length < 3) throw malformed('needs an origin, a tree size and a root hash line');
  if (origin.length === 0) throw malformed('origin line is empty');
  if (!DECIMAL.test(sizeText)) throw malformed('tree size is not a decimal number without leading zeros');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw malformed('tree size is larger than 2^53-1');
  const rootHash = decodeBase64Strict(rootText);
  if (!rootHash || rootHash.length !== HASH_SIZE) throw malformed('root hash is not the base64 of 32 bytes');
  if (extensions.some((line) => line.length === 0)) throw malformed('extension lines must be non-empty');
  return { origin, size, rootHash, extensions };
}

/**
 * Signs a checkpoint and returns the signed note. Log keys should be named after the origin.
 * `signer` may be several signers (e.g. old and new key during a rotation).
 */
export async function signCheckpoint(
  checkpoint: Checkpoint,
  signer: NoteSigner | readonly NoteSigner[],
): Promise<string> {
  const signers: readonly NoteSigner[] = Array.isArray(signer) ? signer : [signer as NoteSigner];
  return signNote(formatCheckpointText(checkpoint), signers);
}

/** Parses a signed checkpoint without checking signatures. Throws CheckpointError. */
export function parseCheckpoint(note: string | Uint8Array): ParsedCheckpoint {
  const parsed = parseNote(note);
  return { checkpoint: parseCheckpointText(parsed.text), text: parsed.text, signatures: parsed.signatures };
}

/** Turns vkey strings into verifiers; throws CheckpointError('invalid_key') for a bad key. */
export function toVerifiers(keys: VerifierKeys): NoteVerifier[] {
  const list: readonly (string | NoteVerifier)[] = Array.isArray(keys)
    ? keys
    : [keys as string | NoteVerifier];
  return list.map((key) => (typeof key === 'string' ? parseVerifierKey(key) : key));
}

/**
 * Verifies a signed checkpoint against trusted keys and, if given, the expected origin. Never
 * throws for bad input: returns the checkpoint or the precise reason it is refused.
 */
export function verifyCheckpoint(
  note: string | Uint8Array,
  verifierKey: VerifierKeys,
  options: { readonly origin?: string } = {},
): CheckpointVerification {
  let verifiers: NoteVerifier[];
  let checkpoint: ParsedCheckpoint['checkpoint'];
  try {
    verifiers = toVerifiers(verifierKey);
  } catch (error) {
    if (error instanceof CheckpointError) return { ok: false, code: 'invalid_key', reason: error.message };
    throw error;
  }
  // Signatures first: the spec says the text must be ignored unless a trusted key signed it.
  const opened = openNote(note, verifiers);
  if (!opened.ok) return opened;
  try {
    checkpoint = parseCheckpointText(opened.text);
  } catch (error) {
    if (error instanceof CheckpointError)
      return { ok: false, code: 'malformed_checkpoint', reason: error.message };
    throw error;
  }
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    return {
      ok: false,
      code: 'origin_mismatch',
      reason: `checkpoint origin "${checkpoint.origin}" is not the expected "${options.origin}"`,
    };
  }
  return { ok: true, checkpoint, verifiedBy: opened.verified };
}
