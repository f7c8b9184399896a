import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/vigil.js');
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-users-cli-'));
const env = { VIGIL_DATA_DIR: path.join(dir, 'data') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vigil(...args: string[]) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

// The CLI on the embedded database; the services behind it are tested on both dialects.
describe('vigil users and api-keys CLI', () => {
  it('prints a first-admin link at init, then manages users and keys', { timeout: 240_000 }, () => {
    const init = vigil('init');
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toMatch(
      /one-time link \(expires in 1 hour.*\n\s+http:\/\/127\.0\.0\.1:8080\/enroll#token=vgt_/,
    );
    const created = vigil(
      'users',
      'create',
      '--email',
      'lead@example.test',
      '--name',
      'Team Lead',
      '--role',
      'supervisor',
    );
    expect(created.status, created.stderr).toBe(0);
    const userId = /invited ([0-9a-f-]{36})/.exec(created.stdout)![1]!;
    expect(created.stdout).toMatch(/\/invite#token=vgt_/);
    expect(vigil('users', 'list').stdout).toMatch(
      new RegExp(`${userId}\\s+invited\\s+lead@example.test\\s+roles=supervisor`),
    );
    expect(vigil('users', 'bootstrap-link').stdout).toMatch(/already has users/);
    expect(vigil('users', 'suspend', userId, '--reason', 'left the team').status).toBe(0);
    expect(vigil('users', 'list', '--status', 'suspended').stdout).toContain(userId);
    expect(vigil('users', 'reset-mfa', userId).status).toBe(0);
    const key = vigil('api-keys', 'create', '--name', 'connect', '--scope', 'ingest', '--expires-days', '30');
    expect(key.status, key.stderr).toBe(0);
    const secret = /secret \(shown once, store it now\): (vgl_\S+)/.exec(key.stdout)![1]!;
    const keyId = /created ([0-9a-f-]{36})/.exec(key.stdout)![1]!;
    const listed = vigil('api-keys', 'list').stdout;
    expect(listed).toContain(keyId);
    expect(listed).not.toContain(secret);
    expect(vigil('api-keys', 'revoke', keyId).status).toBe(0);
    expect(vigil('api-keys', 'list').stdout).toMatch(new RegExp(`${keyId}\\s+\\S+\\s+revoked`));
    const bad = vigil('api-keys', 'create', '--name', 'x', '--scope', 'everything');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown scope/);
  });
});
