import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

/**
 * Where encrypted recordings live. The file implementation keeps them in the data directory; an
 * S3-compatible store implements the same four calls. Only ciphertext ever reaches a store.
 */
export interface RecordingStore {
  put(tenantId: string, id: string, ciphertext: Buffer): Promise<void>;
  get(tenantId: string, id: string): Promise<Buffer | undefined>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

const SAFE = /^[A-Za-z0-9-]{1,64}$/;

/** Encrypted recordings on local disk: atomic writes (temp file, fsync, rename), mode 0600. */
export function createFileRecordingStore(root: string): RecordingStore {
  const fileOf = (tenantId: string, id: string) => {
    // Ids are UUIDs; refusing anything else rules out path traversal.
    if (!SAFE.test(tenantId) || !SAFE.test(id)) throw new Error('invalid recording key');
    return path.join(root, tenantId, `${id}.rec`);
  };
  return {
    async put(tenantId, id, ciphertext) {
      const file = fileOf(tenantId, id);
      const dir = path.dirname(file);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const temp = path.join(dir, `.${id}.${randomUUID()}.tmp`);
      const fd = openSync(temp, 'wx', 0o600);
      try {
        writeSync(fd, ciphertext);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
      const dirFd = openSync(dir, 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    },
    async get(tenantId, id) {
      try {
        return readFileSync(fileOf(tenantId, id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(tenantId, id) {
      const file = fileOf(tenantId, id);
      if (!existsSync(file)) return false;
      rmSync(file, { force: true });
      return true;
    },
  };
}
