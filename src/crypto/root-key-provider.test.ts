import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import {
  beginMasterKeyFileRotation,
  createMasterKeyFile,
  finishMasterKeyFileRotation,
  previousMasterKeyFile,
  readMasterKeyFile,
} from './master-key-file.ts';
import { loadRootKeyProvider } from './root-key.ts';
import { createLocalRootKeyProvider, rootKeyId } from './root-key-provider.ts';

const dirs: string[] = [];
function tempKeyFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-rootkey-'));
  dirs.push(dir);
  const file = path.join(dir, 'master.key');
  createMasterKeyFile(file);
  return file;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isAppError(error) ? error.code : (error as Error).message;
  }
}

const fileConfig = (file: string) => ({ keys: { provider: 'file' as const, masterKeyFile: file } });
const aad = Buffer.from('tenant-a/data/v1');

describe('local root key provider', () => {
  it('wraps and unwraps, binding the associated data and naming the root key', async () => {
    const root = randomBytes(32);
    const provider = createLocalRootKeyProvider({
      name: 'env',
      read: () => ({ current: root, previous: [] }),
    });
    const secret = randomBytes(32);
    const { keyId, wrapped } = await provider.wrap(secret, aad);
    expect(keyId).toBe(rootKeyId(root));
    expect(keyId).toBe(provider.currentKeyId());
    expect(wrapped.includes(secret)).toBe(false);
    expect((await provider.unwrap(wrapped, aad)).equals(secret)).toBe(true);
    expect(await codeOf(provider.unwrap(wrapped, Buffer.from('tenant-b/data/v1')))).toBe('KEY_UNWRAP_FAILED');
    const flipped = Buffer.from(wrapped);
    flipped[flipped.length - 1]! ^= 1;
    expect(await codeOf(provider.unwrap(flipped, aad))).toBe('KEY_UNWRAP_FAILED');
  });

  it('reports a blob wrapped by a root key it does not hold as unavailable, not corrupt', async () => {
    const a = createLocalRootKeyProvider({
      name: 'env',
      read: () => ({ current: randomBytes(32), previous: [] }),
    });
    const b = createLocalRootKeyProvider({
      name: 'env',
      read: () => ({ current: randomBytes(32), previous: [] }),
    });
    const { wrapped } = await a.wrap(randomBytes(32), aad);
    expect(await codeOf(b.unwrap(wrapped, aad))).toBe('ROOT_KEY_UNAVAILABLE');
  });

  it('derives a key id that does not reveal the key', () => {
    const root = randomBytes(32);
    const id = rootKeyId(root);
    expect(id).toMatch(/^local:[0-9a-f]{16}$/);
    expect(id.includes(root.toString('hex').slice(0, 8))).toBe(false);
  });
});

describe('root key file', () => {
  it('refuses a key file other users can read', () => {
    const file = tempKeyFile();
    chmodSync(file, 0o644);
    expect(() => readMasterKeyFile(file)).toThrow(/mode 0644/);
    expect(() => loadRootKeyProvider(fileConfig(file))).toThrow(/chmod 600/);
  });

  it('rotates: new key current, old kept as .previous until finished; a running provider notices', async () => {
    const file = tempKeyFile();
    const before = readMasterKeyFile(file);
    const provider = loadRootKeyProvider(fileConfig(file));
    const old = await provider.wrap(Buffer.alloc(32, 7), aad);
    expect(beginMasterKeyFileRotation(file)).toBe('started');
    const after = readMasterKeyFile(file);
    expect(after.equals(before)).toBe(false);
    expect(readMasterKeyFile(previousMasterKeyFile(file)).equals(before)).toBe(true);
    // The already-open provider picks up the rotated files: new wraps use the new key...
    expect(provider.currentKeyId()).toBe(rootKeyId(after));
    // ...and it still opens what the old key wrapped, until the rotation is finished.
    expect((await provider.unwrap(old.wrapped, aad)).equals(Buffer.alloc(32, 7))).toBe(true);
    finishMasterKeyFileRotation(file);
    expect(existsSync(previousMasterKeyFile(file))).toBe(false);
    expect(await codeOf(loadRootKeyProvider(fileConfig(file)).unwrap(old.wrapped, aad))).toBe(
      'ROOT_KEY_UNAVAILABLE',
    );
  });

  it('resumes a rotation that crashed before the new key was swapped in, keeping the key that was saved', () => {
    const file = tempKeyFile();
    const original = readMasterKeyFile(file);
    // State after a crash between writing `.previous` and the rename: `.next` holds the new key.
    const next = randomBytes(32);
    writeFileSync(`${file}.next`, `${next.toString('base64')}\n`, { mode: 0o600 });
    writeFileSync(previousMasterKeyFile(file), readFileSync(file), { mode: 0o600 });
    expect(beginMasterKeyFileRotation(file)).toBe('resumed');
    expect(readMasterKeyFile(file).equals(next)).toBe(true);
    expect(readMasterKeyFile(previousMasterKeyFile(file)).equals(original)).toBe(true);
    expect(existsSync(`${file}.next`)).toBe(false);
  });

  it('discards a half-written rotation that never saved the old key, and starts over', () => {
    const file = tempKeyFile();
    const original = readMasterKeyFile(file);
    writeFileSync(`${file}.next`, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    expect(beginMasterKeyFileRotation(file)).toBe('started');
    expect(readMasterKeyFile(previousMasterKeyFile(file)).equals(original)).toBe(true);
    expect(readMasterKeyFile(file).equals(original)).toBe(false);
  });

  it('does not start a second rotation over an unfinished one', () => {
    const file = tempKeyFile();
    beginMasterKeyFileRotation(file);
    const current = readMasterKeyFile(file);
    expect(beginMasterKeyFileRotation(file)).toBe('resumed');
    expect(readMasterKeyFile(file).equals(current)).toBe(true);
  });
});
