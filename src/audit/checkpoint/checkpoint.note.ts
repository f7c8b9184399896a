import {
  decodeBase64Strict,
  decodeUtf8Strict,
  formatKeyId,
  isValidKeyName,
  isValidNoteText,
} from './checkpoint.encoding.ts';
import { CheckpointError } from './checkpoint.errors.ts';
import type { NoteSigner, NoteVerifier } from './checkpoint.keys.ts';

/** A signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** base64(key ID || signature), as written on the line. */
  readonly base64: string;
}

/** A note split into its text and signature lines; nothing verified yet. */
export interface ParsedNote {
  /** The signed text, including its final newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export type NoteFailureCode = 'malformed_note' | 'ambiguous_key' | 'bad_signature' | 'untrusted';

export type NoteOpenResult =
  | {
      readonly ok: true;
      readonly text: string;
      readonly verified: readonly NoteSignature[];
      readonly unverified: readonly NoteSignature[];
    }
  | { readonly ok: false; readonly code: NoteFailureCode; readonly reason: string };

/** Largest note accepted, and most signature lines (the Go implementation's limit). */
export const MAX_NOTE_BYTES = 1024 * 1024;
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 ';

function malformed(reason: string): CheckpointError {
  return new CheckpointError('malformed_note', `malformed signed note: ${reason}`);
}

function toText(note: string | Uint8Array): string {
  const size = typeof note === 'string' ? Buffer.byteLength(note, 'utf8') : note.length;
  if (size > MAX_NOTE_BYTES) throw malformed(`larger than ${MAX_NOTE_BYTES} bytes`);
  const text = typeof note === 'string' ? note : decodeUtf8Strict(note);
  if (text === undefined) throw malformed('not valid UTF-8');
  if (!isValidNoteText(text)) throw malformed('contains a control character other than newline');
  return text;
}

function parseSignatureLine(line: string, lineNumber: number): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw malformed(`signature line ${lineNumber} does not start with an em dash and a space`);
  }
  const body = line.slice(SIGNATURE_PREFIX.length);
  const space = body.indexOf(' ');
  const name = space < 0 ? body : body.slice(0, space);
  const base64 = space < 0 ? '' : body.slice(space + 1);
  const bytes = decodeBase64Strict(base64);
  if (!isValidKeyName(name) || !bytes || bytes.length < 5) {
    throw malformed(`signature line ${lineNumber} is not "— <key name> <base64 signature>"`);
  }
  return { name, keyId: bytes.readUInt32BE(0), base64 };
}

/**
 * Splits a signed note (c2sp.org/signed-note) at its last blank line into text and signature
 * lines, checking the syntax only. Throws CheckpointError('malformed_note').
 */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const message = toText(note);
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('signature block must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  return { text, signatures: lines.map((line, i) => parseSignatureLine(line, i + 1)) };
}

function sameKey(a: { name: string; keyId: number }, b: { name: string; keyId: number }): boolean {
  return a.name === b.name && a.keyId === b.keyId;
}

/**
 * Parses a note and checks its signatures against trusted keys, as c2sp.org/signed-note requires:
 * unknown keys are ignored (so keys can rotate and witnesses cosign), a known key whose signature
 * fails rejects the whole note, and at least one known key must have signed.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): NoteOpenResult {
  let parsed: ParsedNote;
  try {
    parsed = parseNote(note);
  } catch (error) {
    if (error instanceof CheckpointError) return { ok: false, code: 'malformed_note', reason: error.message };
    throw error;
  }
  const message = Buffer.from(parsed.text, 'utf8');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  for (const signature of parsed.signatures) {
    const matches = verifiers.filter((v) => sameKey(v, signature));
    const label = `${signature.name}+${formatKeyId(signature.keyId)}`;
    if (matches.length === 0) {
      if (!unverified.some((u) => u.base64 === signature.base64 && u.name === signature.name))
        unverified.push(signature);
      continue;
    }
    if (matches.length > 1)
      return { ok: false, code: 'ambiguous_key', reason: `several trusted keys are ${label}` };
    // A key that signed twice counts once; only its first signature is checked.
    if (verified.some((v) => sameKey(v, signature))) continue;
    const bytes = decodeBase64Strict(signature.base64)!.subarray(4);
    if (!matches[0]!.verify(message, bytes)) {
      return {
        ok: false,
        code: 'bad_signature',
        reason: `signature by trusted key ${label} does not verify`,
      };
    }
    verified.push(signature);
  }
  if (verified.length === 0) {
    const seen = unverified.map((s) => `${s.name}+${formatKeyId(s.keyId)}`).join(', ');
    return { ok: false, code: 'untrusted', reason: `no signature by a trusted key (signed by: ${seen})` };
  }
  return { ok: true, text: parsed.text, verified, unverified };
}

/** Signs `text` (which must end in a newline) with each signer and returns the signed note. */
export async function signNote(text: string, signers: readonly NoteSigner[]): Promise<string> {
  if (!text.endsWith('\n')) throw malformed('text must end with a newline');
  if (!isValidNoteText(text)) throw malformed('text contains a control character other than newline');
  if (signers.length === 0) throw new CheckpointError('invalid_key', 'at least one signer is required');
  const message = Buffer.from(text, 'utf8');
  const lines: string[] = [];
  for (const signer of signers) {
    if (!isValidKeyName(signer.name))
      throw new CheckpointError('invalid_key_name', 'signer has an invalid key name');
    if (!Number.isInteger(signer.keyId) || signer.keyId < 0 || signer.keyId > 0xffff_ffff) {
      throw new CheckpointError('invalid_key', `signer ${signer.name} has a key ID that is not a uint32`);
    }
    const signature = await signer.sign(message);
    const keyId = Buffer.alloc(4);
    keyId.writeUInt32BE(signer.keyId);
    lines.push(`${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`);
  }
  return `${text}\n${lines.join('')}`;
}
