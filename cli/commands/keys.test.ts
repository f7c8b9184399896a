import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/vigil.js');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function vigil(args: string[], env: Record<string, string>, input?: string) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...clean, VIGIL_SQLITE_SYNCHRONOUS: 'NORMAL', ...env },
    encoding: 'utf8',
    timeout: 60_000,
    ...(input === undefined ? {} : { input }),
  });
}

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-keys-cli-'));
  dirs.push(dir);
  return path.join(dir, 'data');
}

const rootKeyIdOf = (statusJson: string) => JSON.parse(statusJson).rootKey.currentKeyId as string;

describe('vigil keys', () => {
  it('shows status, rotates KEKs and the root key file, and cleans up after itself', () => {
    const env = { VIGIL_DATA_DIR: dataDir() };
    expect(vigil(['init'], env).status).toBe(0);
    const keyFile = path.join(env.VIGIL_DATA_DIR, 'master.key');
    const rotated = vigil(['keys', 'rotate', '--reason', 'annual rotation'], env);
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain('tenant default: new KEK data v1, vault v1');
    const again = vigil(['keys', 'rotate', '--domain', 'data'], env);
    expect(again.stdout).toContain('data v2');
    const status = vigil(['keys', 'status'], env);
    expect(status.stdout).toMatch(/data: current v2, min decryption v1/);
    expect(status.stdout).toMatch(/v1 {2}created \d{4}-\d\d-\d\d \(0 days\) {2}wraps 0 data keys/);

    const before = rootKeyIdOf(vigil(['keys', 'status', '--json'], env).stdout);
    const keyBefore = readFileSync(keyFile, 'utf8');
    const root = vigil(['keys', 'rotate', '--root'], env);
    expect(root.status, root.stderr).toBe(0);
    expect(root.stdout).toContain('root key rotated');
    expect(readFileSync(keyFile, 'utf8')).not.toBe(keyBefore);
    expect(existsSync(`${keyFile}.previous`)).toBe(false);
    const after = vigil(['keys', 'status', '--json'], env);
    expect(rootKeyIdOf(after.stdout)).not.toBe(before);
    expect(JSON.parse(after.stdout).tenants[0].keksOnOldRootKey).toBe(0);

    const retire = vigil(
      ['keys', 'retire', '--domain', 'data', '--below', '2', '--reason', 'v1 unused'],
      env,
    );
    expect(retire.stdout).toContain('retired 1 data KEK versions below v2');
    const unknown = vigil(['keys', 'destroy-subject', 'nobody', '--reason', 'erasure'], env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no encryption key exists for this data subject');
  }, 300_000);

  it('rotates an env root key from stdin and refuses to go on without it', () => {
    const oldKey = randomBytes(32).toString('base64');
    const env = { VIGIL_DATA_DIR: dataDir(), VIGIL_KEY_PROVIDER: 'env', VIGIL_MASTER_KEY: oldKey };
    expect(vigil(['keys', 'rotate'], env).status).toBe(0);
    const refused = vigil(['keys', 'rotate', '--root'], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--new-key-stdin');
    const newKey = randomBytes(32).toString('base64');
    const rotated = vigil(['keys', 'rotate', '--root', '--new-key-stdin'], env, `${newKey}\n`);
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain('set VIGIL_MASTER_KEY to the new key');
    expect(rotated.stdout + rotated.stderr).not.toContain(newKey);
    // The new key opens everything; the old one no longer does.
    expect(vigil(['keys', 'status'], { ...env, VIGIL_MASTER_KEY: newKey }).status).toBe(0);
    const old = vigil(['keys', 'status'], env);
    expect(old.status).toBe(1);
    expect(old.stderr).toContain('root key that wrapped this key is not loaded');
  }, 300_000);
});
