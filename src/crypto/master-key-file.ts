import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

export const MASTER_KEY_BYTES = 32;

export type MasterKeyFileProblem =
  | { kind: 'missing' }
  | { kind: 'permissions'; mode: string }
  | { kind: 'malformed' };

/** Describes what is wrong with the root key file, or null when it is usable. */
export function checkMasterKeyFile(file: string): MasterKeyFileProblem | null {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return { kind: 'missing' };
  }
  // A root key readable by the group or others is as good as published on a shared host.
  if ((mode & 0o077) !== 0) return { kind: 'permissions', mode: (mode & 0o777).toString(8).padStart(4, '0') };
  const decoded = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (decoded.length !== MASTER_KEY_BYTES) return { kind: 'malformed' };
  return null;
}

/** Creates a new random root key file with mode 0600; refuses to overwrite an existing one. */
export function createMasterKeyFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // 'wx' fails if the file exists: a key is never silently replaced (that would orphan all data).
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Reads the root key after checking the file is private and well formed. */
export function readMasterKeyFile(file: string): Buffer {
  const problem = checkMasterKeyFile(file);
  if (problem) throw new Error(`master key file ${file} is unusable: ${describeMasterKeyProblem(problem)}`);
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

export function describeMasterKeyProblem(problem: MasterKeyFileProblem): string {
  switch (problem.kind) {
    case 'missing':
      return 'it does not exist (run `vigil init`)';
    case 'permissions':
      return `mode ${problem.mode} lets other users read it; run chmod 600`;
    case 'malformed':
      return 'it does not hold base64 of exactly 32 bytes';
  }
}

/** During a root key rotation the old key stays here until every KEK is re-wrapped under the new one. */
export const previousMasterKeyFile = (file: string) => `${file}.previous`;
const nextMasterKeyFile = (file: string) => `${file}.next`;

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function writePrivateFile(file: string, content: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The current root key and, while a rotation is unfinished, the previous one (both checked). */
export function readMasterKeyFiles(file: string): { current: Buffer; previous: Buffer[] } {
  const previous = previousMasterKeyFile(file);
  return {
    current: readMasterKeyFile(file),
    previous: exists(previous) ? [readMasterKeyFile(previous)] : [],
  };
}

/** Changes whenever either key file is replaced, so a running server notices a rotation. */
export function masterKeyFilesFingerprint(file: string): string {
  return [file, previousMasterKeyFile(file)]
    .map((f) => {
      try {
        const s = statSync(f);
        return `${s.ino}:${s.mtimeMs}:${s.size}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

/**
 * Swaps in a new random root key, keeping the old one as `<file>.previous`. Each step is durable
 * before the next, and a crash at any point resumes on the next call:
 * `.next` written -> `.previous` written -> `.next` renamed over the key file.
 * Returns 'resumed' when a rotation was already under way (the new key is kept, not replaced).
 */
export function beginMasterKeyFileRotation(file: string): 'started' | 'resumed' {
  const previous = previousMasterKeyFile(file);
  const next = nextMasterKeyFile(file);
  if (exists(previous)) {
    // Crashed between writing `.previous` and the rename: the new key in `.next` was never used.
    if (exists(next)) renameSync(next, file);
    fsyncDirectory(path.dirname(file));
    return 'resumed';
  }
  // A `.next` without `.previous` was never in use either: start over with a fresh key.
  if (exists(next)) unlinkSync(next);
  const current = readMasterKeyFile(file);
  writePrivateFile(next, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`);
  writePrivateFile(previous, `${current.toString('base64')}\n`);
  renameSync(next, file);
  fsyncDirectory(path.dirname(file));
  return 'started';
}

/** Removes the previous root key once nothing is wrapped by it any more. */
export function finishMasterKeyFileRotation(file: string): void {
  const previous = previousMasterKeyFile(file);
  if (exists(previous)) unlinkSync(previous);
  fsyncDirectory(path.dirname(file));
}

/** Whether a root key rotation was started and not finished. */
export function masterKeyRotationPending(file: string): boolean {
  return exists(previousMasterKeyFile(file));
}
