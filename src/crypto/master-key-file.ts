import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
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
